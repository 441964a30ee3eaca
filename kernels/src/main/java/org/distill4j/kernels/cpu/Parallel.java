package org.distill4j.kernels.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * The one thread pool every CPU kernel shares. Work is always cut into the same tasks whatever the
 * thread count (callers choose task boundaries from the problem size alone), so results are
 * identical on 1 or N threads; only who runs a task changes.
 *
 * <p>The thread count defaults to the number of cores and can be set with the system property
 * {@code distill4j.threads} or {@link #setThreads}.
 */
public final class Parallel {
    /** A body that processes tasks {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private static volatile ForkJoinPool pool = newPool(Integer.getInteger("distill4j.threads",
            Runtime.getRuntime().availableProcessors()));

    private Parallel() {
    }

    private static ForkJoinPool newPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + threads);
        }
        return new ForkJoinPool(threads);
    }

    /** Replaces the shared pool with one of {@code threads} workers. */
    public static synchronized void setThreads(int threads) {
        if (threads == pool.getParallelism()) {
            return;
        }
        ForkJoinPool old = pool;
        pool = newPool(threads);
        old.shutdown();
    }

    public static int threads() {
        return pool.getParallelism();
    }

    /**
     * Runs {@code body} over tasks {@code [0, tasks)}, in chunks of at least {@code grain} tasks
     * each. With one thread, or when the work is small, runs inline on the caller's thread.
     */
    public static void forRange(int tasks, int grain, Range body) {
        if (tasks <= 0) {
            return;
        }
        ForkJoinPool p = pool;
        if (p.getParallelism() == 1 || tasks <= grain || ForkJoinTask.getPool() == p) {
            body.run(0, tasks);
            return;
        }
        p.invoke(new Split(0, tasks, Math.max(1, grain), body));
    }

    private static final class Split extends RecursiveAction {
        private final int from;
        private final int to;
        private final int grain;
        private final transient Range body;

        Split(int from, int to, int grain, Range body) {
            this.from = from;
            this.to = to;
            this.grain = grain;
            this.body = body;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                body.run(from, to);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Split(from, mid, grain, body), new Split(mid, to, grain, body));
        }
    }
}
