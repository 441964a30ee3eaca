package org.distill4j.coreset;

import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Reduce;
import org.distill4j.tensor.Tensor;

/**
 * GRAD-MATCH (Killamsetty, Sivasubramanian, Ramakrishnan, De and Iyer 2021, "GRAD-MATCH:
 * Gradient Matching based Data Subset Selection for Efficient Deep Model Training"): a weighted
 * subset whose weighted gradient sum matches the full gradient. In each class (with class
 * balance) or over the whole set, non-negative {@link OrthogonalMatchingPursuit} chooses the budget
 * of last-layer gradients ({@link SelectionContext#lastLayerGradients}) and their weights
 * {@code w >= 0} to match their mean, {@code min ||G_S^T w - mean||^2 + lambda ||w||^2} (ridge
 * {@code lambda}, CORDS's default 0.5; DeepCore's is 1), non-negativity enforced inside every step as in
 * the paper and CORDS's {@code OrthogonalMP_REG(positive=True)}.
 *
 * <p>Weights are scaled by the group size, so that a weight counts examples (the subset's
 * weighted gradient sum stands for the group's gradient sum, as in CORDS where the target is the
 * sum; the problem is the same with the same lambda). Every pick has a positive weight, so the
 * budget is met by the pursuit itself. Only when a group has fewer usable examples than its budget
 * (no example outside the chosen ones correlates positively with the residual: the non-negative
 * fit over the whole group is reached with fewer examples, e.g. a class the model predicts
 * perfectly, whose gradients are 0) is the rest filled as CORDS's GradMatchStrategy does: with
 * examples of the same group drawn uniformly (seeded) from those not chosen, each with weight 1;
 * the settings then count them ({@code padded}) and say where ({@code note}). Scores: an example's
 * correlation with the residual when it was picked; NaN for the padding.
 */
public final class GradMatch implements CoresetMethod {
    /** CORDS's configurations' ridge ({@code lam=0.5}); DeepCore uses 1. */
    public static final double DEFAULT_LAMBDA = 0.5;

    private final double lambda;

    public GradMatch() {
        this(DEFAULT_LAMBDA);
    }

    public GradMatch(double lambda) {
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("gradmatch ridge lambda must be finite and > 0, got " + lambda);
        }
        this.lambda = lambda;
    }

    @Override
    public String name() {
        return "gradmatch";
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        int[] indices = new int[budget];
        double[] weights = new double[budget];
        double[] scores = new double[budget];
        int filled = 0;
        int padded = 0;
        StringBuilder note = new StringBuilder();
        Generator gen = ctx.generator(name());
        for (Groups.Group g : Groups.of(ctx, budget)) {
            int[] members = g.positions();
            int k = g.budget();
            Tensor grads = ctx.lastLayerGradients(members);
            double[] mean = Reduce.sum(grads, new int[]{0}, false).toDoubleArray();
            for (int i = 0; i < mean.length; i++) {
                mean[i] /= members.length;
            }
            Tensor h = Indexing.indexSelect(ctx.embeddings(), 0, Tensor.fromInts(members, members.length));
            OrthogonalMatchingPursuit.Result omp = OrthogonalMatchingPursuit.runLastLayer(ctx.logitGradients(members), h, mean,
                    k, lambda);
            boolean[] kept = new boolean[members.length];
            for (int i = 0; i < omp.picked().length; i++) {
                int local = omp.picked()[i];
                kept[local] = true;
                indices[filled] = members[local];
                weights[filled] = omp.weights()[i] * members.length;
                scores[filled++] = omp.correlations()[i];
            }
            int missing = k - omp.picked().length;
            if (missing > 0) {
                note.append(note.length() == 0 ? "" : "; ").append(String.format(java.util.Locale.ROOT,
                        "%s: %d of %d picks matched (%s), %d drawn uniformly with weight 1",
                        g.label() < 0 ? "all classes" : "class " + g.label(), omp.picked().length, k,
                        omp.exhausted() ? "no other example correlates with the residual" : "the pursuit's pass limit",
                        missing));
            }
            // Pad with uniformly drawn examples of the group that were not kept, weight 1 (CORDS).
            int[] order = gen.fork(g.label() + 1L).permutation(members.length);
            for (int p = 0; missing > 0; p++) {
                int local = order[p];
                if (!kept[local]) {
                    kept[local] = true;
                    indices[filled] = members[local];
                    weights[filled] = 1;
                    scores[filled++] = Double.NaN;
                    missing--;
                    padded++;
                }
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("lambda", lambda);
        settings.put("padded", padded);
        if (padded > 0) {
            settings.put("note", note.toString());
        }
        settings.put("balance", ctx.balance());
        return new Selection(name(), indices, weights, scores, settings);
    }
}
