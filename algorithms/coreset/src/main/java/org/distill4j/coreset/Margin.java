package org.distill4j.coreset;

import org.distill4j.tensor.Tensor;

/**
 * Margin uncertainty sampling (Scheffer, Decomain, Wrobel, "Active Hidden Markov Models for
 * Information Extraction", 2001; Settles 2009, eq. 2.2): score {@code p_(1) - p_(2)}, the gap
 * between the two largest softmax outputs of the selection model, the <b>lowest</b> (most
 * uncertain) kept first. DeepCore keeps the lowest margins in its class-balanced path but the
 * highest in its unbalanced path; here the most uncertain are kept in both. Exact budget by a
 * top-k cut (per class with balance); ties to the lower index.
 */
public final class Margin extends ScoreRanking {
    @Override
    public String name() {
        return "margin";
    }

    @Override
    double[] scores(SelectionContext ctx) {
        Tensor p = ctx.probabilities();
        int n = p.dim(0);
        int c = p.dim(1);
        float[] flat = p.toFloatArray();
        double[] margin = new double[n];
        for (int i = 0; i < n; i++) {
            double first = Double.NEGATIVE_INFINITY;
            double second = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                double v = flat[i * c + j];
                if (v > first) {
                    second = first;
                    first = v;
                } else if (v > second) {
                    second = v;
                }
            }
            // With one class there is no runner-up: every example is equally (un)certain.
            margin[i] = c == 1 ? 0 : first - second;
        }
        return margin;
    }

    @Override
    boolean highestFirst() {
        return false;
    }
}
