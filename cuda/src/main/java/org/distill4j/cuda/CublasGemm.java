package org.distill4j.cuda;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;
import org.distill4j.kernels.DType;

/**
 * GEMM on cuBLAS, on the device's stream. cuBLAS is column-major; a row-major matrix is the
 * column-major view of its transpose, so row-major {@code C = op(A) op(B)} is computed as the
 * column-major {@code C^T = op(B)^T op(A)^T}: swap the operands and m with n, keep the transposes
 * and the leading dimensions. The default math mode keeps full FP32 (no TF32), as the CPU does.
 */
final class CublasGemm implements GemmEngine {
    private final JCudaDevice device;
    private final cublasHandle handle = new cublasHandle();

    /**
     * @throws LinkageError when JCublas or libcublas cannot be loaded; the caller falls back to
     *                      {@link KernelGemm}
     */
    CublasGemm(JCudaDevice device) {
        this.device = device;
        JCublas2.setExceptionsEnabled(false);  // loads libJCublas2 and with it libcublas
        device.makeCurrent();
        check(JCublas2.cublasCreate(handle), "cublasCreate");
        check(JCublas2.cublasSetStream(handle, new cudaStream_t(device.stream())), "cublasSetStream");
    }

    @Override
    public String name() {
        return "cuBLAS";
    }

    @Override
    public void gemm(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha,
                     long a, int lda, long strideA, long b, int ldb, long strideB,
                     double beta, long c, int ldc, long strideC, int batch) {
        int opA = transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int opB = transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        synchronized (device) {
            device.makeCurrent();
            Pointer pa = device.at(a);
            Pointer pb = device.at(b);
            Pointer pc = device.at(c);
            int status;
            if (dtype == DType.F64) {
                Pointer al = Pointer.to(new double[] {alpha});
                Pointer be = Pointer.to(new double[] {beta});
                status = batch == 1
                        ? JCublas2.cublasDgemm(handle, opB, opA, n, m, k, al, pb, ldb, pa, lda, be, pc, ldc)
                        : JCublas2.cublasDgemmStridedBatched(handle, opB, opA, n, m, k, al, pb, ldb, strideB,
                                pa, lda, strideA, be, pc, ldc, strideC, batch);
            } else {
                Pointer al = Pointer.to(new float[] {(float) alpha});
                Pointer be = Pointer.to(new float[] {(float) beta});
                status = batch == 1
                        ? JCublas2.cublasSgemm(handle, opB, opA, n, m, k, al, pb, ldb, pa, lda, be, pc, ldc)
                        : JCublas2.cublasSgemmStridedBatched(handle, opB, opA, n, m, k, al, pb, ldb, strideB,
                                pa, lda, strideA, be, pc, ldc, strideC, batch);
            }
            check(status, "cuBLAS GEMM " + m + "x" + n + "x" + k + " batch " + batch);
        }
    }

    private static void check(int status, String what) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException(what + " failed: " + cublasStatus.stringFor(status));
        }
    }
}
