package org.distill4j.coreset;

import org.distill4j.tensor.Reduce;

/**
 * Least-confidence uncertainty sampling (Settles, "Active Learning Literature Survey", 2009, eq.
 * 2.1; Coleman et al., "Selection via Proxy", ICLR 2020): score {@code 1 - max_j p_j} of the
 * selection model's softmax, the highest (least confident) kept first.
 *
 * <p>DeepCore's {@code Uncertainty} ranks the raw maximum logit and, in its class-balanced path,
 * keeps the lowest scores (the most uncertain) but in its unbalanced path the highest (the most
 * certain). Here the most uncertain are kept in both paths. Exact budget by a top-k cut (per class
 * with balance); ties to the lower index.
 */
public final class LeastConfidence extends ScoreRanking {
    @Override
    public String name() {
        return "least-confidence";
    }

    @Override
    double[] scores(SelectionContext ctx) {
        double[] max = Reduce.max(ctx.probabilities(), new int[]{1}, false).toDoubleArray();
        for (int i = 0; i < max.length; i++) {
            max[i] = 1 - max[i];
        }
        return max;
    }

    @Override
    boolean highestFirst() {
        return true;
    }
}
