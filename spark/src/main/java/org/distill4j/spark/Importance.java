package org.distill4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.distill4j.coreset.CoverageStrata;
import org.distill4j.tensor.Generator;
import scala.Tuple2;

/**
 * Importance sampling with the k-means sensitivity bound of Bachem, Lucic and Krause (2017,
 * Algorithm 2), as the single-machine {@code ImportanceSampling} states it, with the work spread:
 * <ol>
 *   <li>the rough clustering B: D^2 seeding (k-means++) on the driver over a uniform sample of each
 *       group (rows whose seeded key falls below a threshold: at most about {@link #SAMPLE} rows). The
 *       bound holds for any clustering; a sample's is what makes it cheap;</li>
 *   <li>each row's distance to B, each cluster's cost and size, and the normaliser {@code sum s} by
 *       reduces (partial sums merged in partition order);</li>
 *   <li>exactly m = the group's budget draws with replacement: the driver splits the m draws over
 *       the partitions by their share of the mass (a multinomial from the seed), each partition draws
 *       its count from its own rows with a generator forked from the same seed;</li>
 *   <li>weight {@code r / (m q(x))} for a row drawn r times, {@code q = s / sum s}, as on one machine.</li>
 * </ol>
 * Repeats are merged, so a selection holds at most m rows.
 */
final class Importance {
    /** Rows per group the clustering is seeded from. */
    static final int SAMPLE = 20_000;

    private final JavaRDD<Example> rows;
    private final SparkSelector.Config cfg;
    private final int[] counts;
    private final int[] budgets;

    Importance(JavaRDD<Example> rows, SparkSelector.Config cfg, int[] counts, int[] budgets) {
        this.rows = rows;
        this.cfg = cfg;
        this.counts = counts;
        this.budgets = budgets;
    }

