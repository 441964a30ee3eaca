package org.distill4j.coreset;

import java.util.Arrays;
import java.util.Map;
import org.distill4j.tensor.Generator;

/**
 * Uniform random selection without replacement, the baseline every coreset paper compares with
 * (DeepCore's {@code Uniform}): a seeded permutation of the whole set, or of each class with class
 * balance, cut at the budget; exact by construction. Indices come out ascending within each class
 * (or overall); no scores.
 */
public final class Uniform implements CoresetMethod {
    @Override
    public String name() {
        return "uniform";
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        Generator gen = ctx.generator(name());
        int[] indices = new int[budget];
        int j = 0;
        for (Groups.Group g : Groups.of(ctx, budget)) {
            int[] perm = gen.fork(g.label() + 1).permutation(g.positions().length);
            int[] picked = new int[g.budget()];
            for (int i = 0; i < picked.length; i++) {
                picked[i] = g.positions()[perm[i]];
            }
            Arrays.sort(picked);
            System.arraycopy(picked, 0, indices, j, picked.length);
            j += picked.length;
        }
        double[] scores = new double[budget];
        Arrays.fill(scores, Double.NaN);
        return Selection.unweighted(name(), indices, scores, Map.of("balance", ctx.balance()));
    }
}
