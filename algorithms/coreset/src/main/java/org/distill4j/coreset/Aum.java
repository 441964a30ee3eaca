package org.distill4j.coreset;

import java.util.Map;

/**
 * Area under the margin (Pleiss, Zhang, Elenberg and Weinberger 2020, "Identifying Mislabeled Data
 * using the Area Under the Margin Ranking"): an example's margin, its assigned class's logit minus
 * the largest other logit, averaged over training. Here the average is over the end of each of the
 * selection model's epochs ({@link SelectionContext#dynamics}, evaluation mode; the paper averages
 * the margins of the training forward passes), or the initialisation's margin when it trained for
 * 0 epochs. A low or negative AUM marks a hard or mislabelled example; as a coreset method the
 * lowest (hardest) are kept first, as the CCS reference code's AUM baseline does, and it is the
 * score CCS and D2 pruning cut their hardest examples by. Exact budget by a top-k cut (per class
 * with balance); ties to the lower index.
 */
public final class Aum extends ScoreRanking {
    @Override
    public String name() {
        return "aum";
    }

    @Override
    double[] scores(SelectionContext ctx) {
        TrainingDynamics d = ctx.dynamics();
        int n = ctx.data().size();
        double[] aum = new double[n];
        int first = d.epochs() == 0 ? 0 : 1;
        for (int t = first; t <= d.epochs(); t++) {
            float[] m = d.margin(t);
            for (int i = 0; i < n; i++) {
                aum[i] += m[i];
            }
        }
        int count = d.epochs() - first + 1;
        for (int i = 0; i < n; i++) {
            aum[i] /= count;
        }
        return aum;
    }

    @Override
    boolean highestFirst() {
        return false;
    }

    @Override
    Map<String, Object> settings(SelectionContext ctx) {
        return Map.of("balance", ctx.balance(), "epochs", Math.max(1, ctx.dynamics().epochs()));
    }
}
