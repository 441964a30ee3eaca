package org.distill4j.cuda;

import org.distill4j.kernels.DType;
import org.junit.jupiter.api.Test;

/** GEMM (cuBLAS or gemm.cu, through {@link CudaGemm}) against the CPU backend. */
abstract class GemmConformance extends Conformance {

    @Test
    void gemmEveryTransposeWithPaddingAlphaAndBeta() {
        int m = 70;
        int n = 65;
        int k = 33;  // more than one 64-wide tile in m and n, k not a multiple of 16
        for (DType t : FLOATING) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int lda = (ta ? m : k) + 3;
                    int ldb = (tb ? k : n) + 2;
                    int ldc = n + 5;
                    Pair a = pair(t, uniform(2 + (ta ? k : m) * lda, -1, 1));
                    Pair b = pair(t, uniform(1 + (tb ? n : k) * ldb, -1, 1));
                    double[] cv = uniform(4 + m * ldc, -1, 1);
                    for (double beta : new double[] {0.0, 0.3}) {
                        if (beta == 0) {
                            cv[10] = Double.NaN;  // beta == 0: C is not read, so this must not leak
                        }
                        Pair c = pair(t, cv);
                        CPU.gemm(ta, tb, m, n, k, 0.7, a.cpu(), 2, lda, b.cpu(), 1, ldb, beta, c.cpu(), 4, ldc);
                        cuda().gemm(ta, tb, m, n, k, 0.7, a.cuda(), 2, lda, b.cuda(), 1, ldb, beta, c.cuda(), 4, ldc);
                        assertClose("gemm " + (ta ? "T" : "N") + (tb ? "T" : "N") + " beta " + beta + " " + t,
                                c, 4 + m * ldc, 8 * eps(t), 8 * k * eps(t));
                    }
                }
            }
        }
    }

    @Test
    void gemmBatchedWithASharedOperand() {
        int m = 9;
        int n = 17;
        int k = 20;
        int batch = 3;
        for (DType t : FLOATING) {
            Pair a = pair(t, uniform(m * k, -1, 1));  // stride 0: one A for every problem
            Pair b = pair(t, uniform(batch * k * n + 7, -1, 1));
            Pair c = pair(t, uniform(batch * m * n, -1, 1));
            CPU.gemmBatched(false, true, m, n, k, 1.0, a.cpu(), 0, k, 0, b.cpu(), 0, k, k * n + 2,
                    1.0, c.cpu(), 0, n, m * n, batch);
            cuda().gemmBatched(false, true, m, n, k, 1.0, a.cuda(), 0, k, 0, b.cuda(), 0, k, k * n + 2,
                    1.0, c.cuda(), 0, n, m * n, batch);
            assertClose("gemmBatched " + t, c, batch * m * n, 8 * eps(t), 8 * k * eps(t));
        }
    }

    @Test
    void gemmWithEmptyInnerDimensionScalesC() {
        for (DType t : FLOATING) {
            Pair a = pair(t, new double[1]);
            Pair c = pair(t, uniform(12, -1, 1));
            CPU.gemm(false, false, 3, 4, 0, 1.0, a.cpu(), 0, 1, a.cpu(), 0, 4, 0.5, c.cpu(), 0, 4); // lda >= max(1, k), as BLAS
            cuda().gemm(false, false, 3, 4, 0, 1.0, a.cuda(), 0, 1, a.cuda(), 0, 4, 0.5, c.cuda(), 0, 4);
            assertClose("gemm k = 0 " + t, c, 12, eps(t), 0);
        }
    }
}
