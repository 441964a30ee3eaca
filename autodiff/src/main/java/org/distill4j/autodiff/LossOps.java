package org.distill4j.autodiff;

import org.distill4j.tensor.Softmax;
import org.distill4j.tensor.Tensor;

/**
 * Softmax, log-softmax and the losses:
 *
 * <pre>
 *   y = logSoftmax(x)   d/dx = g - exp(y) * sum(g)
 *   s = softmax(x)      d/dx = s * (g - sum(g * s))
 *   crossEntropy(z, labels)     = -mean_n logSoftmax(z)[n, label_n]
 *   crossEntropy(z, soft)       = -mean_n sum_c soft[n, c] * logSoftmax(z)[n, c]
 *   mse(a, b)                   = mean((a - b)^2)
 *   bceWithLogits(z, t)         = mean(softplus(z) - z * t)      (= -t log s - (1-t) log(1-s), stably)
 * </pre>
 *
 * The backward rules use the op's own output, so second derivatives flow through it.
 */
public final class LossOps {
    private LossOps() {
    }

    public static Var logSoftmax(Var x, int axis) {
        int[] axes = {axis};
        Var[] y = new Var[1];
        y[0] = Var.record("logSoftmax", Softmax.logSoftmax(x.value(), axis),
                g -> new Var[]{PointwiseOps.sub(g, PointwiseOps.mul(PointwiseOps.exp(y[0]),
                        ReduceOps.sum(g, axes, true)))}, x);
        return y[0];
    }

    public static Var softmax(Var x, int axis) {
        int[] axes = {axis};
        Var[] s = new Var[1];
        s[0] = Var.record("softmax", Softmax.softmax(x.value(), axis),
                g -> new Var[]{PointwiseOps.mul(s[0], PointwiseOps.sub(g,
                        ReduceOps.sum(PointwiseOps.mul(g, s[0]), axes, true)))}, x);
        return s[0];
    }

    /** Per-example cross-entropy {@code [N]} of logits {@code [N, C]} against I32 labels {@code [N]}. */
    public static Var crossEntropyPerExample(Var logits, Tensor labels) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("crossEntropy expects logits [N, C], got "
                    + org.distill4j.tensor.Shape.str(logits.shape()));
        }
        return PointwiseOps.neg(ShapeOps.gatherRows(logSoftmax(logits, 1), labels));
    }

    /** Mean cross-entropy with hard labels. */
    public static Var crossEntropy(Var logits, Tensor labels) {
        return ReduceOps.mean(crossEntropyPerExample(logits, labels), new int[0], false);
    }

    /** Mean cross-entropy against a distribution per example ({@code [N, C]}, rows summing to 1). */
    public static Var crossEntropy(Var logits, Var targets) {
        Var perExample = ReduceOps.sum(PointwiseOps.mul(targets, logSoftmax(logits, 1)), new int[]{1}, false);
        return PointwiseOps.neg(ReduceOps.mean(perExample, new int[0], false));
    }

    public static Var mse(Var a, Var b) {
        return ReduceOps.mean(PointwiseOps.square(PointwiseOps.sub(a, b)), new int[0], false);
    }

    public static Var bceWithLogits(Var logits, Var targets) {
        Var perElement = PointwiseOps.sub(PointwiseOps.softplus(logits), PointwiseOps.mul(logits, targets));
        return ReduceOps.mean(perElement, new int[0], false);
    }
}
