package org.distill4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.distill4j.coreset.Herding;
import org.distill4j.coreset.KCenterGreedy;
import org.distill4j.coreset.Objective;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.coreset.submodular.Similarity;
import org.distill4j.coreset.submodular.StochasticGreedy;
import org.distill4j.coreset.submodular.SubmodularSelection;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import scala.Tuple2;

/**
 * The methods whose greedy cannot be ranked row by row, as two rounds: each partition selects
 * candidates from its own rows with the single-machine method, then the driver selects from the
 * union of the candidates. Per class with balance, on the class's global share of the budget.
 *
 * <ul>
 *   <li>Facility location, graph cut, log-determinant: GreeDi (Mirzasoleiman, Karbasi, Sarkar,
 *       Krause, NeurIPS 2013), each partition's greedy keeping the class's whole budget {@code k},
 *       then greedy over the union; of that and the best partition's own solution, the one with
 *       the higher value on all the rows is kept. With the rows spread at random (Barbosa, Ene,
 *       Nguyen, Ward, ICML 2015) this is in expectation within {@code (1 - 1/e) / 2} of the
 *       optimum for monotone submodular functions; in practice much closer (docs/results/scale).</li>
 *   <li>k-center: the two-round composable coreset (Malkomes, Kusner, Chen, Weinberger, Moseley,
 *       NeurIPS 2015): furthest-first traversal to {@code k} centers in each partition, then on the
 *       union; the radius is within 4 times the optimum (2 for each round).</li>
 *   <li>Herding: the class means are reduced exactly; each partition herds {@code k} candidates
 *       towards the global class mean, the driver herds the union towards it. The moment distance
 *       reported is exact; there is no worst-case bound against single-machine herding (the
 *       candidates are a composable sketch, not a coreset with a guarantee).</li>
 *   <li>Importance sampling: {@link Importance}.</li>
 * </ul>
 */
final class Composable implements Serializable {
    private static final long serialVersionUID = 1L;

    private final transient JavaRDD<Example> rows;
    private final SparkSelector.Config cfg;
    private final int[] counts;
    private final int[] budgets;
    private final int parts;

    Composable(JavaRDD<Example> rows, SparkSelector.Config cfg, int[] counts, int[] budgets, int parts) {
        this.rows = rows;
        this.cfg = cfg;
        this.counts = counts;
        this.budgets = budgets;
        this.parts = parts;
    }

    /** A candidate from round one: its partition, group, id, label, features and its partition's local value. */
    record Candidate(int partition, int group, long id, int label, float[] features, double localValue, double gain)
            implements Serializable {
    }

