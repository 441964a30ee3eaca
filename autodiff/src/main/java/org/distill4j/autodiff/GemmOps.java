package org.distill4j.autodiff;

import org.distill4j.tensor.Gemm;

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
public final class GemmOps {
    private GemmOps() {
    }

    public static Var matmul(Var a, Var b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        return Var.record("matmul", Gemm.matmul(a.value(), b.value()),
                g -> new Var[]{
                        a.requiresGrad() ? ElementwiseOps.unbroadcast(matmul(g, b.mT()), as) : null,
                        b.requiresGrad() ? ElementwiseOps.unbroadcast(matmul(a.mT(), g), bs) : null}, a, b);
    }

    /**
     * {@code x [N, in] x w^T [in, out] + b [out]}; {@code b} may be null. With a 2-D {@code x} the
     * weight gradient is computed as {@code g^T x}, already in w's {@code [out, in]} layout: as
     * {@code matmul(x, w.mT())} it would come back as the transposed view of {@code x^T g}, and
     * every later elementwise op on it (the optimizer's update) would walk it with a stride.
     */
    public static Var linear(Var x, Var w, Var b) {
        Var y;
        if (x.shape().length == 2) {
            y = Var.record("linear", Gemm.matmul(x.value(), w.value().mT()),
                    g -> new Var[]{
                            x.requiresGrad() ? matmul(g, w) : null,
                            w.requiresGrad() ? matmul(g.mT(), x) : null}, x, w);
        } else {
            y = matmul(x, w.mT());
        }
        return b == null ? y : ElementwiseOps.add(y, b);
    }
}
