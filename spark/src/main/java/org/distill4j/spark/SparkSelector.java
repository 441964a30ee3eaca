package org.distill4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.distill4j.coreset.Budget;
import org.distill4j.coreset.CoverageStrata;
import org.distill4j.coreset.Objective;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.submodular.SubmodularSelection;
import scala.Tuple2;

/**
 * Coreset selection as Spark jobs over an RDD of {@link Example}s.
 *
 * <ul>
 *   <li>Score-and-rank ({@code least-confidence} from given probabilities, {@code scores} from a
 *       given score column, {@code uniform} on seeded keys) and {@code ccs}: one distributed sort
 *       gives every row its exact rank in its class, so the selection is exactly the
 *       single-machine one for the same scores ({@code LeastConfidence}, {@link CoverageStrata}).</li>
 *   <li>{@code facility-location}, {@code graph-cut}, {@code log-determinant}: GreeDi, and
 *       {@code kcenter}, {@code herding}: composable two-round schemes; {@code importance}:
 *       distributed sensitivity sampling. See {@link Composable}.</li>
 * </ul>
 *
 * <p>Rows are spread over the partitions by a seeded hash of their id (the random partitioning of
 * Barbosa et al. 2015) and visited in id order inside a partition, and every floating-point sum is
 * merged in partition order, so a seed and a partition count fix the result, bit for bit, also
 * when a task fails and is run again.
 */
public final class SparkSelector {
    /** Methods this engine runs, by command-line name. */
    public static final List<String> METHODS = List.of("uniform", "least-confidence", "scores", "ccs", "kcenter", "herding",
            "importance", "facility-location", "graph-cut", "log-determinant");

    /**
     * What to select.
     *
     * @param budget     examples to keep, or 0 when {@code fraction} says
     * @param partitions parts the rows are split into (0: as many as the input has)
     * @param beta       CCS: the hardest fraction dropped first
     * @param clusters   importance sampling: centers of the rough clustering behind the sensitivity bound
     */
    public record Config(String method, int budget, double fraction, boolean balance, long seed, int partitions, double beta,
                         int strata, int clusters) implements Serializable {
        public Config {
            if (!METHODS.contains(method)) {
                throw new IllegalArgumentException("the spark engine runs " + String.join(", ", METHODS) + "; not '" + method + "'");
            }
            CoverageStrata.check(beta, strata);
            if (clusters < 1 || partitions < 0) {
                throw new IllegalArgumentException("clusters must be >= 1 and partitions >= 0");
            }
        }

        public static Config of(String method, int budget, boolean balance, long seed, int partitions) {
            return new Config(method, budget, Double.NaN, balance, seed, partitions, 0.1, CoverageStrata.DEFAULT_STRATA, 10);
        }
    }

    /**
     * The selection (ids as indices, in selection order), each selected row's label, the class
     * counts, and the method's objective where it has one.
     */
    public record Result(Selection selection, int[] labels, int[] classCounts, Objective.Value objective) {
        /** The selection as rows (id, label, weight, score), in selection order. */
        public org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> toDataset(org.apache.spark.sql.SparkSession spark) {
            int[] idx = selection.indices();
            double[] w = selection.weights();
            double[] s = selection.scores();
            List<org.apache.spark.sql.Row> rows = new ArrayList<>(idx.length);
            for (int i = 0; i < idx.length; i++) {
                rows.add(org.apache.spark.sql.RowFactory.create((long) idx[i], labels[i], w[i], s[i]));
            }
            org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                    .add("id", org.apache.spark.sql.types.DataTypes.LongType, false)
                    .add("label", org.apache.spark.sql.types.DataTypes.IntegerType, false)
                    .add("weight", org.apache.spark.sql.types.DataTypes.DoubleType, false)
                    .add("score", org.apache.spark.sql.types.DataTypes.DoubleType, false);
            return spark.createDataFrame(rows, schema);
        }

        public int[] perClass() {
            int[] c = new int[classCounts.length];
            for (int l : labels) {
                c[l]++;
            }
            return c;
        }
    }

    /** For a test: the first attempt of partition 0's first task in the first round fails once, when set. */
    static volatile boolean failFirstAttemptForTest;

    private SparkSelector() {
    }