    SparkSelector.Picks run() {
        if (cfg.method().equals("importance")) {
            return new Importance(rows, cfg, counts, budgets).run();
        }
        double[][] means = cfg.method().equals("herding") ? classMeans() : null;
        Broadcast<double[][]> meansB = means == null ? null : JavaSparkContext.fromSparkContext(rows.context()).broadcast(means);
        SparkSelector.Config c = cfg;
        int[] b = budgets;
        List<Candidate> candidates = rows.mapPartitionsWithIndex((p, it) -> roundOne(c, b, p, it,
                meansB == null ? null : meansB.value()), true).collect();
        int groups = budgets.length;
        List<Long> ids = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        Map<Integer, float[][]> chosenFeatures = new LinkedHashMap<>();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("partitions", parts);
        settings.put("scheme", switch (cfg.method()) {
            case "kcenter" -> "two-round composable k-center (Malkomes et al. 2015)";
            case "herding" -> "herding over per-partition candidates towards the exact class means";
            default -> "GreeDi with random partitioning (Mirzasoleiman et al. 2013; Barbosa et al. 2015)";
        });
        Map<Integer, RoundTwo> merged = new LinkedHashMap<>();
        Map<Integer, RoundTwo> own = new LinkedHashMap<>();
        try (ComputeContext ignored = ComputeContext.cpu().open()) {
            for (int g = 0; g < groups; g++) {
                if (budgets[g] == 0) {
                    continue;
                }
                int group = g;
                List<Candidate> pool = candidates.stream().filter(x -> x.group == group)
                        .sorted(Comparator.comparingLong(Candidate::id)).toList();
                merged.put(g, roundTwo(pool, g, means == null ? null : means[g]));
                if (SparkSelector.submodular(cfg.method())) {
                    RoundTwo local = bestPartition(pool, Math.min(budgets[g], pool.size()));
                    if (local != null) {
                        own.put(g, local);
                    }
                }
            }
        }
        Objectives measure = new Objectives(rows, cfg.balance());
        Objective.Value objective = null;
        Map<Integer, RoundTwo> chosen = merged;
        if (SparkSelector.submodular(cfg.method())) {
            // GreeDi keeps, per class, the better of the merged solution and the best partition's own,
            // both measured on all the class's rows: every set in one pass over the data.
            List<Integer> groupOf = new ArrayList<>();
            List<float[][]> sets = new ArrayList<>();
            for (Map.Entry<Integer, RoundTwo> e : merged.entrySet()) {
                groupOf.add(e.getKey());
                sets.add(rowsOf(e.getValue().picks));
            }
            for (Map.Entry<Integer, RoundTwo> e : own.entrySet()) {
                groupOf.add(e.getKey());
                sets.add(rowsOf(e.getValue().picks));
            }
            double[] v = measure.submodular(cfg.method(), sets, groupOf.stream().mapToInt(Integer::intValue).toArray());
            chosen = new LinkedHashMap<>();
            double total = 0;
            int i = 0;
            for (Map.Entry<Integer, RoundTwo> e : merged.entrySet()) {
                chosen.put(e.getKey(), e.getValue());
                total += v[i++];
            }
            double[] mergedValues = java.util.Arrays.copyOf(v, merged.size());
            int k = merged.size();
            for (Map.Entry<Integer, RoundTwo> e : own.entrySet()) {
                int at = new ArrayList<>(merged.keySet()).indexOf(e.getKey());
                if (v[k] > mergedValues[at]) {
                    chosen.put(e.getKey(), e.getValue());
                    total += v[k] - mergedValues[at];
                }
                k++;
            }
            objective = new Objective.Value(cfg.method(), total, true);
        }
        for (Map.Entry<Integer, RoundTwo> e : chosen.entrySet()) {
            RoundTwo r = e.getValue();
            float[][] f = new float[r.picks.size()][];
            for (int i = 0; i < r.picks.size(); i++) {
                Candidate x = r.picks.get(i);
                ids.add(x.id);
                labels.add(x.label);
                scores.add(r.scores[i]);
                f[i] = x.features;
            }
            chosenFeatures.put(e.getKey(), f);
        }
        long[] idArray = ids.stream().mapToLong(Long::longValue).toArray();
        double[] w = new double[idArray.length];
        java.util.Arrays.fill(w, 1.0);
        if (objective == null) {
            objective = measure.of(cfg.method(), chosenFeatures, means, counts);
        }
        return new SparkSelector.Picks(idArray, labels.stream().mapToInt(Integer::intValue).toArray(), w,
                scores.stream().mapToDouble(Double::doubleValue).toArray(), objective, settings);
    }

    /** Round one in partition {@code p}: each group's candidates by the single-machine method on this partition's rows. */
    static Iterator<Candidate> roundOne(SparkSelector.Config cfg, int[] budgets, int p, Iterator<Example> it, double[][] means) {
        if (SparkSelector.failFirstAttemptForTest && p == 0 && TaskContext.get() != null
                && TaskContext.get().attemptNumber() == 0) {
            throw new IllegalStateException("injected failure of partition 0's first attempt (test)");
        }
        Map<Integer, List<Example>> byGroup = new LinkedHashMap<>();
        it.forEachRemaining(e -> byGroup.computeIfAbsent(cfg.balance() ? e.label : 0, k -> new ArrayList<>()).add(e));
        List<Candidate> out = new ArrayList<>();
        // One thread per task: Spark runs a task per core already.
        try (ComputeContext ignored = ComputeContext.cpu().threads(1).open()) {
            for (Map.Entry<Integer, List<Example>> entry : byGroup.entrySet()) {
                int g = entry.getKey();
                List<Example> rows = entry.getValue();
                int k = Math.min(budgets[g], rows.size());
                if (k == 0) {
                    continue;
                }
                Tensor x = features(rows.stream().map(e -> e.features).toList());
                Generator gen = new Generator(cfg.seed()).fork(1_000_003L * (p + 1) + g);
                int[] local;
                double[] gains = new double[k];
                double value = 0;
                switch (cfg.method()) {
                    case "kcenter" -> local = KCenterGreedy.extend(x, new int[0], k, gen).indices();
                    case "herding" -> local = Herding.order(x, k, means[g]);
                    default -> {
                        Selection s = submodular(cfg.method()).select(oneClass(x, cfg.seed()), k);
                        local = s.indices();
                        gains = s.scores();
                        for (double v : gains) {
                            value += v;
                        }
                    }
                }
                for (int i = 0; i < local.length; i++) {
                    Example e = rows.get(local[i]);
                    out.add(new Candidate(p, g, e.id, e.label, e.features, value, gains[i]));
                }
            }
        }
        return out.iterator();
    }

