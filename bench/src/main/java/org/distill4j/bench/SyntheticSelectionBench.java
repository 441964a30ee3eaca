package org.distill4j.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.distill4j.coreset.CoresetMethods;
import org.distill4j.coreset.CoverageStrata;
import org.distill4j.coreset.ImportanceSampling;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.coreset.submodular.Similarity;
import org.distill4j.coreset.submodular.StochasticGreedy;
import org.distill4j.coreset.submodular.SubmodularSelection;
import org.distill4j.data.Dataset;
import org.distill4j.data.GaussianMixture;
import org.distill4j.io.Json;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.options.Progress;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.CorrectnessLog;

/**
 * {@code bench selection --synthetic N[,N...] --dim D}: how the features-only methods' cost grows with
 * the data, on a seeded labelled Gaussian mixture ({@link GaussianMixture}) with nothing trained.
 * Methods that read softmax outputs or training history get them from the mixture itself: the
 * Bayes posterior as the "given probabilities" (contextual diversity, least confidence), a
 * correctness log drawn from it as the "given" training history (forgetting), and
 * {@code 1 - p(true class)} as CCS's given difficulty score. The budget is fixed across N, so a
 * method linear in N shows an exponent near 1.
 *
 * <p>Each (method, N) runs on a fresh context after a full GC, timed alone; memory is the sum of the
 * heap pools' peaks during the run above what was in use before it (an upper bound: pools peak at
 * different moments), so the data, which every method shares, is not counted. A method whose time,
 * extrapolated with its exponent so far, would pass {@code --max-seconds} is skipped with that reason.
 */
final class SyntheticSelectionBench {
    static final List<String> METHODS = List.of("uniform", "herding", "kcenter", "contextual-diversity", "facility-location",
            "graph-cut", "log-determinant", "least-confidence", "forgetting", "ccs", "importance");
    /** The mixture's class-mean spread: classes overlap enough that posteriors and forgetting vary. */
    static final double SEPARATION = 0.5;
    static final int EPOCHS = 10;

    /** Wall seconds, CPU seconds of the whole process (every thread, GC and JIT included), peak MiB; or why skipped. */
    record Cell(double seconds, double cpuSeconds, double peakMiB, String skipped) {
    }

    private final List<Long> sizes;
    private final int dim;
    private final int classes;
    private final int budget;
    private final long seed;
    private final boolean balance;
    private final double maxSeconds;
    private final Progress progress;

    SyntheticSelectionBench(List<Long> sizes, int dim, int classes, int budget, long seed, boolean balance, double maxSeconds,
                            Progress progress) {
        this.sizes = sizes.stream().distinct().sorted().toList();
        this.dim = dim;
        this.classes = classes;
        this.budget = budget;
        this.seed = seed;
        this.balance = balance;
        this.maxSeconds = maxSeconds;
        this.progress = progress;
        for (long n : this.sizes) {
            if (n < budget || n > Integer.MAX_VALUE / Math.max(dim, classes)) {
                throw new IllegalArgumentException("--synthetic " + n + " must be between the budget (" + budget + ") and "
                        + Integer.MAX_VALUE / Math.max(dim, classes) + " rows of " + dim + " features");
            }
        }
        if (dim < 1 || classes < 2 || budget < 1) {
            throw new IllegalArgumentException("--dim, --budget must be >= 1 and --classes >= 2");
        }
    }

    static List<String> methods(List<String> asked) {
        if (asked.equals(List.of("all"))) {
            return METHODS;
        }
        for (String m : asked) {
            if (!METHODS.contains(m)) {
                throw new IllegalArgumentException("--synthetic runs the methods that need no model: " + String.join(", ", METHODS)
                        + "; not '" + m + "'");
            }
        }
        return asked;
    }

