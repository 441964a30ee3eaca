package org.distill4j.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.distill4j.coreset.CoresetMethod;
import org.distill4j.coreset.CoverageStrata;
import org.distill4j.coreset.LeastConfidence;
import org.distill4j.coreset.Herding;
import org.distill4j.coreset.KCenterGreedy;
import org.distill4j.coreset.Objective;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.data.Dataset;
import org.distill4j.data.GaussianMixture;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.tensor.Tensor;

/**
 * The quality and cost of the distributed methods against the single-machine greedy on the same
 * rows (docs/results/scale): a seeded Gaussian mixture of N rows (the one {@code bench selection
 * --synthetic} uses), made inside the tasks row by row, selected on one machine and by
 * {@link SparkSelector} for each partition count; both selections are measured with the same
 * single-machine {@link Objective}. The methods without an objective (uniform, least confidence and
 * CCS on the mixture's Bayes posterior, importance sampling) are timed, and where the single-machine
 * method is defined on the same inputs (least confidence, CCS) the cell records whether Spark chose
 * exactly the same rows. Each finished cell is appended to a JSON-lines file and skipped
 * when the experiment is run again, so a long run can be stopped and resumed.
 *
 * <pre>
 * java ... org.distill4j.spark.ScaleExperiment --rows 1000000 --dim 64 --budget 1000 \
 *     --partitions 2,8,32 --methods kcenter,herding,graph-cut,log-determinant --master local[2] --out cells.jsonl
 *     [--force true] [--bound true]
 * </pre>
 */
public final class ScaleExperiment {
    /** Methods that read the mixture's Bayes posterior (least confidence) or {@code 1 - p(true class)} (CCS). */
    static final Set<String> GIVEN = Set.of("least-confidence", "ccs");
    /** Methods without an objective to compare: timed only. */
    static final Set<String> UNMEASURED = Set.of("uniform", "least-confidence", "ccs", "importance");

    private ScaleExperiment() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        long rows = Long.parseLong(a.getOrDefault("--rows", "1000000"));
        int dim = Integer.parseInt(a.getOrDefault("--dim", "64"));
        int classes = Integer.parseInt(a.getOrDefault("--classes", "10"));
        int budget = Integer.parseInt(a.getOrDefault("--budget", "1000"));
        long seed = Long.parseLong(a.getOrDefault("--seed", "0"));
        boolean single = !a.getOrDefault("--single", "true").equals("false");
        // Facility location: also an upper bound on the optimum from each selection (OptimumBound), which
        // certifies value / greedy >= value / bound where the single-machine greedy does not fit.
        boolean bound = a.getOrDefault("--bound", "false").equals("true");
        List<Integer> partitions = Arrays.stream(a.getOrDefault("--partitions", "2,8,32").split(",")).map(Integer::parseInt).toList();
        List<String> methods = List.of(a.getOrDefault("--methods", "kcenter,herding,graph-cut,log-determinant").split(","));
        Path out = Path.of(a.getOrDefault("--out", "scale-cells.jsonl"));
        String master = a.getOrDefault("--master", "local[2]");
        // Checked before any work: only a cells file this experiment wrote is appended to (--force true replaces
        // anything else), and every append rewrites it whole and atomically, so an interrupted run leaves whole lines.
        Output target = Output.check(out, OutputKinds.SCALE_CELLS, a.getOrDefault("--force", "false").equals("true"));
        List<String> done = new ArrayList<>();
        // A cell is done only at this size: one file may hold the cells of several sizes (all are kept).
        String size = "\"rows\": " + rows + ", \"dim\": " + dim + ", \"budget\": " + budget + ",";
        if (target.state() == Output.State.OURS) {
            Files.readAllLines(out).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(done::add);
        }

