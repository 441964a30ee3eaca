package org.distill4j.kernels.cpu;

/** The float64 twin of {@link SgemmKernel}: same contract, double arrays. */
interface DgemmKernel {
    int mr();

    int nr();

    /** {@code C[0..rows, 0..cols] = alpha * Ap * Bp + beta * C}; see {@link SgemmKernel#multiply}. */
    void multiply(int kc, double[] ap, int ai, double[] bp, int bi, double alpha, double beta,
                  double[] c, int ci, int ldc, int rows, int cols, double[] tile);
}
