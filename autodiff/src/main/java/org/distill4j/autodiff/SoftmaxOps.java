package org.distill4j.autodiff;

import org.distill4j.tensor.Softmax;

/**
 * Softmax and log-softmax along an axis:
 *
 * <pre>
 *   y = logSoftmax(x)   d/dx = g - exp(y) * sum(g)
 *   s = softmax(x)      d/dx = s * (g - sum(g * s))
 * </pre>
 *
 * The backward rules use the op's own output, so second derivatives flow through it.
 */
public final class SoftmaxOps {
    private SoftmaxOps() {
    }

    public static Var logSoftmax(Var x, int axis) {
        int[] axes = {axis};
        Var[] y = new Var[1];
        y[0] = Var.record("logSoftmax", Softmax.logSoftmax(x.value(), axis),
                g -> new Var[]{ElementwiseOps.sub(g, ElementwiseOps.mul(ElementwiseOps.exp(y[0]),
                        ReduceOps.sum(g, axes, true)))}, x);
        return y[0];
    }

    public static Var softmax(Var x, int axis) {
        int[] axes = {axis};
        Var[] s = new Var[1];
        s[0] = Var.record("softmax", Softmax.softmax(x.value(), axis),
                g -> new Var[]{ElementwiseOps.mul(s[0], ElementwiseOps.sub(g,
                        ReduceOps.sum(ElementwiseOps.mul(g, s[0]), axes, true)))}, x);
        return s[0];
    }
}