        GaussianMixture g = new GaussianMixture(seed, classes, dim, 0.5);
        Dataset local = null;
        SelectionContext ctx = null;
        // A session the program already runs (a test's) is used and left running; one made here is stopped.
        boolean running = SparkSession.getDefaultSession().isDefined();
        SparkSession spark = SparkEngine.session(master);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TaskTimes times = new TaskTimes();
        spark.sparkContext().addSparkListener(times);
        try {
            boolean given = methods.stream().anyMatch(GIVEN::contains);
            JavaRDD<Example> data = mixture(sc, seed, classes, dim, rows, Math.max(2, sc.defaultParallelism() * 4), given);
            for (String m : methods) {
                int[] oneMachine = null;
                // Uniform and importance sampling have no single-machine twin on these inputs (bench selection --synthetic
                // times the single-machine ones); least confidence and CCS run on one machine also when their cell is done,
                // so the Spark cells can say whether they chose the same rows.
                boolean allDone = isDone(done, m, 0, size) && partitions.stream().allMatch(p -> isDone(done, m, p, size));
                boolean twin = !m.equals("uniform") && !m.equals("importance");
                if (single && twin && !allDone && (!isDone(done, m, 0, size) || GIVEN.contains(m))) {
                    if (ctx == null) {
                        local = g.rows("gaussian-mixture", 0, Math.toIntExact(rows));
                        Tensor features = local.images().reshape(local.size(), dim);
                        ctx = given ? SelectionContext.precomputed(local, features, posterior(g, features, local.labels()), null, seed, true)
                                : SelectionContext.ofFeatures(features, local.labels(), classes, seed, true);
                    }
                    resetPeaks();
                    long cpu = cpu();
                    long t = System.nanoTime();
                    int[] picked = oneMachine(m, ctx, budget, seed);
                    double seconds = (System.nanoTime() - t) / 1e9;
                    double cpuSeconds = (cpu() - cpu) / 1e9;
                    oneMachine = picked;
                    if (!isDone(done, m, 0, size)) {
                        Objective.Value v = UNMEASURED.contains(m) ? null : ((Objective) method(m)).objective(ctx, picked);
                        Map<String, Object> c = cell(m, 0, rows, dim, budget, seconds, cpuSeconds, v, null, null, null);
                        if (bound && m.equals("facility-location")) {
                            addBound(c, local, dim, classes, picked, v.value());
                        }
                        append(target, done, c);
                        System.err.printf(Locale.ROOT, "%s one machine: %.1f s (CPU %.1f s)%s%n", m, seconds, cpuSeconds,
                                v == null ? "" : String.format(Locale.ROOT, ", %s %.6g", v.name(), v.value()));
                    }
                }
                for (int p : partitions) {
                    if (isDone(done, m, p, size)) {
                        continue;
                    }
                    times.reset();
                    resetPeaks();
                    long cpu = cpu();
                    long t = System.nanoTime();
                    SparkSelector.Result r = SparkSelector.select(data, SparkSelector.Config.of(m, budget, true, seed, p));
                    double seconds = (System.nanoTime() - t) / 1e9;
                    double cpuSeconds = (cpu() - cpu) / 1e9;
                    Objective.Value same = r.objective();
                    if (ctx != null && !m.equals("facility-location") && !UNMEASURED.contains(m)) {
                        same = ((Objective) method(m)).objective(ctx, r.selection().indices());
                    }
                    Boolean identical = oneMachine == null || !GIVEN.contains(m) ? null : sameRows(oneMachine, r.selection().indices());
                    Map<String, Object> c = cell(m, p, rows, dim, budget, seconds, cpuSeconds, same, r.objective(), times, identical);
                    if (bound && m.equals("facility-location")) {
                        if (local == null) {
                            local = g.rows("gaussian-mixture", 0, Math.toIntExact(rows));
                        }
                        addBound(c, local, dim, classes, r.selection().indices(), same.value());
                    }
                    append(target, done, c);
                    System.err.printf(Locale.ROOT, "%s %d partitions: %.1f s (CPU %.1f s)%s%s; longest task %.1f s%n", m, p,
                            seconds, cpuSeconds, same == null ? "" : String.format(Locale.ROOT, ", %s %.6g", same.name(), same.value()),
                            identical == null ? "" : identical ? ", the single machine's rows" : ", NOT the single machine's rows",
                            times.longest.get() / 1e3);
                }
            }
        } finally {
            if (!running) {
                spark.stop();
            }
        }
    }

    /** The mixture's rows {@code [0, rows)} as an RDD made inside the tasks, {@code slices} ranges of ids. */
    static JavaRDD<Example> mixture(JavaSparkContext sc, long seed, int classes, int dim, long rows, int slices) {
        return mixture(sc, seed, classes, dim, rows, slices, false);
    }

    /**
     * As {@link #mixture(JavaSparkContext, long, int, int, long, int)}; with {@code given}, each row also carries
     * the mixture's Bayes posterior as its given probabilities and {@code 1 - p(true class)} as its given score.
     */
    static JavaRDD<Example> mixture(JavaSparkContext sc, long seed, int classes, int dim, long rows, int slices, boolean given) {
        List<long[]> ranges = new ArrayList<>();
        for (int s = 0; s < slices; s++) {
            ranges.add(new long[]{rows * s / slices, rows * (s + 1) / slices});
        }
        return sc.parallelize(ranges, slices).flatMap(r -> {
            GaussianMixture g = new GaussianMixture(seed, classes, dim, 0.5);
            List<Example> out = new ArrayList<>((int) (r[1] - r[0]));
            for (long i = r[0]; i < r[1]; i++) {
                float[] f = new float[dim];
                g.row(i, f, 0);
                int label = g.label(i);
                if (given) {
                    float[] p = new float[classes];
                    g.posterior(f, 0, p, 0);
                    out.add(new Example(i, label, f, 1 - (double) p[label], p));
                } else {
                    out.add(new Example(i, label, f, Double.NaN, null));
                }
            }
            return out.iterator();
        });
    }

    /** The mixture's Bayes posterior of every row, {@code [N, C]}. */
    static Tensor posterior(GaussianMixture g, Tensor features, int[] labels) {
        int n = labels.length;
        int classes = g.classes();
        float[] x = features.toFloatArray();
        float[] p = new float[n * classes];
        for (int i = 0; i < n; i++) {
            g.posterior(x, i * g.dim(), p, i * classes);
        }
        return Tensor.fromFloats(p, n, classes);
    }

    /** The single-machine selection of {@code m} (CCS on {@code 1 - p(true class)}, unbalanced as Spark's). */
    static int[] oneMachine(String m, SelectionContext ctx, int budget, long seed) {
        if (m.equals("ccs")) {
            float[] p = ctx.probabilities().toFloatArray();
            int classes = ctx.data().classes();
            double[] difficulty = new double[ctx.data().size()];
            for (int i = 0; i < difficulty.length; i++) {
                difficulty[i] = 1 - (double) p[i * classes + ctx.data().label(i)];
            }
            return CoverageStrata.select(difficulty, budget, 0.1, CoverageStrata.DEFAULT_STRATA, seed);
        }
        if (m.equals("least-confidence")) {
            return new LeastConfidence().select(ctx, budget).indices();
        }
        return method(m).select(ctx, budget).indices();
    }

    private static boolean sameRows(int[] a, int[] b) {
        int[] x = a.clone();
        int[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        return Arrays.equals(x, y);
    }

    static CoresetMethod method(String m) {
        return switch (m) {
            case "kcenter" -> new KCenterGreedy();
            case "herding" -> new Herding();
            default -> Composable.submodular(m);
        };
    }

    /**
     * Facility location per class (cosine similarity, as selected): the sum over classes of
     * {@link OptimumBound}'s bound from the selection's members of each class, its ratio to the
     * selection's value, and the CPU seconds it took (one pass over every similarity of each class).
     */
    private static void addBound(Map<String, Object> cell, Dataset local, int dim, int classes, int[] selected, double value) {
        long cpu = cpu();
        Tensor features = local.images().reshape(local.size(), dim);
        int[] labels = local.labels();
        double total = 0;
        for (int c = 0; c < classes; c++) {
            int cls = c;
            int[] position = new int[labels.length];
            int count = 0;
            for (int i = 0; i < labels.length; i++) {
                position[i] = labels[i] == cls ? count++ : -1;
            }
            int[] members = new int[count];
            for (int i = 0; i < labels.length; i++) {
                if (position[i] >= 0) {
                    members[position[i]] = i;
                }
            }
            int[] chosen = Arrays.stream(selected).filter(i -> labels[i] == cls).map(i -> position[i]).toArray();
            Tensor x = org.distill4j.tensor.Indexing.indexSelect(features, 0, Tensor.fromInts(members, members.length));
            org.distill4j.coreset.submodular.FacilityLocation f = new org.distill4j.coreset.submodular.FacilityLocation(
                    org.distill4j.coreset.submodular.Similarity.of(x, org.distill4j.coreset.submodular.Similarity.Kernel.COSINE));
            total += org.distill4j.coreset.submodular.OptimumBound.afterAdding(f, chosen, chosen.length);
        }
        cell.put("upper_bound", total);
        cell.put("value_over_bound", value / total);
        cell.put("bound_cpu_seconds", (cpu() - cpu) / 1e9);
        System.err.printf(Locale.ROOT, "facility location: value %.6g, upper bound on the optimum %.6g (ratio %.5f)%n", value, total,
                value / total);
    }

    private static boolean isDone(List<String> done, String method, int partitions, String size) {
        String key = "\"method\": \"" + method + "\", \"partitions\": " + partitions + ", " + size;
        return done.stream().anyMatch(l -> l.contains(key));
    }

    private static Map<String, Object> cell(String m, int p, long rows, int dim, int budget, double seconds, double cpuSeconds,
                                            Objective.Value v, Objective.Value reported, TaskTimes t, Boolean identical) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("method", m);
        o.put("partitions", p);
        o.put("rows", rows);
        o.put("dim", dim);
        o.put("budget", budget);
        o.put("seconds", seconds);
        o.put("cpu_seconds", cpuSeconds);
        o.put("objective", v == null ? "none" : v.name());
        if (v != null) {
            o.put("value", v.value());
        }
        if (identical != null) {
            o.put("same_rows_as_one_machine", identical);
        }
        if (reported != null) {
            o.put("spark_value", reported.value());
        }
        if (t != null) {
            o.put("tasks", t.count.get());
            o.put("task_seconds_total", t.total.get() / 1e3);
            o.put("task_seconds_longest", t.longest.get() / 1e3);
            o.put("task_cpu_seconds_total", t.cpuTotal.get() / 1e9);
            o.put("task_cpu_seconds_longest", t.cpuLongest.get() / 1e9);
            o.put("task_peak_execution_mib", t.peakMemory.get() / (1024.0 * 1024.0));
        }
        o.put("heap_used_mib", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0));
        o.put("heap_peak_mib", peakHeap() / (1024.0 * 1024.0));
        return o;
    }

    /** Adds {@code cell} to {@code lines} and rewrites the cells file with all of them. */
    private static void append(Output target, List<String> lines, Map<String, Object> cell) throws IOException {
        lines.add(Json.write(cell));
        target.writeFile(stream -> {
            StringBuilder sb = new StringBuilder(OutputKinds.SCALE_CELLS.header()).append('\n');
            lines.forEach(l -> sb.append(l).append('\n'));
            stream.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        });
    }

    /** Starts the heap pools' peak counters afresh (after a collection), so {@link #peakHeap()} covers one cell. */
    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /**
     * The sum of the heap pools' peaks since {@link #resetPeaks()}: an upper bound on the heap in use at once (the
     * pools peak at different moments), the data the JVM already held and garbage not yet collected included.
     */
    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Run time of every task since the last reset: the per-partition costs a cluster's size is computed from. */
    static final class TaskTimes extends SparkListener {
        final AtomicLong count = new AtomicLong();
        final AtomicLong total = new AtomicLong();
        final AtomicLong longest = new AtomicLong();
        final AtomicLong peakMemory = new AtomicLong();
        /** CPU nanoseconds, all tasks and the most any one took: what the tasks cost on an idle machine. */
        final AtomicLong cpuTotal = new AtomicLong();
        final AtomicLong cpuLongest = new AtomicLong();

        void reset() {
            cpuTotal.set(0);
            cpuLongest.set(0);
            count.set(0);
            total.set(0);
            longest.set(0);
            peakMemory.set(0);
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd e) {
            if (e.taskMetrics() == null) {
                return;
            }
            long ms = e.taskMetrics().executorRunTime();
            count.incrementAndGet();
            total.addAndGet(ms);
            longest.accumulateAndGet(ms, Math::max);
            peakMemory.accumulateAndGet(e.taskMetrics().peakExecutionMemory(), Math::max);
            cpuTotal.addAndGet(e.taskMetrics().executorCpuTime());
            cpuLongest.accumulateAndGet(e.taskMetrics().executorCpuTime(), Math::max);
        }
    }
}