    int run(List<String> names, PrintWriter out, boolean json) {
        GaussianMixture mixture = new GaussianMixture(seed, classes, dim, SEPARATION);
        Map<String, Map<Long, Cell>> cells = new LinkedHashMap<>();
        for (String m : names) {
            cells.put(m, new LinkedHashMap<>());
        }
        // Warm-up: every method once on a small set, so the first measured one does not pay for the JIT.
        Inputs small = inputs(mixture, Math.max(budget, 2_000));
        for (String m : names) {
            select(m, SelectionContext.precomputed(small.data, small.features, small.probabilities, small.log, seed, balance),
                    small, Math.max(1, budget / 10));
        }
        for (long n : sizes) {
            long t0 = System.nanoTime();
            Inputs in = inputs(mixture, (int) n);
            progress.line(String.format(Locale.ROOT, "N = %,d x %d: data made in %.1f s", n, dim, (System.nanoTime() - t0) / 1e9));
            for (String m : names) {
                Cell c = projectedTooSlow(cells.get(m), n);
                if (c == null) {
                    c = measure(m, in);
                }
                cells.get(m).put(n, c);
                progress.line(String.format(Locale.ROOT, "%s N=%,d: %s", m, n,
                        c.skipped != null ? "skipped (" + c.skipped + ")"
                                : String.format(Locale.ROOT, "%.2f s (CPU %.2f s), %.0f MiB", c.seconds, c.cpuSeconds, c.peakMiB)));
            }
        }
        out.print(table(cells));
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("dim", dim);
            o.put("classes", classes);
            o.put("budget", budget);
            o.put("balance", balance);
            o.put("seed", seed);
            o.put("threads", ComputeContext.current().threads());
            Map<String, Object> byMethod = new LinkedHashMap<>();
            cells.forEach((m, row) -> {
                Map<String, Object> r = new LinkedHashMap<>();
                row.forEach((n, c) -> {
                    Map<String, Object> cell = new LinkedHashMap<>();
                    if (c.skipped != null) {
                        cell.put("skipped", c.skipped);
                    } else {
                        cell.put("seconds", c.seconds);
                        cell.put("cpu_seconds", c.cpuSeconds);
                        cell.put("peak_mib", c.peakMiB);
                    }
                    r.put(Long.toString(n), cell);
                });
                r.put("exponent", exponent(row));
                byMethod.put(m, r);
            });
            o.put("methods", byMethod);
            out.println(Json.write(o));
        }
        out.flush();
        return 0;
    }

    /** Everything the methods read, made once per N. */
    private record Inputs(Dataset data, Tensor features, Tensor probabilities, CorrectnessLog log, double[] difficulty) {
    }

    private Inputs inputs(GaussianMixture g, int n) {
        Dataset d = g.rows("gaussian-mixture", 0, n);
        Tensor features = d.images().reshape(n, dim);
        float[] x = features.toFloatArray();
        float[] p = new float[n * classes];
        boolean[][] correct = new boolean[EPOCHS][n];
        double[] difficulty = new double[n];
        for (int i = 0; i < n; i++) {
            g.posterior(x, i * dim, p, i * classes);
            double pTrue = p[i * classes + d.label(i)];
            difficulty[i] = 1 - pTrue;
            for (int e = 0; e < EPOCHS; e++) {
                // Learned a little more each epoch: correct with probability rising from p_true towards 1.
                double pe = pTrue + (1 - pTrue) * e / (2.0 * EPOCHS);
                correct[e][i] = g.uniform(i, 1 + e) < pe;
            }
        }
        return new Inputs(d, features, Tensor.fromFloats(p, n, classes), CorrectnessLog.of(correct), difficulty);
    }

    private Cell measure(String method, Inputs in) {
        SelectionContext ctx = SelectionContext.precomputed(in.data, in.features, in.probabilities, in.log, seed, balance);
        System.gc();
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        long before = 0;
        for (MemoryPoolMXBean p : pools) {
            p.resetPeakUsage();
            before += p.getUsage().getUsed();
        }
        long cpu = cpuNanos();
        long start = System.nanoTime();
        int selected = select(method, ctx, in, budget);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (cpuNanos() - cpu) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean p : pools) {
            peak += p.getPeakUsage().getUsed();
        }
        if (selected != budget) {
            throw new IllegalStateException(method + " selected " + selected + " examples for a budget of " + budget);
        }
        return new Cell(seconds, cpuSeconds, Math.max(0, peak - before) / (1024.0 * 1024.0), null);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private int select(String method, SelectionContext ctx, Inputs in, int budget) {
        if (method.equals("ccs")) {
            return CoverageStrata.select(in.difficulty, budget, 0.1, CoverageStrata.DEFAULT_STRATA, seed).length;
        }
        if (method.equals("importance")) {
            // No model, so no loss to bound: the k-means sensitivity bound (the Spark engine's), a fixed-size sample.
            return new ImportanceSampling(ImportanceSampling.Bound.KMEANS, ImportanceSampling.Draws.FIXED_SIZE, 10)
                    .select(ctx, budget).size();
        }
        Selection s = SubmodularSelection.FUNCTIONS.contains(method)
                ? new SubmodularSelection(method, SubmodularSelection.Features.EMBEDDINGS, Similarity.Kernel.COSINE,
                        SubmodularSelection.Optimizer.LAZY, Double.NaN, StochasticGreedy.DEFAULT_EPSILON).select(ctx, budget)
                : CoresetMethods.byName(method).select(ctx, budget);
        return s.size();
    }

    /** A skip, when the time at {@code n} extrapolated from the smaller sizes would pass the limit; else null. */
    private Cell projectedTooSlow(Map<Long, Cell> row, long n) {
        Cell last = null;
        long lastN = 0;
        for (Map.Entry<Long, Cell> e : row.entrySet()) {
            if (e.getValue().skipped != null) {
                return new Cell(Double.NaN, Double.NaN, Double.NaN, "a smaller N was skipped");
            }
            last = e.getValue();
            lastN = e.getKey();
        }
        if (last == null) {
            return null;
        }
        double k = row.size() >= 2 ? Math.max(1, exponent(row)) : 2;
        // CPU seconds, as the exponent: wall time on a shared machine says more about the neighbours.
        double projected = last.cpuSeconds * Math.pow((double) n / lastN, k);
        if (last.cpuSeconds < 1) {
            return null; // too short to extrapolate from
        }
        if (projected > maxSeconds) {
            return new Cell(Double.NaN, Double.NaN, Double.NaN, String.format(Locale.ROOT, "projected %.0f CPU s at exponent %.2f > --max-seconds %.0f",
                    projected, k, maxSeconds));
        }
        return null;
    }

    /** The least-squares slope of log seconds on log N over the measured sizes (NaN with fewer than two). */
    static double exponent(Map<Long, Cell> row) {
        List<double[]> pts = new ArrayList<>();
        row.forEach((n, c) -> {
            if (c.skipped == null && c.cpuSeconds > 0) {
                pts.add(new double[]{Math.log(n), Math.log(c.cpuSeconds)});
            }
        });
        if (pts.size() < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (double[] p : pts) {
            mx += p[0] / pts.size();
            my += p[1] / pts.size();
        }
        double sxy = 0;
        double sxx = 0;
        for (double[] p : pts) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        return sxy / sxx;
    }

    private static String num(double s) {
        return String.format(Locale.ROOT, s < 10 ? "%.3f" : "%.1f", s);
    }

    private String table(Map<String, Map<Long, Cell>> cells) {
        StringBuilder sb = new StringBuilder();
        int threads = ComputeContext.current().threads();
        sb.append(String.format(Locale.ROOT, "Selection of %,d examples%s from a %d-class Gaussian mixture, %d features, %d thread%s;"
                        + " wall seconds / CPU seconds (all threads) / peak heap MiB above the data;%nexponent: slope of log CPU seconds on log N (CPU time, as the machine is shared).%n%n", budget,
                balance ? " (balanced)" : "", classes, dim, threads, threads == 1 ? "" : "s"));
        sb.append("| method |");
        for (long n : sizes) {
            sb.append(String.format(Locale.ROOT, " N = %,d |", n));
        }
        sb.append(" exponent |\n|---|").append("---:|".repeat(sizes.size())).append("---:|\n");
        cells.forEach((m, row) -> {
            sb.append("| ").append(m).append(" |");
            for (long n : sizes) {
                Cell c = row.get(n);
                sb.append(' ').append(c.skipped != null ? "skipped: " + c.skipped
                        : String.format(Locale.ROOT, "%s / %s / %.0f", num(c.seconds), num(c.cpuSeconds), c.peakMiB)).append(" |");
            }
            double k = exponent(row);
            sb.append(Double.isNaN(k) ? " - |" : String.format(Locale.ROOT, " %.2f |", k)).append('\n');
        });
        return sb.toString();
    }
}