    /** Round two's picks (in pick order) and their scores. */
    private record RoundTwo(List<Candidate> picks, double[] scores) {
    }

    private RoundTwo roundTwo(List<Candidate> pool, int g, double[] mean) {
        int k = Math.min(budgets[g], pool.size());
        Tensor x = features(pool.stream().map(Candidate::features).toList());
        Generator gen = new Generator(cfg.seed()).fork(g + 1);
        List<Candidate> picks = new ArrayList<>();
        double[] scores = new double[k];
        switch (cfg.method()) {
            case "kcenter" -> {
                KCenterGreedy.Picks p = KCenterGreedy.extend(x, new int[0], k, gen);
                for (int i = 0; i < k; i++) {
                    picks.add(pool.get(p.indices()[i]));
                    scores[i] = p.distances()[i];
                }
            }
            case "herding" -> {
                int[] order = Herding.order(x, k, mean);
                for (int i = 0; i < k; i++) {
                    picks.add(pool.get(order[i]));
                    scores[i] = i;
                }
            }
            default -> {
                Selection s = submodular(cfg.method()).select(oneClass(x, cfg.seed()), k);
                for (int i = 0; i < k; i++) {
                    picks.add(pool.get(s.indices()[i]));
                    scores[i] = s.scores()[i];
                }
            }
        }
        return new RoundTwo(picks, scores);
    }

    /**
     * The best partition's own solution for a class: the partition whose greedy reached the highest
     * value on its own rows (ties to the lower partition), when it holds the class's whole budget; else null.
     */
    private static RoundTwo bestPartition(List<Candidate> pool, int k) {
        int best = -1;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (Candidate c : pool) {
            if (c.localValue > bestValue || c.localValue == bestValue && c.partition < best) {
                bestValue = c.localValue;
                best = c.partition;
            }
        }
        int bestPartition = best;
        List<Candidate> local = pool.stream().filter(c -> c.partition == bestPartition).toList();
        return local.size() == k ? new RoundTwo(local, local.stream().mapToDouble(Candidate::gain).toArray()) : null;
    }

    private static float[][] rowsOf(List<Candidate> c) {
        return c.stream().map(Candidate::features).toArray(float[][]::new);
    }

    /** The single-machine method both rounds run: {@code function} on the cosine similarity of the features, lazy greedy. */
    static SubmodularSelection submodular(String function) {
        return new SubmodularSelection(function, SubmodularSelection.Features.EMBEDDINGS, Similarity.Kernel.COSINE,
                SubmodularSelection.Optimizer.LAZY, Double.NaN, StochasticGreedy.DEFAULT_EPSILON);
    }

    /** A features-only context in which every row is of one class, so a method picks exactly its budget among them. */
    static SelectionContext oneClass(Tensor x, long seed) {
        return SelectionContext.ofFeatures(x, new int[x.dim(0)], 1, seed, true);
    }

    static Tensor features(List<float[]> rows) {
        int d = rows.get(0).length;
        float[] flat = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, flat, i * d, d);
        }
        return Tensor.fromFloats(flat, rows.size(), d);
    }

    /** Each class's mean (all rows as one class without balance), summed per partition and merged in partition order. */
    private double[][] classMeans() {
        int groups = budgets.length;
        boolean balance = cfg.balance();
        List<Tuple2<Integer, double[][]>> partial = rows.mapPartitionsWithIndex((p, it) -> {
            double[][] sums = null;
            while (it.hasNext()) {
                Example e = it.next();
                if (sums == null) {
                    sums = new double[groups][e.features.length + 1];
                }
                double[] s = sums[balance ? e.label : 0];
                for (int j = 0; j < e.features.length; j++) {
                    s[j] += e.features[j];
                }
                s[e.features.length]++;
            }
            return sums == null ? java.util.Collections.emptyIterator()
                    : List.of(new Tuple2<>(p, sums)).iterator();
        }, true).collect();
        double[][] total = null;
        for (Tuple2<Integer, double[][]> t : partial.stream().sorted(Comparator.comparingInt(Tuple2::_1)).toList()) {
            if (total == null) {
                total = new double[groups][t._2[0].length];
            }
            for (int g = 0; g < groups; g++) {
                for (int j = 0; j < total[g].length; j++) {
                    total[g][j] += t._2[g][j];
                }
            }
        }
        double[][] means = new double[groups][];
        for (int g = 0; g < groups; g++) {
            int d = total[g].length - 1;
            means[g] = new double[d];
            for (int j = 0; j < d; j++) {
                means[g][j] = total[g][j] / Math.max(1, total[g][d]);
            }
        }
        return means;
    }
}
