package org.distill4j.coreset;

import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Reductions;
import org.distill4j.tensor.Tensor;

/**
 * GRAD-MATCH (Killamsetty, Sivasubramanian, Ramakrishnan, De and Iyer 2021, "GRAD-MATCH:
 * Gradient Matching based Data Subset Selection for Efficient Deep Model Training"): a weighted
 * subset whose weighted gradient sum matches the full gradient. In each class (with class
 * balance) or over the whole set, {@link OrthogonalMatchingPursuit} picks exactly the budget of
 * last-layer gradients ({@link SelectionContext#lastLayerGradients}) to match their mean with
 * ridge {@code lambda} (DeepCore's default 1), then the weights are re-fitted non-negative by
 * {@link Nnls} on the same ridge problem ({@code min ||G_S^T w - mean||^2 + lambda ||w||^2},
 * {@code w >= 0}, started from the positive part of OMP's last fit).
 *
 * <p>Weights are scaled by the group size, so that a weight counts examples (the subset's
 * weighted gradient sum stands for the group's gradient sum, as in CORDS where the target is the
 * sum). Examples whose non-negative weight is 0 are dropped, and the budget is then filled
 * exactly as CORDS's GradMatchStrategy does: with examples of the same group drawn uniformly
 * (seeded) from those not kept, each with weight 1. Scores: OMP's correlation with the residual
 * when an example was picked; NaN for the padding.
 */
public final class GradMatch implements CoresetMethod {
    public static final double DEFAULT_LAMBDA = 1.0;

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
        Generator gen = ctx.generator(name());
        for (Groups.Group g : Groups.of(ctx, budget)) {
            int[] members = g.positions();
            int k = g.budget();
            Tensor grads = ctx.lastLayerGradients(members);
            double[] mean = Reductions.sum(grads, new int[]{0}, false).toDoubleArray();
            for (int i = 0; i < mean.length; i++) {
                mean[i] /= members.length;
            }
            OrthogonalMatchingPursuit.Result omp = OrthogonalMatchingPursuit.run(grads, mean, k, lambda);
            boolean[] start = new boolean[k];
            for (int i = 0; i < k; i++) {
                start[i] = omp.ridge()[i] > 0;
            }
            double[] w = Nnls.solveGram(omp.gram(), omp.rhs(), start);
            boolean[] kept = new boolean[members.length];
            int keptCount = 0;
            for (int i = 0; i < k; i++) {
                if (w[i] > 0) {
                    int local = omp.picked()[i];
                    kept[local] = true;
                    indices[filled] = members[local];
                    weights[filled] = w[i] * members.length;
                    scores[filled++] = omp.correlations()[i];
                    keptCount++;
                }
            }
            // Pad with uniformly drawn examples of the group that were not kept, weight 1 (CORDS).
            int[] order = gen.fork(g.label() + 1L).permutation(members.length);
            for (int p = 0; keptCount < k; p++) {
                int local = order[p];
                if (!kept[local]) {
                    kept[local] = true;
                    indices[filled] = members[local];
                    weights[filled] = 1;
                    scores[filled++] = Double.NaN;
                    keptCount++;
                    padded++;
                }
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("lambda", lambda);
        settings.put("padded", padded);
        settings.put("balance", ctx.balance());
        return new Selection(name(), indices, weights, scores, settings);
    }
}
