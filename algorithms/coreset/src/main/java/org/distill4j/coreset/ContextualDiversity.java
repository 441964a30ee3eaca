package org.distill4j.coreset;

import org.distill4j.kernels.UnaryOp;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Reduce;
import org.distill4j.tensor.Tensor;

/**
 * Contextual Diversity (Agarwal, Arora, Anand, Arora, "Contextual Diversity for Active Learning",
 * ECCV 2020), as DeepCore runs it for coresets: k-Center Greedy on the selection model's softmax
 * outputs with the symmetric KL divergence
 * {@code d(p, q) = 1/2 KL(p||q) + 1/2 KL(q||p) = 1/2 sum_j (p_j - q_j)(log p_j - log q_j)}
 * as the distance. Seeded random first point, exact budget by the greedy itself (no padding or
 * trimming), per class with balance; scores are the divergence of each pick to its nearest
 * earlier pick. The divergence is bilinear in {@code [p, log p]}, so each pick costs one
 * [N, 2C] x [2C, 1] product, as in k-Center Greedy.
 */
public final class ContextualDiversity extends KCenterGreedy {
    /** Probabilities are floored here before the logarithm (a softmax in F32 can underflow to 0). */
    static final double FLOOR = 1e-12;

    @Override
    public String name() {
        return "contextual-diversity";
    }

    @Override
    Tensor features(SelectionContext ctx) {
        return ctx.probabilities();
    }

    @Override
    NearestCenters distances(Tensor p) {
        Tensor logP = Elementwise.unary(UnaryOp.LOG, Elementwise.unary(UnaryOp.CLAMP, p, FLOOR, 1));
        // d(x, c) = 1/2 sum x log x + 1/2 sum c log c - 1/2 (<x, log c> + <log x, c>)
        Tensor phi = Indexing.concat(1, p, logP);
        Tensor psi = Indexing.concat(1, logP, p);
        double[] self = Reduce.sum(Elementwise.mul(p, logP), new int[]{1}, false).toDoubleArray();
        for (int i = 0; i < self.length; i++) {
            self[i] *= 0.5;
        }
        return new NearestCenters(phi, self, psi, self, 0.5);
    }

    @Override
    double reported(double d) {
        return d;
    }
}
