package org.distill4j.autodiff;

import org.distill4j.tensor.MatMul;

/**
 * Matrix products:
 *
 * <pre>
 *   matmul(a, b)   d/da = sumTo(g x b^T, a.shape)   d/db = sumTo(a^T x g, b.shape)
 *   linear(x, w, b) = x x w^T + b                   (PyTorch's layout: w is [out, in])
 * </pre>
 *
 * Transposes are views; GEMM reads them with a transpose flag instead of copying.
 */
public final class LinalgOps {
    private LinalgOps() {
    }

    public static Var matmul(Var a, Var b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        return Var.record("matmul", MatMul.matmul(a.value(), b.value()),
                g -> new Var[]{
                        a.requiresGrad() ? PointwiseOps.unbroadcast(matmul(g, b.mT()), as) : null,
                        b.requiresGrad() ? PointwiseOps.unbroadcast(matmul(a.mT(), g), bs) : null}, a, b);
    }

    /** {@code x [N, in] x w^T [in, out] + b [out]}; {@code b} may be null. */
    public static Var linear(Var x, Var w, Var b) {
        Var y = matmul(x, w.mT());
        return b == null ? y : PointwiseOps.add(y, b);
    }
}