    public static Result select(JavaRDD<Example> input, Config cfg) {
        Stats s = Stats.of(input, cfg);
        int n = Math.toIntExact(s.count);
        int budget = cfg.budget > 0 ? cfg.budget : Double.isNaN(cfg.fraction) ? 0 : Budget.fromFraction(cfg.fraction, n);
        if (budget < 1 || budget > n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "budget %d must be between 1 and the number of rows (%,d)",
                    budget, n));
        }
        int[] counts = s.classCounts();
        int[] groupBudgets = cfg.balance ? Budget.perClass(counts, budget) : new int[]{budget};
        int parts = cfg.partitions > 0 ? cfg.partitions : input.getNumPartitions();
        JavaRDD<Example> rows = partition(input, parts, cfg.seed);
        try {
            Picks p = switch (cfg.method) {
                case "uniform" -> rank(rows, cfg, counts, groupBudgets, e -> 0.0, e -> Ranked.unsignedOrder(CoverageStrata.key(cfg.seed, e.id)));
                case "least-confidence" -> rank(rows, cfg, counts, groupBudgets, e -> -(1 - (double) max(e.probabilities)), e -> 0L);
                case "scores" -> rank(rows, cfg, counts, groupBudgets, e -> -e.score, e -> 0L);
                case "ccs" -> ccs(rows, cfg, budget, n);
                default -> new Composable(rows, cfg, counts, groupBudgets, parts).run();
            };
            return p.result(cfg, counts);
        } finally {
            rows.unpersist(false);
        }
    }

    /** The selection before it becomes a {@link Selection}: ids, labels, weights, scores, objective (or null), settings. */
    record Picks(long[] ids, int[] labels, double[] weights, double[] scores, Objective.Value objective,
                 Map<String, Object> settings) {
        Result result(Config cfg, int[] counts) {
            int[] idx = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                idx[i] = Math.toIntExact(ids[i]);
            }
            Map<String, Object> all = new java.util.LinkedHashMap<>();
            all.put("engine", "spark");
            all.put("balance", cfg.balance);
            all.putAll(settings);
            int[] written = new int[labels.length];
            for (int i = 0; i < labels.length; i++) {
                written[i] = Math.max(0, labels[i]); // rows without a label (only without balance) are class 0
            }
            return new Result(new Selection(cfg.method, idx, weights, scores, all), written, counts, objective);
        }
    }

    static float max(float[] p) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : p) {
            m = Math.max(m, v);
        }
        return m;
    }

    // ---- input checks ----

    /** One pass over the rows: what every bad input needs to be refused in one line. */
    static final class Stats implements Serializable {
        private static final long serialVersionUID = 1L;
        long count;
        int minWidth = Integer.MAX_VALUE;
        int maxWidth = -1;
        long nonFinite;
        long firstNonFinite = Long.MAX_VALUE;
        long noLabel;
        int maxLabel = 0;
        long noScore;
        long badProbabilities;
        long minId = Long.MAX_VALUE;
        long maxId = Long.MIN_VALUE;
        /** Rows per label (a row without one counted as class 0, which only a run without balance reaches). */
        java.util.TreeMap<Integer, Long> labels = new java.util.TreeMap<>();

        int[] classCounts() {
            int[] c = new int[maxLabel + 1];
            labels.forEach((l, k) -> c[l] = Math.toIntExact(k));
            return c;
        }

        Stats add(Example e) {
            count++;
            minId = Math.min(minId, e.id);
            maxId = Math.max(maxId, e.id);
            int w = e.features == null ? 0 : e.features.length;
            minWidth = Math.min(minWidth, w);
            maxWidth = Math.max(maxWidth, w);
            if (e.features != null) {
                for (float v : e.features) {
                    if (!Float.isFinite(v)) {
                        nonFinite++;
                        firstNonFinite = Math.min(firstNonFinite, e.id);
                        break;
                    }
                }
            }
            labels.merge(Math.max(0, e.label), 1L, Long::sum);
            if (e.label < 0) {
                noLabel++;
            } else {
                maxLabel = Math.max(maxLabel, e.label);
            }
            noScore += Double.isFinite(e.score) ? 0 : 1;
            badProbabilities += e.probabilities == null || e.probabilities.length == 0 ? 1 : 0;
            return this;
        }

        Stats merge(Stats o) {
            count += o.count;
            minWidth = Math.min(minWidth, o.minWidth);
            maxWidth = Math.max(maxWidth, o.maxWidth);
            nonFinite += o.nonFinite;
            firstNonFinite = Math.min(firstNonFinite, o.firstNonFinite);
            noLabel += o.noLabel;
            maxLabel = Math.max(maxLabel, o.maxLabel);
            noScore += o.noScore;
            badProbabilities += o.badProbabilities;
            minId = Math.min(minId, o.minId);
            maxId = Math.max(maxId, o.maxId);
            o.labels.forEach((l, k) -> labels.merge(l, k, Long::sum));
            return this;
        }

        static Stats of(JavaRDD<Example> rows, Config cfg) {
            Stats s = rows.aggregate(new Stats(), Stats::add, Stats::merge);
            if (s.count == 0) {
                throw new IllegalArgumentException("the data have no rows");
            }
            if (s.minId < 0 || s.maxId > Integer.MAX_VALUE - 1L) {
                throw new IllegalArgumentException("ids must be row positions in [0, 2^31 - 1), got " + s.minId + " to " + s.maxId);
            }
            if (s.minWidth == 0) {
                throw new IllegalArgumentException("some rows have no features");
            }
            if (s.minWidth != s.maxWidth) {
                throw new IllegalArgumentException("features of differing widths: rows have " + s.minWidth + " to " + s.maxWidth
                        + " values; every row must have the same number");
            }
            if (s.nonFinite > 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%,d rows have NaN or infinite features (the first"
                        + " at id %d); features must be finite", s.nonFinite, s.firstNonFinite));
            }
            if (s.noLabel > 0 && cfg.balance) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "labels are absent on %,d rows: a per-class budget"
                        + " (balance) needs a label >= 0 on every row; --no-balance selects over the whole set", s.noLabel));
            }
            if ((cfg.method.equals("scores") || cfg.method.equals("ccs")) && s.noScore > 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s ranks a given score: %,d rows have no finite"
                        + " 'score'", cfg.method, s.noScore));
            }
            if (cfg.method.equals("least-confidence") && s.badProbabilities > 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "least-confidence reads given class probabilities:"
                        + " %,d rows have no 'probabilities'", s.badProbabilities));
            }
            return s;
        }
    }

    // ---- partitioning ----

    /** Row {@code id} goes to partition {@code key(seed, id) mod P}: a uniformly random partitioning fixed by the seed. */
    static final class RandomPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int parts;
        private final long seed;

        RandomPartitioner(int parts, long seed) {
            this.parts = parts;
            this.seed = seed;
        }

        @Override
        public int numPartitions() {
            return parts;
        }

        @Override
        public int getPartition(Object key) {
            return (int) Long.remainderUnsigned(CoverageStrata.key(seed ^ 0x5DEECE66DL, (Long) key), parts);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RandomPartitioner r && r.parts == parts && r.seed == seed;
        }

        @Override
        public int hashCode() {
            return parts * 31 + Long.hashCode(seed);
        }
    }

    /** The rows in {@code parts} seeded random partitions, each in id order; kept in memory (spilling to disk) for the passes. */
    static JavaRDD<Example> partition(JavaRDD<Example> rows, int parts, long seed) {
        JavaRDD<Example> out = rows.mapToPair(e -> new Tuple2<>(e.id, e)).partitionBy(new RandomPartitioner(parts, seed))
                .mapPartitions(it -> {
                    List<Example> list = new ArrayList<>();
                    it.forEachRemaining(t -> list.add(t._2));
                    list.sort(Comparator.comparingLong(e -> e.id));
                    return list.iterator();
                }, true);
        return out.persist(StorageLevel.MEMORY_AND_DISK());
    }

    // ---- exact ranking ----

    interface Primary extends org.apache.spark.api.java.function.Function<Example, Double> {
    }

    interface Secondary extends org.apache.spark.api.java.function.Function<Example, Long> {
    }

    /**
     * In each group (each class with balance, else all rows) the {@code budgets[g]} rows first by
     * (primary, secondary, id): one sort, then each sorted row's rank minus where its group starts.
     * Groups come out in order, each in rank order, as the single-machine ScoreRanking writes them.
     */
    static Picks rank(JavaRDD<Example> rows, Config cfg, int[] counts, int[] budgets, Primary primary, Secondary secondary) {
        boolean balance = cfg.balance;
        JavaRDD<Ranked> ranked = rows.map(e -> new Ranked(balance ? e.label : 0, primary.call(e), secondary.call(e), e.id, e.label,
                -primary.call(e)));
        long[] sizes = new long[budgets.length];
        for (int c = 0; c < counts.length; c++) {
            sizes[balance ? c : 0] += counts[c];
        }
        List<Ranked> kept = firstPerGroup(ranked, budgets, sizes, rows.getNumPartitions());
        long[] ids = new long[kept.size()];
        int[] labels = new int[kept.size()];
        double[] scores = new double[kept.size()];
        double[] weights = new double[kept.size()];
        for (int i = 0; i < ids.length; i++) {
            Ranked r = kept.get(i);
            ids[i] = r.id;
            labels[i] = r.label;
            scores[i] = cfg.method.equals("uniform") ? Double.NaN : r.score;
            weights[i] = 1;
        }
        return new Picks(ids, labels, weights, scores, null, Map.of("ranking", "exact global rank per class"));
    }

    /** The first {@code budgets[g]} of each group {@code g} by {@link Ranked}'s order, in that order. */
    static List<Ranked> firstPerGroup(JavaRDD<Ranked> ranked, int[] budgets, long[] sizes, int parts) {
        int groups = budgets.length;
        long[] start = new long[groups + 1];
        for (int g = 0; g < groups; g++) {
            start[g + 1] = start[g] + sizes[g];
        }
        List<Tuple2<Ranked, Long>> kept = ranked.sortBy(r -> r, true, parts).zipWithIndex()
                .filter(t -> t._2 - start[t._1.group] < budgets[t._1.group]).collect();
        List<Ranked> out = new ArrayList<>(kept.size());
        kept.stream().sorted(Comparator.comparingLong(t -> t._2)).forEach(t -> out.add(t._1));
        return out;
    }

    // ---- CCS ----

    /** {@link CoverageStrata#select} with each step distributed: the same rows for the same scores. */
    static Picks ccs(JavaRDD<Example> rows, Config cfg, int budget, int n) {
        int pruned = (int) Math.floor(cfg.beta * n);
        Budget.perClass(new int[]{n - pruned}, budget); // refuses a budget above what is left after pruning
        int parts = rows.getNumPartitions();
        // Hardest first: score descending, then id.
        JavaRDD<Ranked> byHardness = rows.map(e -> new Ranked(0, -e.score, 0, e.id, e.label, e.score));
        JavaRDD<Ranked> kept = byHardness.sortBy(r -> r, true, parts).zipWithIndex().filter(t -> t._2 >= pruned).map(t -> t._1);
        kept.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            double[] range = kept.map(r -> new double[]{r.score, r.score})
                    .reduce((a, b) -> new double[]{Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            double lo = range[0];
            double hi = range[1];
            int strata = cfg.strata;
            long seed = cfg.seed;
            JavaRDD<Ranked> binned = kept.map(r -> new Ranked(CoverageStrata.stratum(r.score, lo, hi, strata), 0,
                    Ranked.unsignedOrder(CoverageStrata.key(seed, r.id)), r.id, r.label, r.score));
            Map<Integer, Long> bySize = binned.map(r -> r.group).countByValue();
            long[] sizes = new long[strata];
            bySize.forEach((b, k) -> sizes[b] = k);
            long[] share = CoverageStrata.allocate(sizes, budget);
            int[] shares = Arrays.stream(share).mapToInt(Math::toIntExact).toArray();
            List<Ranked> chosen = new ArrayList<>(firstPerGroup(binned, shares, sizes, parts));
            chosen.sort(Comparator.comparingLong(r -> r.id));
            long[] ids = new long[chosen.size()];
            int[] labels = new int[chosen.size()];
            double[] scores = new double[chosen.size()];
            double[] weights = new double[chosen.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = chosen.get(i).id;
                labels[i] = chosen.get(i).label;
                scores[i] = chosen.get(i).score;
                weights[i] = 1;
            }
            Map<String, Object> settings = new java.util.LinkedHashMap<>();
            settings.put("beta", cfg.beta);
            settings.put("strata", strata);
            return new Picks(ids, labels, weights, scores, null, settings);
        } finally {
            kept.unpersist(false);
        }
    }

    static boolean submodular(String method) {
        return SubmodularSelection.FUNCTIONS.contains(method);
    }
}
