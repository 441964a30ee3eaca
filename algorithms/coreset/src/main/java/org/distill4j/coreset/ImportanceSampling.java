package org.distill4j.coreset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Tensor;

/**
 * Importance sampling by sensitivity (Langberg and Schulman 2010; Feldman and Langberg 2011;
 * Bachem, Lucic and Krause, "Practical Coreset Constructions for Machine Learning",
 * arXiv:1703.06476, 2017): each example is drawn with probability {@code p(x) = s(x) / sum s},
 * where {@code s(x)} bounds the example's share of the cost, and each draw is weighted
 * {@code 1 / (m p(x))}, so that the weighted cost of the sample is an unbiased estimate of the
 * group's cost for every model. In each class (with balance) or over the whole set:
 *
 * <p><b>Bounds</b> ({@link Bound}). The sensitivity of {@code x} is
 * {@code sup_theta l(x; theta) / mean_x' l(x'; theta)}, its largest share of the loss over the
 * models {@code theta}. {@link Bound#LOSS} (the default) takes the supremum over the models the
 * selection model passed through: its initialisation and the end of each of its epochs
 * ({@link SelectionContext#dynamics}), with {@code l} the cross-entropy, so
 * {@code s(x) = max_t l_t(x) / mean_group l_t}; the initialisation's near-uniform losses keep every
 * {@code s} at about 1 or more. {@link Bound#GRADIENT_NORM} does the same with the norm of the loss
 * gradient with respect to the last layer (the quantity GraNd ranks). {@link Bound#KMEANS} is
 * Bachem et al.'s Algorithm 2 bound for the k-means cost in the selection model's embedding space
 * (no loss and no label enter): a rough clustering B of {@code clusters} centres by D^2 sampling,
 * {@code s(x) = a d(x,B)^2 / c + 2a (sum_{x' in B_i} d(x',B)^2) / (|B_i| c) + 4 |X| / |B_i|},
 * {@code c = mean d(x,B)^2}, {@code a = 16 (ln k + 2)}.
 *
 * <p><b>Draws</b> ({@link Draws}), {@code m} = the group's budget. {@link Draws#FIXED_SIZE} (the
 * default) draws exactly {@code m} distinct examples with inclusion probabilities
 * {@code pi(x) = m p(x)} by randomised systematic sampling (Madow 1949; Hartley and Rao 1962), and
 * weights each {@code 1 / pi(x) = 1 / (m p(x))}: the Horvitz-Thompson form of the same estimator,
 * unbiased, without repeats. An example with {@code m p(x) > 1} is taken for certain with weight 1
 * and the others' probabilities are rescaled to fill the rest ({@code pi = (m - certain) p / sum
 * of the rest}). {@link Draws#WITH_REPLACEMENT} makes exactly {@code m} i.i.d. draws from {@code p}
 * as the sensitivity-sampling papers do, and merges repeats: an example drawn {@code r} times
 * gets weight {@code r / (m p(x))}; the selection then holds the distinct examples, fewer than the
 * budget when something is drawn twice (the settings count them, and {@code note} says so).
 *
 * <p>Weights estimate each example's share of the group: they sum to about the group's size. Scores:
 * {@code p(x)}.
 */
public final class ImportanceSampling implements CoresetMethod {
    /** What {@code s(x)} bounds. */
    public enum Bound {
        /** Cross-entropy share, maximised over the selection model's epochs (0 to E). */
        LOSS,
        /** Last-layer gradient norm share, maximised over the selection model's epochs. */
        GRADIENT_NORM,
        /** Bachem, Lucic and Krause's k-means sensitivity in embedding space. */
        KMEANS
    }

    /** How the {@code m} draws are made. */
    public enum Draws {
        /** Exactly {@code m} distinct examples, inclusion probability {@code m p}, weight {@code 1 / (m p)}. */
        FIXED_SIZE,
        /** {@code m} i.i.d. draws, repeats merged with their weights summed. */
        WITH_REPLACEMENT
    }

    private final Bound bound;
    private final Draws draws;
    private final int clusters;

    /** The loss bound, a fixed-size sample. */
    public ImportanceSampling() {
        this(Bound.LOSS, Draws.FIXED_SIZE, 10);
    }

