package org.distill4j.autodiff;

import org.distill4j.tensor.Tensor;

/**
 * The losses, composed from differentiable ops (log-softmax from {@link SoftmaxOps}), so that
 * every order of derivative follows from the parts:
 *
 * <pre>
 *   crossEntropy(z, labels)     = -mean_n logSoftmax(z)[n, label_n]
 *   crossEntropy(z, soft)       = -mean_n sum_c soft[n, c] * logSoftmax(z)[n, c]
 *   mse(a, b)                   = mean((a - b)^2)
 *   bceWithLogits(z, t)         = mean(softplus(z) - z * t)      (= -t log s - (1-t) log(1-s), stably)
 * </pre>
 */
public final class LossOps {
    private LossOps() {
    }

    /** Per-example cross-entropy {@code [N]} of logits {@code [N, C]} against I32 labels {@code [N]}. */
    public static Var crossEntropyPerExample(Var logits, Tensor labels) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("crossEntropy expects logits [N, C], got "
                    + org.distill4j.tensor.Shape.str(logits.shape()));
        }
        return ElementwiseOps.neg(IndexingOps.gatherRows(SoftmaxOps.logSoftmax(logits, 1), labels));
    }

    /** Mean cross-entropy with hard labels. */
    public static Var crossEntropy(Var logits, Tensor labels) {
        return ReduceOps.mean(crossEntropyPerExample(logits, labels), new int[0], false);
    }

    /** Mean cross-entropy against a distribution per example ({@code [N, C]}, rows summing to 1). */
    public static Var crossEntropy(Var logits, Var targets) {
        Var perExample = ReduceOps.sum(ElementwiseOps.mul(targets, SoftmaxOps.logSoftmax(logits, 1)), new int[]{1}, false);
        return ElementwiseOps.neg(ReduceOps.mean(perExample, new int[0], false));
    }

    public static Var mse(Var a, Var b) {
        return ReduceOps.mean(ElementwiseOps.square(ElementwiseOps.sub(a, b)), new int[0], false);
    }

    public static Var bceWithLogits(Var logits, Var targets) {
        Var perElement = ElementwiseOps.sub(ElementwiseOps.softplus(logits), ElementwiseOps.mul(logits, targets));
        return ReduceOps.mean(perElement, new int[0], false);
    }
}
