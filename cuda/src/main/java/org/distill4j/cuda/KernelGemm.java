package org.distill4j.cuda;

import org.distill4j.kernels.DType;

/** GEMM on our own tiled kernel (gemm.cu): the fallback when cuBLAS cannot be loaded. */
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
        if ((long) LaunchConfig.ceilDiv(m, LaunchConfig.GEMM_TILE) > LaunchConfig.MAX_GRID_YZ) {
            throw new IllegalArgumentException("gemm: m = " + m + " is beyond gemm.cu's grid (at most "
                    + (long) LaunchConfig.MAX_GRID_YZ * LaunchConfig.GEMM_TILE + " rows)");
        }
        // gridDim.z carries the batch index: split batches the hardware cannot take at once.
        for (int first = 0; first < batch; first += LaunchConfig.MAX_GRID_YZ) {
            int count = Math.min(LaunchConfig.MAX_GRID_YZ, batch - first);
            KernelArgs args = new KernelArgs().flag(transA).flag(transB).i32(m).i32(n).i32(k).real(f64, alpha)
                    .pointer(a + first * strideA * bytes).i32(lda).i64(strideA)
                    .pointer(b + first * strideB * bytes).i32(ldb).i64(strideB)
                    .real(f64, beta).pointer(c + first * strideC * bytes).i32(ldc).i64(strideC);
            device.launch(f64 ? "gemm_f64" : "gemm_f32", LaunchConfig.gemm(m, n, count), args);
        }
    }
}
