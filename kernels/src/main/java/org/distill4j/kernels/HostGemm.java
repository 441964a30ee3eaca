package org.distill4j.kernels;

import org.distill4j.kernels.cpu.Gemm;

/**
 * Row-major SGEMM on F32 arrays the caller holds in host memory, {@code C = alpha op(A) op(B) + beta C}
 * (the argument conventions of {@link Backend#gemm}): for algorithms that keep their data in Java
 * arrays and read the product there, where a tensor product would add an allocation, a copy out
 * and a copy back per call (a similarity's column blocks, computed thousands of times). Always on
 * the CPU, whatever device the compute context names; on its thread count, like every CPU kernel.
 */
public final class HostGemm {
    private HostGemm() {
    }

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        Gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
