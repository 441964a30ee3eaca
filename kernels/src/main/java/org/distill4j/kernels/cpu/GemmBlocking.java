package org.distill4j.kernels.cpu;

/**
 * Block sizes of the GEMM drivers, in elements. They depend on the problem size only (never on the
 * thread count), which is what makes results identical on any number of threads.
 */
final class GemmBlocking {
    /** Depth of one packed block of k. */
    static final int KC = 512;
    /** Rows of A packed at once (bounds the A packing buffer). */
    static final int M_CHUNK = 1024;
    /** Columns of B packed at once (bounds the B packing buffer). */
    static final int N_CHUNK = 2048;
    /** Rows of C per parallel task, before rounding to the kernel's tile. */
    static final int TASK_ROWS = 128;
    /** Columns of C per parallel task, before rounding to the kernel's tile. */
    static final int TASK_COLS = 256;
    /** Slivers packed per parallel packing task. */
    static final int PACK_GRAIN = 8;
    /** Below this many multiply-adds a call runs on the caller's thread: forking would cost more. */
    static final long PARALLEL_MIN_MADDS = 1L << 18;

    /**
     * From this many multiply-adds a product in a batch is split across the threads by itself;
     * below it whole products run in parallel, which skips the per-block synchronisation.
     */
    static final long BATCH_ALONE_MADDS = 1L << 22;

    private GemmBlocking() {
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static int taskRows(int mr) {
        return Math.max(mr, TASK_ROWS / mr * mr);
    }

    static int taskCols(int nr) {
        return Math.max(nr, TASK_COLS / nr * nr);
    }

    static boolean worthParallel(int m, int n, int k) {
        return (long) m * n * k >= PARALLEL_MIN_MADDS;
    }
}
