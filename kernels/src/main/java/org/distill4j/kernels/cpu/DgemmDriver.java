package org.distill4j.kernels.cpu;

import static org.distill4j.kernels.cpu.GemmBlocking.ceilDiv;

/** The float64 twin of {@link SgemmDriver}: the same loops, blocks and task split over doubles. */
final class DgemmDriver {
    private DgemmDriver() {
    }

    /** Requires {@code m, n, k >= 1}; arguments already checked by {@link Gemm}. */
    static void run(DgemmKernel kernel, boolean transA, boolean transB, int m, int n, int k, double alpha,
                    double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                    double beta, double[] c, int cOff, int ldc) {
        GemmBlocking blocks = new GemmBlocking(m, n, k, kernel.mr(), kernel.nr());
        double[] bp = GemmWorkspace.local().doubleB(blocks.panelCols * blocks.kc);
        boolean parallel = GemmBlocking.worthParallel(m, n, k);
        for (int jc = 0; jc < n; jc += blocks.panelCols) {
            int nc = Math.min(blocks.panelCols, n - jc);
            for (int p0 = 0; p0 < k; p0 += blocks.kc) {
                int kc = Math.min(blocks.kc, k - p0);
                packB(blocks, transB, b, bOff, ldb, jc, nc, p0, kc, bp, parallel);
                // Later k blocks add to what the first one wrote.
                double betaBlock = p0 == 0 ? beta : 1d;
                multiplyPanel(kernel, blocks, transA, a, aOff, lda, m, p0, kc, bp, nc, alpha, betaBlock,
                        c, cOff + jc, ldc, parallel);
            }
        }
    }

    private static void packB(GemmBlocking blocks, boolean transB, double[] b, int bOff, int ldb,
                              int jc, int nc, int p0, int kc, double[] bp, boolean parallel) {
        int groupCols = blocks.packGrain(nc) * blocks.nr;
        Parallel.forRange(ceilDiv(nc, groupCols), parallel ? 1 : Integer.MAX_VALUE, (from, to) -> {
            for (int g = from; g < to; g++) {
                int j = g * groupCols;
                GemmPackingF64.packB(transB, b, bOff, ldb, jc + j, Math.min(groupCols, nc - j), p0, kc, blocks.nr, bp,
                        GemmWorkspace.doubleBBase() + j * kc);
            }
        });
    }

    /** All rows of C times the packed {@code kc x nc} block of B, written to the panel of C at {@code c0}. */
    private static void multiplyPanel(DgemmKernel kernel, GemmBlocking blocks, boolean transA, double[] a, int aOff,
                                      int lda, int m, int p0, int kc, double[] bp, int nc, double alpha, double beta,
                                      double[] c, int c0, int ldc, boolean parallel) {
        int mr = blocks.mr;
        int nr = blocks.nr;
        int taskRows = blocks.taskRows;
        int colSplits = blocks.colSplits(nc);
        int splitCols = ceilDiv(ceilDiv(nc, nr), colSplits) * nr;
        int tasks = ceilDiv(m, taskRows) * colSplits;
        Parallel.forRange(tasks, parallel ? 1 : Integer.MAX_VALUE, (from, to) -> {
            double[] tile = new double[mr * nr];
            double[] ap = GemmWorkspace.local().doubleA(taskRows * kc);
            for (int t = from; t < to; t++) {
                int rowStart = (t / colSplits) * taskRows;
                int rows = Math.min(taskRows, m - rowStart);
                int colStart = (t % colSplits) * splitCols;
                int colEnd = Math.min(nc, colStart + splitCols);
                GemmPackingF64.packA(transA, a, aOff, lda, rowStart, rows, p0, kc, mr, ap, 0);
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
                            kernel.multiply(kc, ap, i * kc, bp, GemmWorkspace.doubleBBase() + j * kc, alpha, beta,
                                    c, ci + j, ldc, tileRows, Math.min(nr, nc - j), tile);
                        }
                    }
                }
            }
        });
    }
}
