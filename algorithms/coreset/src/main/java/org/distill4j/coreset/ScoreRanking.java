package org.distill4j.coreset;

import java.util.Map;

/**
 * A method that scores every example and keeps the best-scored ones: in each class on its share of
 * the budget when balancing, else over the whole set. The budget is met exactly by construction
 * (a top-k cut, no padding). Ties go to {@link #tieBreak} order when a method gives one, else to
 * the lower index.
 */
abstract class ScoreRanking implements CoresetMethod {
    /** One score per example of the data set. */
    abstract double[] scores(SelectionContext ctx);

    /** True when a higher score means "keep first". */
    abstract boolean highestFirst();

    /** Per-example tie-break keys (smaller wins), or null for "lower index first". */
    double[] tieBreak(SelectionContext ctx) {
        return null;
    }

    /** The settings recorded in the selection. */
    Map<String, Object> settings(SelectionContext ctx) {
        return Map.of("balance", ctx.balance());
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        var groups = Groups.of(ctx, budget);
        double[] scores = scores(ctx);
        double[] ties = tieBreak(ctx);
        int[] indices = new int[budget];
        double[] kept = new double[budget];
        int j = 0;
        for (Groups.Group g : groups) {
            double[] s = Groups.at(scores, g.positions());
            int[] best = Groups.top(s, g.budget(), highestFirst(), ties == null ? null : Groups.at(ties, g.positions()));
            for (int b : best) {
                indices[j] = g.positions()[b];
                kept[j++] = s[b];
            }
        }
        return Selection.unweighted(name(), indices, kept, settings(ctx));
    }
}
