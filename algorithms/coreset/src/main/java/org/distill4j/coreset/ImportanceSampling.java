package org.distill4j.coreset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Tensor;

/**
 * Importance sampling by sensitivity (Langberg and Schulman 2010; Feldman and Langberg 2011), with
 * the k-means sensitivity upper bound of Bachem, Lucic and Krause, "Practical Coreset
 * Constructions for Machine Learning" (arXiv:1703.06476, 2017), Algorithm 2, in the selection
 * model's embedding space:
 * <ol>
 *   <li>a rough clustering B of {@code clusters} centers by D^2 sampling (k-means++ seeding,
 *       Arthur and Vassilvitskii 2007), each point assigned to its nearest center, cluster B_i;</li>
 *   <li>{@code s(x) = a d(x,B)^2 / c + 2a (sum_{x' in B_i} d(x',B)^2) / (|B_i| c) + 4 |X| / |B_i|}
 *       with {@code c = mean_x d(x,B)^2} and {@code a = 16 (ln k + 2)}; {@code q(x) = s(x) / sum s};</li>
 *   <li>draws i.i.d. from q with weight {@code 1 / (m q(x))} per draw.</li>
 * </ol>
 * The papers draw a fixed number m of times with replacement; to give exactly {@code budget}
 * distinct examples this class keeps drawing until {@code budget} distinct examples have come up
 * (m is then the number of draws made) and merges repeats: an example drawn {@code r} times gets
 * weight {@code r / (m q(x))}, so the weights still estimate each example's share of the set (they
 * sum to about N, or about n_c per class with balance). Scores: {@code q(x)}.
 */
public final class ImportanceSampling implements CoresetMethod {
    private final int clusters;

    public ImportanceSampling() {
        this(10);
    }

    public ImportanceSampling(int clusters) {
        if (clusters < 1) {
            throw new IllegalArgumentException("importance sampling needs at least 1 cluster, got " + clusters);
        }
        this.clusters = clusters;
    }

    @Override
    public String name() {
        return "importance";
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        Tensor all = ctx.embeddings();
        Generator gen = ctx.generator(name());
        List<int[]> chosen = new ArrayList<>();
        List<double[]> weights = new ArrayList<>();
        List<double[]> probabilities = new ArrayList<>();
        for (Groups.Group g : Groups.of(ctx, budget)) {
            Tensor f = ctx.balance() ? Indexing.indexSelect(all, 0, Tensor.fromInts(g.positions(), g.positions().length)) : all;
            Generator groupGen = gen.fork(g.label() + 1);
            double[] q = samplingProbabilities(f, clusters, groupGen.fork(0));
            Draw d = draw(q, g.budget(), groupGen.fork(1));
            int[] idx = new int[d.picks().length];
            double[] p = new double[idx.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = g.positions()[d.picks()[i]];
                p[i] = q[d.picks()[i]];
            }
            chosen.add(idx);
            weights.add(d.weights());
            probabilities.add(p);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("balance", ctx.balance());
        settings.put("clusters", clusters);
        settings.put("bound", "k-means sensitivity (Bachem, Lucic, Krause 2017, Algorithm 2)");
        return new Selection(name(), KCenterGreedy.concat(chosen), KCenterGreedy.concatScores(weights),
                KCenterGreedy.concatScores(probabilities), settings);
    }

    /** {@code q(x) = s(x) / sum s} over the rows of {@code features} for a D^2-sampled clustering of {@code k} centers. */
    static double[] samplingProbabilities(Tensor features, int k, Generator gen) {
        int n = features.dim(0);
        int centers = Math.min(k, n);
        NearestCenters d = NearestCenters.squaredEuclidean(features);
        d.add(gen.nextInt(n));
        while (d.centers() < centers) {
            double[] d2 = new double[n];
            for (int i = 0; i < n; i++) {
                d2[i] = d.distance(i);
            }
            int next = sample(cumulative(d2), gen);
            if (next < 0) {
                break;   // every point sits on a center: more centers would not lower the cost
            }
            d.add(next);
        }
        return sensitivities(d, centers);
    }

    /** Algorithm 2's bound for the clustering held by {@code d}, normalised to a distribution. */
    static double[] sensitivities(NearestCenters d, int k) {
        int n = d.size();
        Map<Integer, double[]> clusterCostAndSize = new java.util.HashMap<>();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] cs = clusterCostAndSize.computeIfAbsent(d.nearest(i), c -> new double[2]);
            cs[0] += d.distance(i);
            cs[1] += 1;
            total += d.distance(i);
        }
        double meanCost = total / n;
        double alpha = 16 * (Math.log(k) + 2);
        double[] s = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double[] cs = clusterCostAndSize.get(d.nearest(i));
            // With zero cost (all points on centers) only the cluster-size term is left.
            double spread = meanCost > 0 ? alpha * d.distance(i) / meanCost + 2 * alpha * cs[0] / (cs[1] * meanCost) : 0;
            s[i] = spread + 4.0 * n / cs[1];
            sum += s[i];
        }
        for (int i = 0; i < n; i++) {
            s[i] /= sum;
        }
        return s;
    }

    /** Distinct picks (in order of first draw) and their merged weights. */
    record Draw(int[] picks, double[] weights, long draws) {
    }

    /** Draws from {@code q} with replacement until {@code budget} distinct indices have come up. */
    static Draw draw(double[] q, int budget, Generator gen) {
        double[] cdf = cumulative(q);
        int[] count = new int[q.length];
        int[] picks = new int[budget];
        int distinct = 0;
        long draws = 0;
        while (distinct < budget) {
            int i = sample(cdf, gen);
            draws++;
            if (count[i]++ == 0) {
                picks[distinct++] = i;
            }
        }
        double[] w = new double[budget];
        for (int j = 0; j < budget; j++) {
            w[j] = count[picks[j]] / (draws * q[picks[j]]);
        }
        return new Draw(picks, w, draws);
    }

    private static double[] cumulative(double[] mass) {
        double[] c = new double[mass.length];
        double run = 0;
        for (int i = 0; i < mass.length; i++) {
            run += mass[i];
            c[i] = run;
        }
        return c;
    }

    /** An index drawn with probability proportional to its mass, or -1 when the total mass is 0. */
    private static int sample(double[] cdf, Generator gen) {
        double total = cdf[cdf.length - 1];
        if (!(total > 0)) {
            return -1;
        }
        double u = gen.nextDouble() * total;
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        // The first entry whose cumulative mass exceeds u: it has mass > 0, since the one before it is <= u.
        return lo;
    }
}
