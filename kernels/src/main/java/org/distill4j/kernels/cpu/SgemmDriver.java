package org.distill4j.kernels.cpu;

import static org.distill4j.kernels.cpu.GemmBlocking.ceilDiv;

/**
 * The float GEMM loop nest around a {@link SgemmKernel}, in the style of BLIS / Goto. For each
 * panel of columns and each block of k: pack that block of op(B) once, shared by every task; then
 * run the tasks, each a block of rows of C, which packs its own rows of op(A) (they stay in its
 * core's L2) and runs the micro-kernel over its tiles. Tasks are cut from the problem size alone
 * ({@link GemmBlocking}) and k is never split, so each element of C sees the same additions in
 * the same order on any thread count.
 */
final class SgemmDriver {
    private SgemmDriver() {
    }

    /** Requires {@code m, n, k >= 1}; arguments already checked by {@link Gemm}. */
    static void run(SgemmKernel kernel, boolean transA, boolean transB, int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    float beta, float[] c, int cOff, int ldc) {
        nest(kernel, transA, a, aOff, lda, null, transB, m, n, k, alpha, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * op(A) packed once for a batch of products that share it (a convolution's weights, one
     * product per image): for each k block of {@link GemmBlocking}, every row as {@code mr}-row
     * slivers, exactly what each task of {@link #run} would pack for itself. Pass it to
     * {@link #runPackedA}: the results are those of {@link #run}, bit for bit.
     */
    static float[] packAllA(SgemmKernel kernel, boolean transA, float[] a, int aOff, int lda, int m, int k) {
        int kc = new GemmBlocking(m, 1, k, kernel.mr(), kernel.nr()).kc;
        int rowsPadded = GemmBlocking.roundUp(m, kernel.mr());
        float[] packed = new float[rowsPadded * k];
        for (int p0 = 0; p0 < k; p0 += kc) {
            GemmPacking.packA(transA, a, aOff, lda, 0, m, p0, Math.min(kc, k - p0), kernel.mr(), packed, p0 * rowsPadded);
        }
        return packed;
    }

    /** {@link #run} with op(A) from {@link #packAllA} (the same kernel, m and k). */
    static void runPackedA(SgemmKernel kernel, float[] packedA, boolean transB, int m, int n, int k, float alpha,
                           float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        nest(kernel, false, null, 0, 0, packedA, transB, m, n, k, alpha, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** The loop nest: op(A) from {@code a} (each task packs its rows) or, when not null, from {@code packedA}. */
    private static void nest(SgemmKernel kernel, boolean transA, float[] a, int aOff, int lda, float[] packedA,
                             boolean transB, int m, int n, int k, float alpha, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        GemmBlocking blocks = new GemmBlocking(m, n, k, kernel.mr(), kernel.nr());
        float[] bp = GemmWorkspace.local().floatB(blocks.panelCols * blocks.kc);
        boolean parallel = GemmBlocking.worthParallel(m, n, k);
        int rowsPadded = GemmBlocking.roundUp(m, kernel.mr());
        for (int jc = 0; jc < n; jc += blocks.panelCols) {
            int nc = Math.min(blocks.panelCols, n - jc);
            for (int p0 = 0; p0 < k; p0 += blocks.kc) {
                int kc = Math.min(blocks.kc, k - p0);
                packB(blocks, transB, b, bOff, ldb, jc, nc, p0, kc, bp, parallel);
                // Later k blocks add to what the first one wrote.
                float betaBlock = p0 == 0 ? beta : 1f;
                multiplyPanel(kernel, blocks, transA, a, aOff, lda, packedA, p0 * rowsPadded, m, p0, kc, bp, nc, alpha,
                        betaBlock, c, cOff + jc, ldc, parallel);
            }
        }
    }

    private static void packB(GemmBlocking blocks, boolean transB, float[] b, int bOff, int ldb,
                              int jc, int nc, int p0, int kc, float[] bp, boolean parallel) {
        int groupCols = blocks.packGrain(nc) * blocks.nr;
        Parallel.forRange(ceilDiv(nc, groupCols), parallel ? 1 : Integer.MAX_VALUE, (from, to) -> {
            for (int g = from; g < to; g++) {
                int j = g * groupCols;
                GemmPacking.packB(transB, b, bOff, ldb, jc + j, Math.min(groupCols, nc - j), p0, kc, blocks.nr, bp,
                        GemmWorkspace.floatBBase() + j * kc);
            }
        });
    }

    /**
     * All rows of C times the packed {@code kc x nc} block of B, written to the panel of C at {@code c0}.
     * Each task packs its rows of op(A), unless {@code packedA} holds them all (this k block's
     * slivers from {@code packedBase}).
     */
    private static void multiplyPanel(SgemmKernel kernel, GemmBlocking blocks, boolean transA, float[] a, int aOff,
                                      int lda, float[] packedA, int packedBase, int m, int p0, int kc, float[] bp,
                                      int nc, float alpha, float beta, float[] c, int c0, int ldc, boolean parallel) {
        int mr = blocks.mr;
        int nr = blocks.nr;
        int taskRows = blocks.taskRows;
        int colSplits = blocks.colSplits(nc);
        int splitCols = ceilDiv(ceilDiv(nc, nr), colSplits) * nr;
        int tasks = ceilDiv(m, taskRows) * colSplits;
        Parallel.forRange(tasks, parallel ? 1 : Integer.MAX_VALUE, (from, to) -> {
            float[] tile = new float[mr * nr];
            float[] ap = packedA != null ? packedA : GemmWorkspace.local().floatA(taskRows * kc);
            for (int t = from; t < to; t++) {
                int rowStart = (t / colSplits) * taskRows;
                int rows = Math.min(taskRows, m - rowStart);
                int colStart = (t % colSplits) * splitCols;
                int colEnd = Math.min(nc, colStart + splitCols);
                int a0 = 0;
                if (packedA != null) {
                    a0 = packedBase + rowStart * kc;
                } else {
                    GemmPacking.packA(transA, a, aOff, lda, rowStart, rows, p0, kc, mr, ap, 0);
                }
                // Column groups sized so the group's B slivers stay in L2 next to the task's A rows.
                for (int g = colStart; g < colEnd; g += blocks.groupCols) {
                    int groupEnd = Math.min(colEnd, g + blocks.groupCols);
                    // Along a row of tiles: the A sliver stays in L1, the B slivers stream from L2,
                    // and C is walked along rows, which the prefetchers follow (walking down columns
                    // of tiles instead: 77% rather than 89% of peak in the kernel at n=1024).
                    for (int i = 0; i < rows; i += mr) {
                        int tileRows = Math.min(mr, rows - i);
                        int ci = c0 + (rowStart + i) * ldc;
                        for (int j = g; j < groupEnd; j += nr) {
                            kernel.multiply(kc, ap, a0 + i * kc, bp, GemmWorkspace.floatBBase() + j * kc, alpha, beta,
                                    c, ci + j, ldc, tileRows, Math.min(nr, nc - j), tile);
                        }
                    }
                }
            }
        });
    }
}
