package org.distill4j.kernels;

import org.distill4j.kernels.cpu.Parallel;

/**
 * A parallel loop on the CPU, for hot loops that live outside the kernels (the submodular
 * functions' gains, for one). It runs on the CPU kernels' shared pool with the calling thread's
 * {@link ComputeContext#threads()}, whatever the context's backend.
 *
 * <p>The work is cut into chunks of {@code grain} indices from the problem size alone, never from
 * the thread count, so a body that writes only its own indices gives the same bits on any number
 * of threads. Calls from inside a body run inline.
 */
public final class ParallelFor {
    /** Processes indices {@code [from, to)}. */
    @FunctionalInterface
    public interface Body {
        void run(int from, int to);
    }

    private ParallelFor() {
    }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks of {@code grain} indices (the last may be
     * shorter), on up to {@link ComputeContext#threads()} threads, the caller among them; returns
     * when every chunk is done, rethrowing the first failure.
     */
    public static void range(int n, int grain, Body body) {
        Parallel.forRange(n, grain, body::run);
    }
}