    /** @param clusters the k of the k-means bound (ignored by the others) */
    public ImportanceSampling(Bound bound, Draws draws, int clusters) {
        if (bound == null || draws == null) {
            throw new IllegalArgumentException("importance sampling needs a bound and a way to draw");
        }
        if (clusters < 1) {
            throw new IllegalArgumentException("importance sampling needs at least 1 cluster, got " + clusters);
        }
        this.bound = bound;
        this.draws = draws;
        this.clusters = clusters;
    }

    @Override
    public String name() {
        return "importance";
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        Generator gen = ctx.generator(name());
        List<int[]> chosen = new ArrayList<>();
        List<double[]> weights = new ArrayList<>();
        List<double[]> probabilities = new ArrayList<>();
        long totalDraws = 0;
        int certain = 0;
        int selected = 0;
        for (Groups.Group g : Groups.of(ctx, budget)) {
            Generator groupGen = gen.fork(g.label() + 1);
            double[] p = probabilities(ctx, g.positions(), groupGen.fork(0));
            Draw d = draws == Draws.FIXED_SIZE ? fixedSize(p, g.budget(), groupGen.fork(1)) : draw(p, g.budget(), groupGen.fork(1));
            int[] idx = new int[d.picks().length];
            double[] q = new double[idx.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = g.positions()[d.picks()[i]];
                q[i] = p[d.picks()[i]];
                certain += draws == Draws.FIXED_SIZE && d.weights()[i] == 1 ? 1 : 0;
            }
            chosen.add(idx);
            weights.add(d.weights());
            probabilities.add(q);
            totalDraws += d.draws();
            selected += idx.length;
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("balance", ctx.balance());
        settings.put("bound", SelectionOptions.name(bound));
        if (bound == Bound.KMEANS) {
            settings.put("clusters", clusters);
        }
        settings.put("draws", SelectionOptions.name(draws));
        settings.put("m", totalDraws);
        if (draws == Draws.FIXED_SIZE) {
            settings.put("certain", certain);
        } else {
            settings.put("distinct", selected);
            if (selected < budget) {
                settings.put("note", String.format(java.util.Locale.ROOT,
                        "%d draws with replacement gave %d distinct examples (repeats merged, weights summed)", totalDraws,
                        selected));
            }
        }
        return new Selection(name(), KCenterGreedy.concat(chosen), KCenterGreedy.concatScores(weights),
                KCenterGreedy.concatScores(probabilities), settings);
    }

    /** {@code p = s / sum s} over the group at {@code positions}. */
    double[] probabilities(SelectionContext ctx, int[] positions, Generator gen) {
        return switch (bound) {
            case KMEANS -> samplingProbabilities(
                    ctx.balance() || positions.length != ctx.data().size()
                            ? Indexing.indexSelect(ctx.embeddings(), 0, Tensor.fromInts(positions, positions.length))
                            : ctx.embeddings(), clusters, gen);
            case LOSS -> shareBound(ctx.dynamics(), positions, false);
            case GRADIENT_NORM -> shareBound(ctx.dynamics(), positions, true);
        };
    }

    /**
     * {@code s(x) = max_t v_t(x) / mean_group v_t} over the recorded epochs {@code t = 0..E}, with
     * {@code v} the loss or the gradient norm, normalised to a distribution. An epoch where the
     * group's mean is 0 (every example fitted exactly) bounds nothing and is skipped; if every epoch
     * is, {@code p} is uniform.
     */
    static double[] shareBound(TrainingDynamics d, int[] positions, boolean gradient) {
        int n = positions.length;
        double[] s = new double[n];
        for (int t = 0; t <= d.epochs(); t++) {
            float[] v = gradient ? d.gradientNorm(t) : d.loss(t);
            double mean = 0;
            for (int position : positions) {
                mean += v[position];
            }
            mean /= n;
            if (!(mean > 0)) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                s[i] = Math.max(s[i], v[positions[i]] / mean);
            }
        }
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        for (int i = 0; i < n; i++) {
            s[i] = sum > 0 ? s[i] / sum : 1.0 / n;
        }
        return s;
    }

