package org.distill4j.kernels.cpu;

/**
 * Block sizes of one GEMM call, in elements. They depend on the problem size and the kernel's tile
 * only, never on the thread count; and since k is never split, no choice here changes a single
 * bit of the result, only how fast it comes.
 *
 * <p>Measured on an AMD EPYC (Zen 4: 32 KB L1d, 1 MB L2 per core) with the 4x4-vector float tile,
 * one thread: at n = 1024, k blocks of 512 gave 98.5 GFLOPS against 93.2 with 256 (C is read and
 * written once per k block, and with 256 that traffic took 20% of the kernel time); at n = 512,
 * 256 to 768 were within the noise of a shared machine.
 */
final class GemmBlocking {
    /** Largest depth of one packed block of k. */
    static final int KC = 512;
    /** Bound on a packed block of B, {@code kc x panelCols} elements (4 MB of floats: in L3). */
    static final int PANEL_ELEMENTS = 1 << 20;
    /** Rows of C per task at most: its packed A rows ({@code 128 x 512} floats, 256 KB) stay in L2. */
    static final int TASK_ROWS = 128;
    /** Columns of B per inner group: with a task's A rows they fit L2 ({@code 256 x 512} floats, 512 KB). */
    static final int GROUP_COLS = 256;
    /** Tasks a product is cut into, at least, when it is big enough to share: enough for 8 cores. */
    static final int MIN_TASKS = 8;
    /** B slivers packed per parallel packing task at most (a 256-column band for the float 4x4 tile). */
    static final int PACK_GRAIN = 8;
    /**
     * Below this many multiply-adds a call runs on the caller's thread: sharing it would cost
     * more. Measured on the MLP step's small products (256 x 256 x 10, 10 x 256 x 256: 655K
     * multiply-adds), one thread took 27 and 37 us, two 33 and 62.
     */
    static final long PARALLEL_MIN_MADDS = 1L << 20;
    /**
     * From this many multiply-adds a product in a batch is split across the threads by itself;
     * below it whole products run in parallel, which skips the per-block synchronisation.
     */
    static final long BATCH_ALONE_MADDS = 1L << 22;

    final int mr;
    final int nr;
    /** Depth of the k blocks: k split into equal blocks, so there is no short, inefficient last one. */
    final int kc;
    /** Columns of B packed at once. */
    final int panelCols;
    /** Rows of C per task: {@link #TASK_ROWS}, or fewer so that even small m gives {@link #MIN_TASKS} tasks. */
    final int taskRows;
    final int groupCols;
    private final int m;

    GemmBlocking(int m, int n, int k, int mr, int nr) {
        this.m = m;
        this.mr = mr;
        this.nr = nr;
        this.kc = ceilDiv(k, ceilDiv(k, KC));
        this.panelCols = Math.min(roundUp(n, nr), Math.max(nr, PANEL_ELEMENTS / kc / nr * nr));
        this.taskRows = Math.max(mr, Math.min(TASK_ROWS / mr * mr, roundUp(ceilDiv(m, MIN_TASKS), mr)));
        this.groupCols = Math.max(nr, GROUP_COLS / nr * nr);
    }

    /**
     * Into how many column ranges each row block of a panel {@code nc} wide is cut: one, unless m
     * is too small for {@link #MIN_TASKS} row blocks (then A is small and packing it once per
     * range costs little).
     */
    int colSplits(int nc) {
        int rowBlocks = ceilDiv(m, taskRows);
        return rowBlocks >= MIN_TASKS ? 1 : Math.min(ceilDiv(MIN_TASKS, rowBlocks), ceilDiv(nc, nr));
    }

    /**
     * B slivers per packing task: {@link #PACK_GRAIN}, or fewer so that a narrow panel is still
     * packed by {@link #MIN_TASKS} tasks. With whole 8-sliver bands, a 256-column B (the MLP's
     * 784 -> 256 layer) was one task: one thread transposed it while the other waited.
     */
    int packGrain(int nc) {
        return Math.max(1, Math.min(PACK_GRAIN, ceilDiv(ceilDiv(nc, nr), MIN_TASKS)));
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static int roundUp(int a, int multiple) {
        return ceilDiv(a, multiple) * multiple;
    }

    static boolean worthParallel(int m, int n, int k) {
        return (long) m * n * k >= PARALLEL_MIN_MADDS;
    }
}
