package org.distill4j.cuda;

import org.distill4j.kernels.Buffer;

/**
 * GEMM, plain and batched: checks the operands, then hands the product to the backend's
 * {@link GemmEngine} (cuBLAS, {@link CublasGemm}, or gemm.cu, {@link KernelGemm}).
 */
final class CudaGemm {
    private final CudaBackend backend;

    CudaGemm(CudaBackend backend) {
        this.backend = backend;
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
              Buffer a, int aOffset, int lda, int strideA, Buffer b, int bOffset, int ldb, int strideB,
              double beta, Buffer c, int cOffset, int ldc, int strideC, int batch) {
        CudaBuffer cb = Checks.floating(backend, c, "gemm");
        CudaBuffer ab = Checks.floating(backend, a, "gemm");
        CudaBuffer bb = Checks.floating(backend, b, "gemm");
        Checks.sameType("gemm", cb.dtype(), ab, bb);
        if (m < 0 || n < 0 || k < 0 || batch < 0) {
            throw new IllegalArgumentException("gemm: sizes must be >= 0, got m=" + m + " n=" + n + " k=" + k + " batch=" + batch);
        }
        if (m == 0 || n == 0 || batch == 0) {
            return;
        }
        checkMatrix("A", ab, aOffset, transA ? k : m, transA ? m : k, lda, strideA, batch);
        checkMatrix("B", bb, bOffset, transB ? n : k, transB ? k : n, ldb, strideB, batch);
        checkMatrix("C", cb, cOffset, m, n, ldc, strideC, batch);
        // With k == 0 the product is C = beta * C and A and B are not read; cuBLAS would still
        // insist on their leading dimensions, our kernel does not care.
        GemmEngine engine = k == 0 ? backend.kernelEngine : backend.engine;
        engine.gemm(cb.dtype(), transA, transB, m, n, k, alpha, ab.address(aOffset), lda, strideA,
                bb.address(bOffset), ldb, strideB, beta, cb.address(cOffset), ldc, strideC, batch);
    }

    /** A stored {@code rows x cols} matrix with row stride {@code ld}, {@code batch} of them {@code stride} apart. */
    private static void checkMatrix(String name, CudaBuffer buf, int offset, int rows, int cols, int ld, int stride, int batch) {
        if (rows == 0 || cols == 0) {
            return;
        }
        if (ld < cols) {
            throw new IllegalArgumentException("gemm: ld" + name.toLowerCase() + " = " + ld + " is less than the "
                    + cols + " columns " + name + " has as stored");
        }
        if (stride < 0) {
            throw new IllegalArgumentException("gemm: negative batch stride " + stride + " for " + name);
        }
        long last = offset + (long) (batch - 1) * stride + (long) (rows - 1) * ld + cols;
        if (offset < 0 || last > buf.length()) {
            throw new IndexOutOfBoundsException("gemm: " + name + " (" + batch + " x " + rows + " x " + cols + ", ld " + ld
                    + ", stride " + stride + ") at offset " + offset + " runs past a buffer of " + buf.length());
        }
    }
}
