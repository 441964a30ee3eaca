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

    /**
     * One column-major cuBLAS call, {@code C = alpha * op(first) * op(second) + beta * C} on
     * {@code m x n} column-major C, that computes a row-major GEMM: {@link #of} makes it.
     */
    record ColumnMajor(boolean transFirst, boolean transSecond, int m, int n, int k,
                       long first, int ldFirst, long strideFirst, long second, int ldSecond, long strideSecond,
                       long c, int ldc, long strideC, int batch) {

        /**
         * Row-major {@code C = op(A) op(B)} (m x n, inner k) is column-major {@code C^T = op(B)^T op(A)^T}:
         * a row-major matrix read column-major is its transpose, so B comes first with B's
         * transpose flag, A second with A's, and m and n trade places; leading dimensions and
         * batch strides stay with their matrices.
         */
        static ColumnMajor of(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long strideA,
                              long b, int ldb, long strideB, long c, int ldc, long strideC, int batch) {
            return new ColumnMajor(transB, transA, n, m, k, b, ldb, strideB, a, lda, strideA, c, ldc, strideC, batch);
        }
    }

    @Override
    public void gemm(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha,
                     long a, int lda, long strideA, long b, int ldb, long strideB,
                     double beta, long c, int ldc, long strideC, int batch) {
        ColumnMajor call = ColumnMajor.of(transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc, strideC, batch);
        int op1 = call.transFirst() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int op2 = call.transSecond() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        synchronized (device) {
            device.makeCurrent();
            Pointer p1 = device.at(call.first());
            Pointer p2 = device.at(call.second());
            Pointer pc = device.at(call.c());
            int status;
            if (dtype == DType.F64) {
                Pointer al = Pointer.to(new double[] {alpha});
                Pointer be = Pointer.to(new double[] {beta});
                status = call.batch() == 1
                        ? JCublas2.cublasDgemm(handle, op1, op2, call.m(), call.n(), call.k(), al, p1, call.ldFirst(), p2,
                                call.ldSecond(), be, pc, call.ldc())
                        : JCublas2.cublasDgemmStridedBatched(handle, op1, op2, call.m(), call.n(), call.k(), al,
                                p1, call.ldFirst(), call.strideFirst(), p2, call.ldSecond(), call.strideSecond(),
                                be, pc, call.ldc(), call.strideC(), call.batch());
            } else {
                Pointer al = Pointer.to(new float[] {(float) alpha});
                Pointer be = Pointer.to(new float[] {(float) beta});
                status = call.batch() == 1
                        ? JCublas2.cublasSgemm(handle, op1, op2, call.m(), call.n(), call.k(), al, p1, call.ldFirst(), p2,
                                call.ldSecond(), be, pc, call.ldc())
                        : JCublas2.cublasSgemmStridedBatched(handle, op1, op2, call.m(), call.n(), call.k(), al,
                                p1, call.ldFirst(), call.strideFirst(), p2, call.ldSecond(), call.strideSecond(),
                                be, pc, call.ldc(), call.strideC(), call.batch());
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