    SparkSelector.Picks run() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(rows.context());
        boolean balance = cfg.balance();
        int groups = budgets.length;
        long seed = cfg.seed();
        long total = Arrays.stream(counts).sum();
        // 1. Centers per group from a seeded uniform sample.
        double[] keep = new double[groups];
        for (int g = 0; g < groups; g++) {
            long n = balance ? counts[g] : total;
            keep[g] = Math.min(1.0, (double) SAMPLE / Math.max(1, n));
        }
        List<Example> sample = new ArrayList<>(rows.filter(e -> unit(CoverageStrata.key(seed ^ 0xC13FA9A902A6328FL, e.id))
                < keep[balance ? e.label : 0]).collect());
        sample.sort(Comparator.comparingLong(e -> e.id));
        float[][][] centers = new float[groups][][];
        for (int g = 0; g < groups; g++) {
            int group = g;
            List<float[]> pts = sample.stream().filter(e -> !balance || e.label == group).map(e -> e.features).toList();
            centers[g] = pts.isEmpty() ? new float[0][] : seeding(pts, cfg.clusters(), new Generator(seed).fork(g + 1));
        }
        Broadcast<float[][][]> cb = sc.broadcast(centers);
        // 2. Cluster costs and sizes, merged in partition order: [group][cluster] -> {cost, size}.
        int k = cfg.clusters();
        List<Tuple2<Integer, double[]>> partial = rows.mapPartitionsWithIndex((p, it) -> {
            double[] acc = new double[groups * k * 2];
            while (it.hasNext()) {
                Example e = it.next();
                int g = balance ? e.label : 0;
                double[] near = nearest(cb.value()[g], e.features);
                acc[(g * k + (int) near[0]) * 2] += near[1];
                acc[(g * k + (int) near[0]) * 2 + 1]++;
            }
            return List.of(new Tuple2<>(p, acc)).iterator();
        }, true).collect();
        double[] clusters = Objectives.orderedSum(partial);
        // s(x) = a d^2/c + 2a cost(B_i)/(|B_i| c) + 4 n/|B_i|, c = mean d^2, a = 16 (ln k + 2): per partition mass per group.
        double[] meanCost = new double[groups];
        for (int g = 0; g < groups; g++) {
            double cost = 0;
            double n = 0;
            for (int c = 0; c < k; c++) {
                cost += clusters[(g * k + c) * 2];
                n += clusters[(g * k + c) * 2 + 1];
            }
            meanCost[g] = n > 0 ? cost / n : 0;
        }
        double alpha = 16 * (Math.log(k) + 2);
        Sensitivity s = new Sensitivity(cb, clusters, meanCost, alpha, k, balance);
        List<Tuple2<Integer, double[]>> masses = rows.mapPartitionsWithIndex((p, it) -> {
            double[] m = new double[groups];
            while (it.hasNext()) {
                Example e = it.next();
                m[balance ? e.label : 0] += s.of(e);
            }
            return List.of(new Tuple2<>(p, m)).iterator();
        }, true).collect();
        List<Tuple2<Integer, double[]>> ordered = masses.stream().sorted(Comparator.comparingInt(Tuple2::_1)).toList();
        int parts = ordered.size();
        double[] sum = Objectives.orderedSum(masses);
        // 3. The multinomial split of each group's m draws over the partitions.
        int[][] draws = new int[parts][groups];
        for (int g = 0; g < groups; g++) {
            Generator gen = new Generator(seed).fork(-1 - g);
            double[] cdf = new double[parts];
            double run = 0;
            for (int p = 0; p < parts; p++) {
                run += ordered.get(p)._2[g];
                cdf[p] = run;
            }
            for (int j = 0; j < budgets[g]; j++) {
                draws[pick(cdf, gen.nextDouble() * run)][g]++;
            }
        }
        Broadcast<int[][]> db = sc.broadcast(draws);
        List<double[]> drawn = rows.mapPartitionsWithIndex((p, it) -> {
            List<Example> local = new ArrayList<>();
            it.forEachRemaining(local::add);
            List<double[]> out = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                int m = db.value()[p][g];
                if (m == 0) {
                    continue;
                }
                int group = g;
                List<Example> members = local.stream().filter(e -> (balance ? e.label : 0) == group).toList();
                double[] cdf = new double[members.size()];
                double run = 0;
                for (int i = 0; i < cdf.length; i++) {
                    run += s.of(members.get(i));
                    cdf[i] = run;
                }
                Map<Integer, Integer> times = new LinkedHashMap<>();
                Generator gen = new Generator(seed).fork(-1 - g).fork(p + 1);
                for (int j = 0; j < m; j++) {
                    times.merge(pick(cdf, gen.nextDouble() * run), 1, Integer::sum);
                }
                for (Map.Entry<Integer, Integer> t : times.entrySet()) {
                    Example e = members.get(t.getKey());
                    out.add(new double[]{e.id, e.label, g, t.getValue(), s.of(e)});
                }
            }
            return out.iterator();
        }, true).collect();
        cb.destroy();
        db.destroy();
        List<double[]> sorted = new ArrayList<>(drawn);
        sorted.sort(Comparator.<double[]>comparingDouble(r -> r[2]).thenComparingDouble(r -> r[0]));
        long[] ids = new long[sorted.size()];
        int[] labels = new int[ids.length];
        double[] weights = new double[ids.length];
        double[] q = new double[ids.length];
        for (int i = 0; i < ids.length; i++) {
            double[] r = sorted.get(i);
            int g = (int) r[2];
            ids[i] = (long) r[0];
            labels[i] = (int) r[1];
            q[i] = r[4] / sum[g];
            weights[i] = r[3] / (budgets[g] * q[i]);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("clusters", k);
        settings.put("bound", "k-means sensitivity (Bachem, Lucic, Krause 2017, Algorithm 2), centers seeded on a sample");
        settings.put("draws", "exactly the budget, with replacement, repeats merged");
        return new SparkSelector.Picks(ids, labels, weights, q, null, settings);
    }

    /** Algorithm 2's bound for one row, from the broadcast clustering and its costs and sizes. */
    record Sensitivity(Broadcast<float[][][]> centers, double[] clusters, double[] meanCost, double alpha, int k,
                       boolean balance) implements java.io.Serializable {
        double of(Example e) {
            int g = balance ? e.label : 0;
            double[] near = nearest(centers.value()[g], e.features);
            int c = (int) near[0];
            double cost = clusters[(g * k + c) * 2];
            double size = clusters[(g * k + c) * 2 + 1];
            double n = 0;
            for (int j = 0; j < k; j++) {
                n += clusters[(g * k + j) * 2 + 1];
            }
            double mc = meanCost[g];
            double spread = mc > 0 ? alpha * near[1] / mc + 2 * alpha * cost / (size * mc) : 0;
            return spread + 4.0 * n / size;
        }
    }

    /** {nearest center, its squared distance}. */
    static double[] nearest(float[][] centers, float[] x) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centers.length; c++) {
            double d = 0;
            for (int j = 0; j < x.length; j++) {
                double v = (double) x[j] - centers[c][j];
                d += v * v;
            }
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return new double[]{best, bestD};
    }

    /** D^2 seeding (Arthur and Vassilvitskii 2007) of up to {@code k} centers among {@code pts}. */
    static float[][] seeding(List<float[]> pts, int k, Generator gen) {
        int n = pts.size();
        List<float[]> centers = new ArrayList<>();
        centers.add(pts.get(gen.nextInt(n)));
        double[] d2 = new double[n];
        Arrays.fill(d2, Double.POSITIVE_INFINITY);
        while (centers.size() < Math.min(k, n)) {
            float[] last = centers.get(centers.size() - 1);
            double[] cdf = new double[n];
            double run = 0;
            for (int i = 0; i < n; i++) {
                d2[i] = Math.min(d2[i], nearest(new float[][]{last}, pts.get(i))[1]);
                run += d2[i];
                cdf[i] = run;
            }
            if (!(run > 0)) {
                break;
            }
            centers.add(pts.get(pick(cdf, gen.nextDouble() * run)));
        }
        return centers.toArray(float[][]::new);
    }

    /** The first index whose cumulative mass exceeds {@code u}. */
    static int pick(double[] cdf, double u) {
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
        return lo;
    }

    /** A 64-bit key as a uniform double in [0, 1). */
    static double unit(long key) {
        return (key >>> 11) * 0x1.0p-53;
    }
}
