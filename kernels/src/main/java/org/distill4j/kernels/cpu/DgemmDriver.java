package org.distill4j.kernels.cpu;

import static org.distill4j.kernels.cpu.GemmBlocking.KC;
import static org.distill4j.kernels.cpu.GemmBlocking.M_CHUNK;
import static org.distill4j.kernels.cpu.GemmBlocking.N_CHUNK;
import static org.distill4j.kernels.cpu.GemmBlocking.ceilDiv;

/** The float64 twin of {@link SgemmDriver}: the same loops, blocks and task split over doubles. */
final class DgemmDriver {
    private DgemmDriver() {
    }

    /** Requires {@code m, n, k >= 1}; arguments already checked by {@link Gemm}. */
    static void run(DgemmKernel kernel, boolean transA, boolean transB, int m, int n, int k, double alpha,
                    double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                    double beta, double[] c, int cOff, int ldc) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int kBlocks = ceilDiv(k, KC);
        int kcMax = ceilDiv(k, kBlocks); // equal blocks: no short, inefficient last block
        GemmWorkspace ws = GemmWorkspace.local();
        double[] ap = ws.doubleA(ceilDiv(Math.min(m, M_CHUNK), mr) * mr * kcMax);
        double[] bp = ws.doubleB(ceilDiv(Math.min(n, N_CHUNK), nr) * nr * kcMax);
        boolean parallel = GemmBlocking.worthParallel(m, n, k);
        for (int jc = 0; jc < n; jc += N_CHUNK) {
            int nc = Math.min(N_CHUNK, n - jc);
            for (int ic = 0; ic < m; ic += M_CHUNK) {
                int mc = Math.min(M_CHUNK, m - ic);
                for (int kb = 0; kb < kBlocks; kb++) {
                    int p0 = kb * kcMax;
                    int kc = Math.min(kcMax, k - p0);
                    pack(transA, a, aOff, lda, transB, b, bOff, ldb, ic, mc, jc, nc, p0, kc, mr, nr, ap, bp, parallel);
                    // Later k blocks add to what the first one wrote.
                    double betaBlock = kb == 0 ? beta : 1d;
                    multiplyChunk(kernel, kc, ap, bp, alpha, betaBlock, c, cOff + ic * ldc + jc, ldc, mc, nc, parallel);
                }
            }
        }
    }

    private static void pack(boolean transA, double[] a, int aOff, int lda, boolean transB, double[] b, int bOff, int ldb,
                             int ic, int mc, int jc, int nc, int p0, int kc, int mr, int nr,
                             double[] ap, double[] bp, boolean parallel) {
        int aSlivers = ceilDiv(mc, mr);
        int bSlivers = ceilDiv(nc, nr);
        Parallel.forRange(aSlivers + bSlivers, parallel ? GemmBlocking.PACK_GRAIN : Integer.MAX_VALUE, (from, to) -> {
            for (int s = from; s < to; s++) {
                if (s < aSlivers) {
                    int r0 = s * mr;
                    GemmPackingF64.packA(transA, a, aOff, lda, ic + r0, Math.min(mr, mc - r0), p0, kc, mr, ap, r0 * kc);
                } else {
                    int c0 = (s - aSlivers) * nr;
                    GemmPackingF64.packB(transB, b, bOff, ldb, jc + c0, Math.min(nr, nc - c0), p0, kc, nr, bp, c0 * kc);
                }
            }
        });
    }

    /** Runs the kernel over the {@code mc x nc} chunk of C at {@code c0}, one task per block of tiles. */
    private static void multiplyChunk(DgemmKernel kernel, int kc, double[] ap, double[] bp, double alpha, double beta,
                                      double[] c, int c0, int ldc, int mc, int nc, boolean parallel) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int taskRows = GemmBlocking.taskRows(mr);
        int taskCols = GemmBlocking.taskCols(nr);
        int rowBlocks = ceilDiv(mc, taskRows);
        int colBlocks = ceilDiv(nc, taskCols);
        Parallel.forRange(rowBlocks * colBlocks, parallel ? 1 : Integer.MAX_VALUE, (from, to) -> {
            double[] tile = new double[mr * nr];
            for (int t = from; t < to; t++) {
                int rowStart = (t / colBlocks) * taskRows;
                int rowEnd = Math.min(mc, rowStart + taskRows);
                int colStart = (t % colBlocks) * taskCols;
                int colEnd = Math.min(nc, colStart + taskCols);
                // Along a row of tiles: the A sliver stays in L1, the B slivers stream from L2, and
                // C is walked along rows, which the prefetchers follow (walking down columns of
                // tiles instead: 77% rather than 89% of peak in the kernel phase at n=1024).
                for (int i = rowStart; i < rowEnd; i += mr) {
                    int rows = Math.min(mr, mc - i);
                    for (int j = colStart; j < colEnd; j += nr) {
                        kernel.multiply(kc, ap, i * kc, bp, j * kc, alpha, beta,
                                c, c0 + i * ldc + j, ldc, rows, Math.min(nr, nc - j), tile);
                    }
                }
            }
        });
    }
}
