package org.distill4j.coreset;

import org.distill4j.kernels.UnaryOp;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Reduce;
import org.distill4j.tensor.Tensor;

/**
 * Entropy uncertainty sampling (Settles 2009, eq. 2.3; Coleman et al., ICLR 2020): score
 * {@code H(p) = -sum_j p_j log p_j} of the selection model's softmax (with {@code 0 log 0 = 0}),
 * the highest kept first. DeepCore keeps the lowest scores in its class-balanced path and the
 * highest in its unbalanced path (and adds 1e-6 inside the log); here the most uncertain are kept
 * in both. Exact budget by a top-k cut (per class with balance); ties to the lower index.
 */
public final class Entropy extends ScoreRanking {
    @Override
    public String name() {
        return "entropy";
    }

    @Override
    double[] scores(SelectionContext ctx) {
        Tensor p = ctx.probabilities();
        // A zero probability meets log(1e-30), finite in F32, times 0: the term vanishes, as 0 log 0 should.
        Tensor logP = Elementwise.unary(UnaryOp.LOG, Elementwise.unary(UnaryOp.CLAMP, p, 1e-30, 1));
        double[] h = Reduce.sum(Elementwise.mul(p, logP), new int[]{1}, false).toDoubleArray();
        for (int i = 0; i < h.length; i++) {
            h[i] = h[i] == 0 ? 0 : -h[i];
        }
        return h;
    }

    @Override
    boolean highestFirst() {
        return true;
    }
}
