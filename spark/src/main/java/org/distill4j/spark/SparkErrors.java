package org.distill4j.spark;

import java.util.concurrent.Callable;

/**
 * Spark wraps an exception thrown in a task in its own (a SparkException naming the stage and the
 * task, with the executor's stack trace in its message): this turns any failure into one line,
 * the innermost cause's message, kept as an {@link IllegalArgumentException} where our checks
 * threw one, so the command line shows one clear line.
 */
final class SparkErrors {
    private SparkErrors() {
    }

    static <T> T unwrap(Callable<T> body) {
        try {
            return body.call();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            message = message.lines().findFirst().orElse("");
            if (root instanceof IllegalArgumentException) {
                throw new IllegalArgumentException(message, e);
            }
            throw new IllegalStateException("spark: " + message + " (" + root.getClass().getSimpleName() + ")", e);
        }
    }
}
