package org.distill4j.coreset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distill4j.tensor.Gemm;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Reduce;
import org.distill4j.tensor.Tensor;

/**
 * Herding (Welling, "Herding Dynamical Weights to Learn", ICML 2009; Chen, Welling, Smola,
 * "Super-Samples from Kernel Herding", UAI 2010) with the linear kernel in the selection model's
 * embedding space: pick, one at a time, the example that brings the running mean of the picks
 * closest to the data mean,
 * {@code x_{t+1} = argmin_x || (t+1) mu - sum_{s in S} phi(s) - phi(x) ||},
 * so the mean of the first t picks approaches {@code mu} at rate O(1/t) instead of the O(1/sqrt t)
 * of random order.
 *
 * <p>DeepCore's {@code herding} computes the same distance but takes its <b>argmax</b>, which picks
 * the example that moves the running mean farthest from {@code mu}; this class follows the papers.
 * The greedy adds exactly one example per step until the budget is reached (no padding or
 * trimming); with class balance it runs inside each class on that class's budget and mean. Each
 * step costs one [n, E] x [E, 1] product: expanding the square, the argmin is the argmax of
 * {@code 2 <phi(x), target> - |phi(x)|^2} with {@code target = (t+1) mu - sum_S phi}.
 * Ties go to the lower index. Scores: the step at which each example was picked (0-based).
 */
public final class Herding implements CoresetMethod, Objective {
    @Override
    public String name() {
        return "herding";
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        Tensor all = ctx.embeddings();
        List<int[]> chosen = new ArrayList<>();
        List<double[]> steps = new ArrayList<>();
        for (Groups.Group g : Groups.of(ctx, budget)) {
            Tensor f = ctx.balance() ? Indexing.indexSelect(all, 0, Tensor.fromInts(g.positions(), g.positions().length)) : all;
            int[] order = order(f, g.budget());
            int[] idx = new int[order.length];
            double[] s = new double[order.length];
            for (int i = 0; i < order.length; i++) {
                idx[i] = g.positions()[order[i]];
                s[i] = i;
            }
            chosen.add(idx);
            steps.add(s);
        }
        return Selection.unweighted(name(), KCenterGreedy.concat(chosen), KCenterGreedy.concatScores(steps),
                Map.of("balance", ctx.balance(), "space", "embedding"));
    }

    /**
     * The moment distance herding drives down: {@code ||mean(S_g) - mu_g||} in each group (each class
     * with balance), combined as {@code sqrt(sum_g (n_g / n) ||mean(S_g) - mu_g||^2)} over the groups
     * with a pick; lower is better.
     */
    @Override
    public Value objective(SelectionContext ctx, int[] indices) {
        Tensor all = ctx.embeddings();
        int e = all.dim(1);
        double sum = 0;
        long counted = 0;
        for (int[][] g : Groups.membersAndPicks(ctx, indices)) {
            Tensor f = ctx.balance() ? Indexing.indexSelect(all, 0, Tensor.fromInts(g[0], g[0].length)) : all;
            double[] mu = Reduce.sum(f, new int[]{0}, false).toDoubleArray();
            double[] picked = Reduce.sum(Indexing.indexSelect(f, 0, Tensor.fromInts(g[1], g[1].length)), new int[]{0},
                    false).toDoubleArray();
            double d2 = 0;
            for (int j = 0; j < e; j++) {
                double diff = picked[j] / g[1].length - mu[j] / g[0].length;
                d2 += diff * diff;
            }
            sum += g[0].length * d2;
            counted += g[0].length;
        }
        return new Value("moment-distance", Math.sqrt(sum / counted), false);
    }

    /** The first {@code k} herding picks among the rows of {@code features} ({@code [n, E]}), in order. */
    public static int[] order(Tensor features, int k) {
        int n = features.dim(0);
        double[] mu = Reduce.sum(features.contiguous(), new int[]{0}, false).toDoubleArray();
        for (int j = 0; j < mu.length; j++) {
            mu[j] /= n;
        }
        return order(features, k, mu);
    }

    /**
     * The first {@code k} herding picks among the rows of {@code features} towards a mean {@code mu}
     * given from outside: the mean of a larger set the rows are candidates from (a distributed run's
     * exact class mean, with candidates proposed by each partition).
     */
    public static int[] order(Tensor features, int k, double[] mu) {
        int n = features.dim(0);
        int e = features.dim(1);
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("cannot herd " + k + " of " + n + " points");
        }
        if (mu.length != e) {
            throw new IllegalArgumentException("herding target has " + mu.length + " values for " + e + " features");
        }
        Tensor x = features.contiguous();
        double[] norms = NearestCenters.rowSquaredNorms(x);
        double[] sum = new double[e];
        double[] target = new double[e];
        boolean[] taken = new boolean[n];
        int[] picks = new int[k];
        for (int t = 0; t < k; t++) {
            for (int j = 0; j < e; j++) {
                target[j] = (t + 1) * mu[j] - sum[j];
            }
            double[] dots = Gemm.matmul(x, Tensor.from(x.dtype(), target, e, 1)).toDoubleArray();
            int best = -1;
            double bestGain = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double gain = 2 * dots[i] - norms[i];
                if (!taken[i] && gain > bestGain) {
                    bestGain = gain;
                    best = i;
                }
            }
            if (best < 0) {
                throw new IllegalStateException("herding: the embeddings are not finite (did the selection model diverge?)");
            }
            picks[t] = best;
            taken[best] = true;
            double[] row = x.select(0, best).toDoubleArray();
            for (int j = 0; j < e; j++) {
                sum[j] += row[j];
            }
        }
        return picks;
    }
}
