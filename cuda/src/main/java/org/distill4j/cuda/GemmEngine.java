package org.distill4j.cuda;

import org.distill4j.kernels.DType;

/**
 * Row-major strided-batched GEMM on device addresses: for each of {@code batch} problems,
 * {@code C = alpha * op(A) * op(B) + beta * C} with the conventions of
 * {@link org.distill4j.kernels.Backend#gemm}. cuBLAS ({@link CublasGemm}) when it loads, our own
 * kernel ({@link KernelGemm}) otherwise.
 */
interface GemmEngine {

    /** For logs: "cuBLAS" or "gemm.cu", and why when it is the fallback. */
    String name();

    void gemm(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha,
              long a, int lda, long strideA, long b, int ldb, long strideB,
              double beta, long c, int ldc, long strideC, int batch);
}
