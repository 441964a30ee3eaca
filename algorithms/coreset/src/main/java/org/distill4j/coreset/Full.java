package org.distill4j.coreset;

import java.util.Arrays;
import java.util.Map;

/**
 * The whole training set, the upper baseline. The only method that ignores the budget: its
 * selection always has all N examples (in order, weight 1, no scores), whatever budget and class
 * balance are asked for, so that "full" can sit in the same tables as the other methods.
 */
public final class Full implements CoresetMethod {
    @Override
    public String name() {
        return "full";
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        int n = ctx.data().size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        double[] scores = new double[n];
        Arrays.fill(scores, Double.NaN);
        return Selection.unweighted(name(), all, scores, Map.of("budget_ignored", budget));
    }
}