    /** {@code q(x) = s(x) / sum s} over the rows of {@code features} for a D^2-sampled clustering of {@code k} centers. */
    static double[] samplingProbabilities(Tensor features, int k, Generator gen) {
        return sensitivities(dSquaredSeeding(features, k, gen), Math.min(k, features.dim(0)));
    }

    /**
     * Up to {@code k} centres among the rows of {@code features} by D^2 sampling (k-means++ seeding,
     * Arthur and Vassilvitskii 2007): the first uniformly, each next with probability proportional
     * to its squared distance to the nearest centre so far; fewer when every row sits on a centre.
     */
    static NearestCenters dSquaredSeeding(Tensor features, int k, Generator gen) {
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
        return d;
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

    /** Distinct picks (in the order drawn), their weights, and the number of draws made. */
    record Draw(int[] picks, double[] weights, long draws) {
    }

    /**
     * Exactly {@code m} i.i.d. draws from {@code p}; an index drawn {@code r} times appears once with
     * weight {@code r / (m p)}.
     */
    static Draw draw(double[] p, int m, Generator gen) {
        double[] cdf = cumulative(p);
        int[] count = new int[p.length];
        int[] picks = new int[m];
        int distinct = 0;
        for (int t = 0; t < m; t++) {
            int i = sample(cdf, gen);
            if (count[i]++ == 0) {
                picks[distinct++] = i;
            }
        }
        double[] w = new double[distinct];
        for (int j = 0; j < distinct; j++) {
            w[j] = count[picks[j]] / (m * p[picks[j]]);
        }
        return new Draw(java.util.Arrays.copyOf(picks, distinct), w, m);
    }

    /**
     * The inclusion probabilities of a fixed-size sample of {@code m} proportional to {@code p}:
     * {@code pi = m p}, with those above 1 set to 1 and the rest rescaled to sum to {@code m}
     * (repeated until none exceeds 1). They sum to {@code m}.
     */
    static double[] inclusion(double[] p, int m) {
        int n = p.length;
        if (m > n) {
            throw new IllegalArgumentException("cannot draw " + m + " distinct of " + n);
        }
        double[] pi = new double[n];
        boolean[] certain = new boolean[n];
        int fixed = 0;
        while (true) {
            double rest = 0;
            for (int i = 0; i < n; i++) {
                rest += certain[i] ? 0 : p[i];
            }
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                if (certain[i]) {
                    pi[i] = 1;
                } else {
                    // Zero mass everywhere left: spread the rest evenly.
                    pi[i] = rest > 0 ? (m - fixed) * p[i] / rest : (m - fixed) / (double) (n - fixed);
                    if (pi[i] >= 1) {
                        certain[i] = true;
                        fixed++;
                        changed = true;
                    }
                }
            }
            if (!changed) {
                return pi;
            }
        }
    }

    /**
     * Randomised systematic sampling (Madow 1949; Goodman and Kish 1950): the units in a random
     * order, laid end to end as intervals of length {@code pi}, and the {@code m} points
     * {@code u, u + 1, ..., u + m - 1} for one uniform {@code u}; each point picks the unit whose
     * interval holds it. Unit {@code i} is picked with probability exactly {@code pi_i}, and exactly
     * {@code m} distinct units are picked; weights {@code 1 / pi}.
     */
    static Draw fixedSize(double[] p, int m, Generator gen) {
        double[] pi = inclusion(p, m);
        int n = p.length;
        int[] order = gen.permutation(n);
        double u = gen.nextDouble();
        int[] picks = new int[m];
        double[] w = new double[m];
        int taken = 0;
        double end = 0;
        for (int k = 0; k < n && taken < m; k++) {
            int i = order[k];
            double start = end;
            end = k == n - 1 ? m : end + pi[i];
            // The next point u + taken lies in [start, end): this unit is picked (at most once, as pi <= 1).
            if (u + taken < end && u + taken >= start) {
                picks[taken] = i;
                w[taken++] = 1 / pi[i];
            }
        }
        if (taken != m) {
            throw new IllegalStateException("systematic sampling picked " + taken + " of " + m + " (rounding)");
        }
        return new Draw(picks, w, m);
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
