package org.distill4j.cli;

import java.io.PrintStream;
import org.distill4j.options.Progress;

/**
 * Says in one line that a command was interrupted (Ctrl-C, SIGTERM) and what it left. The output
 * layer's own shutdown hook removes the temporary files (see {@code org.distill4j.io.PendingOutputs}).
 */
final class Interruption {
    private static volatile boolean finished;
    private static volatile String left = "no output was written, and what was at the output path is unchanged";

    private Interruption() {
    }

    /** Prints the line from a shutdown hook, unless {@link #finished} was called first. */
    static void watch(PrintStream err) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!finished) {
                // The work goes on while the JVM shuts down: no progress line may follow this one.
                Progress.silence();
                // On a terminal a progress bar may be half drawn: clear its line first.
                err.println((Progress.onTerminal() ? "\r\033[K" : "") + "distill4j: interrupted; " + left);
                err.flush();
            }
        }, "distill4j-interrupted"));
    }

    /** What an interruption from now on leaves, e.g. the rows a resumable run has written. */
    static void leaves(String what) {
        left = what;
    }

    static void finished() {
        finished = true;
    }
}
