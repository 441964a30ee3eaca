package org.distill4j.coreset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Tensor;

/**
 * k-Center Greedy (Sener and Savarese, "Active Learning for Convolutional Neural Networks: A
 * Core-Set Approach", ICLR 2018, Algorithm 1; Gonzalez's furthest-first traversal, a
 * 2-approximation of the minimax facility location): repeatedly add the point farthest from
 * everything selected so far, in the selection model's embedding space (Euclidean distance).
 *
 * <p>As in DeepCore's {@code k_center_greedy}: with nothing selected beforehand the first point is
 * drawn at random (seeded) and counts toward the budget; the greedy then adds points one at a time
 * until the budget is reached, so it is met exactly without padding or trimming. With class
 * balance it runs inside each class on that class's budget. {@link #extend} continues from points
 * already selected (active learning rounds, or merging selections made on partitions). Memory is
 * O(N): one min-distance array, lowered by one batched [N, E] x [E, 1] product per pick.
 *
 * <p>Scores: the distance of each pick to its nearest earlier pick (NaN for the random start).
 */
public class KCenterGreedy implements CoresetMethod, Objective {
    /** The points added, in order, and each one's distance to the nearest center before it was added. */
    public record Picks(int[] indices, double[] distances) {
    }

    @Override
    public String name() {
        return "kcenter";
    }

    /** The space the method measures distances in: [N, D]. */
    Tensor features(SelectionContext ctx) {
        return ctx.embeddings();
    }

    /** The distance structure over one group's features. */
    NearestCenters distances(Tensor features) {
        return NearestCenters.squaredEuclidean(features);
    }

    /** The distance as reported in scores (the structure may keep a monotone transform of it). */
    double reported(double d) {
        return Math.sqrt(d);
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        Tensor all = features(ctx);
        Generator gen = ctx.generator(name());
        List<int[]> chosen = new ArrayList<>();
        List<double[]> scores = new ArrayList<>();
        for (Groups.Group g : Groups.of(ctx, budget)) {
            Tensor f = ctx.balance() ? Indexing.indexSelect(all, 0, Tensor.fromInts(g.positions(), g.positions().length)) : all;
            Picks p = greedy(distances(f), new int[0], g.budget(), gen.fork(g.label() + 1));
            int[] idx = new int[p.indices().length];
            double[] s = new double[idx.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = g.positions()[p.indices()[i]];
                s[i] = reported(p.distances()[i]);
            }
            chosen.add(idx);
            scores.add(s);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("balance", ctx.balance());
        settings.put("space", this instanceof ContextualDiversity ? "softmax" : "embedding");
        return Selection.unweighted(name(), concat(chosen), concatScores(scores), settings);
    }

    /**
     * The covering radius: the largest distance from an example to its nearest selected example of
     * the same group (the same class with balance), as reported in scores; lower is better.
     * Greedy's picks are within twice the optimal radius (Gonzalez 1985).
     */
    @Override
    public Value objective(SelectionContext ctx, int[] indices) {
        Tensor all = features(ctx);
        double radius = 0;
        for (int[][] g : Groups.membersAndPicks(ctx, indices)) {
            Tensor f = ctx.balance() ? Indexing.indexSelect(all, 0, Tensor.fromInts(g[0], g[0].length)) : all;
            NearestCenters d = distances(f);
            d.addAll(g[1]);
            for (int i = 0; i < d.size(); i++) {
                radius = Math.max(radius, d.distance(i));
            }
        }
        return new Value(this instanceof ContextualDiversity ? "max-divergence" : "radius", reported(radius), false);
    }

    /**
     * Adds {@code k} points to {@code alreadySelected} (positions into {@code features}, {@code [N, D]})
     * by furthest-first traversal in Euclidean distance. With none already selected the first of
     * the {@code k} is drawn from {@code gen}.
     */
    public static Picks extend(Tensor features, int[] alreadySelected, int k, Generator gen) {
        Picks p = greedy(NearestCenters.squaredEuclidean(features), alreadySelected, k, gen);
        double[] d = p.distances().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.sqrt(d[i]);
        }
        return new Picks(p.indices(), d);
    }

    static Picks greedy(NearestCenters d, int[] alreadySelected, int k, Generator gen) {
        int n = d.size();
        if (k < 0 || k > n - alreadySelected.length) {
            throw new IllegalArgumentException("cannot add " + k + " centers to " + alreadySelected.length + " of " + n + " points");
        }
        int[] picks = new int[k];
        double[] dist = new double[k];
        int start = 0;
        if (alreadySelected.length > 0) {
            d.addAll(alreadySelected);
        } else if (k > 0) {
            picks[0] = gen.nextInt(n);
            dist[0] = Double.NaN;
            d.add(picks[0]);
            start = 1;
        }
        for (int t = start; t < k; t++) {
            int far = d.farthest();
            picks[t] = far;
            dist[t] = d.distance(far);
            d.add(far);
        }
        return new Picks(picks, dist);
    }

    static int[] concat(List<int[]> parts) {
        return parts.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }

    static double[] concatScores(List<double[]> parts) {
        return parts.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }
}
