package org.distill4j.cuda;

import org.distill4j.kernels.DType;

/**
 * GEMM on our own tiled kernel (gemm.cu): the fallback when cuBLAS cannot be loaded. gemm.cu puts
 * the 64-row tiles of C on gridDim.y and the batch on gridDim.z, both at most 65,535, so a taller C
 * (more than 4,194,240 rows) or a longer batch is split into several launches over row and batch
 * ranges: each launch is the same GEMM on the sub-matrices, addressed by offsetting A and C.
 */
final class KernelGemm implements GemmEngine {
    private final Device device;
    private final String why;

    KernelGemm(Device device, String why) {
        this.device = device;
        this.why = why;
    }

    @Override
    public String name() {
        return why.isEmpty() ? "gemm.cu" : "gemm.cu (" + why + ")";
    }

    @Override
    public void gemm(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha,
                     long a, int lda, long strideA, long b, int ldb, long strideB,
                     double beta, long c, int ldc, long strideC, int batch) {
        boolean f64 = dtype == DType.F64;
        long bytes = dtype.bytes();
        int rowsPerLaunch = LaunchConfig.gemmRowsPerLaunch();
        int batchesPerLaunch = LaunchConfig.gemmBatchesPerLaunch();
        for (int first = 0; first < batch; first += batchesPerLaunch) {
            int count = Math.min(batchesPerLaunch, batch - first);
            for (int row = 0; row < m; row += rowsPerLaunch) {
                int rows = Math.min(rowsPerLaunch, m - row);
                // Row i of op(A) starts at i * lda when A is stored m x k, at column i when stored k x m.
                long aRow = transA ? row : (long) row * lda;
                KernelArgs args = new KernelArgs().flag(transA).flag(transB).i32(rows).i32(n).i32(k).real(f64, alpha)
                        .pointer(a + (first * strideA + aRow) * bytes).i32(lda).i64(strideA)
                        .pointer(b + first * strideB * bytes).i32(ldb).i64(strideB)
                        .real(f64, beta).pointer(c + (first * strideC + (long) row * ldc) * bytes).i32(ldc).i64(strideC);
                device.launch(f64 ? "gemm_f64" : "gemm_f32", LaunchConfig.gemm(rows, n, count), args);
            }
        }
    }
}
