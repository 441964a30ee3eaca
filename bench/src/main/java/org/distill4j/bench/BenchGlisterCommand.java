package org.distill4j.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.coreset.Budget;
import org.distill4j.coreset.Glister;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKind;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.options.CommonOptions;
import org.distill4j.options.Progress;
import org.distill4j.options.SelectionModelOptions;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j bench glister}: {@link Glister#select} alone, several times in one JVM, on a
 * selection model's features saved once (embeddings, softmax outputs, labels, learning rate), so
 * that the greedy's own time is measured without the 5 epochs of training and without the first
 * run's JIT compilation mixed into the later ones. The first call trains the selection model and
 * writes the folder; later calls (of this build or another) read it. Each run reports wall time,
 * the CPU time of the threads that are not the JIT's or the collector's, and a hash of the picks,
 * so two builds can be checked to pick the same examples.
 */
@Command(name = "glister", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Seconds GLISTER takes to select on a selection model's features saved once (several runs per JVM).")
public final class BenchGlisterCommand implements Callable<Integer> {
    /** The features folder: embeddings.npy, probabilities.npy, labels.npy and this marker. */
    static final OutputKind.Folder FEATURES = new OutputKind.Folder("a selection-features folder",
            "distill4j/selection-features", "features.json", List.of());

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    SelectionModelOptions selection;

    @Option(names = "--features", required = true, paramLabel = "DIR",
            description = "Folder of saved features: read if it holds them, else the selection model is trained and they are written there.")
    Path features;

    @Option(names = "--fractions", defaultValue = "0.001,0.01,0.1", split = ",", paramLabel = "F",
            description = "Fractions of the training set to select.")
    List<Double> fractions;

    @Option(names = "--runs", defaultValue = "4", paramLabel = "N", description = "Selections per fraction in this JVM.")
    int runs;

    @Option(names = "--json", description = "Also print the figures as one JSON object, the last line of stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
        }
        for (double f : fractions) {
            Budget.fromFraction(f, 1);
        }
        Progress progress = Progress.lines(spec.commandLine().getErr());
        boolean saved = FEATURES.recognizes(features);
        Output out = saved ? null : Output.check(features, FEATURES, false);
        if (!saved) {
            selection.check();
        }
        String note = common.apply();
        if (note != null) {
            progress.line(note);
        }
        if (!saved) {
            Dataset train = DataSets.loadNormalized(selection.dataset, common.data, null).train();
            SelectionContext trained = selection.train(train, progress, false, true);
            Tensor h = trained.embeddings();
            Tensor p = trained.probabilities();
            Tensor labels = Tensor.fromInts(train.labels(), train.size());
            Map<String, Object> marker = new LinkedHashMap<>();
            marker.put("kind", FEATURES.id());
            marker.put("dataset", selection.dataset);
            marker.put("model", selection.model);
            marker.put("selection_epochs", selection.selectionEpochs);
            marker.put("seed", selection.seed);
            marker.put("learning_rate", trained.learningRate());
            marker.put("classes", train.classes());
            out.writeFolder(dir -> {
                Npy.write(dir.resolve("embeddings.npy"), h);
                Npy.write(dir.resolve("probabilities.npy"), p);
                Npy.write(dir.resolve("labels.npy"), labels);
                Files.writeString(dir.resolve(FEATURES.marker()), Json.write(marker) + "\n", StandardCharsets.UTF_8);
            });
            progress.line("features written to " + features);
        }
        Map<String, Object> meta = Json.readObject(features.resolve(FEATURES.marker()));
        Tensor h = Npy.read(features.resolve("embeddings.npy"));
        Tensor p = Npy.read(features.resolve("probabilities.npy"));
        int[] labels = Npy.read(features.resolve("labels.npy")).toIntArray();
        int classes = ((Number) meta.get("classes")).intValue();
        double eta = ((Number) meta.get("learning_rate")).doubleValue();
        Dataset data = new Dataset("features", h.reshape(h.dim(0), h.dim(1), 1, 1), labels, classes);
        SelectionContext ctx = SelectionContext.precomputed(data, h, p, null, selection.seed, selection.balance);
        Glister glister = new Glister(eta);

        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "glister on %s (%,d examples, %d features, eta %s), %d thread(s)%n", features, h.dim(0), h.dim(1),
                eta, ComputeContext.current().threads());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (double f : fractions) {
            int budget = Budget.fromFraction(f, h.dim(0));
            for (int r = 0; r < runs; r++) {
                double[] cpu0 = ThreadCpu.now();
                long p0 = processCpuNanos();
                long t0 = System.nanoTime();
                Selection s = glister.select(ctx, budget);
                double wall = (System.nanoTime() - t0) / 1e9;
                long p1 = processCpuNanos();
                double[] cpu1 = ThreadCpu.now();
                // The selection's own CPU: the whole process's (its worker threads may have ended) less the JIT's and the collector's.
                double cpu = (p1 - p0) / 1e9 - (cpu1[0] - cpu0[0]) - (cpu1[1] - cpu0[1]);
                int hash = java.util.Arrays.hashCode(s.indices());
                o.printf(Locale.ROOT, "%-6s run %d: %6.3f s wall, %6.2f s CPU (JIT %.2f s more), picks hash %08x%n",
                        percent(f), r + 1, wall, cpu, cpu1[0] - cpu0[0], hash);
                o.flush();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("fraction", f);
                row.put("run", r + 1);
                row.put("wall_seconds", wall);
                row.put("cpu_seconds", cpu);
                row.put("jit_seconds", cpu1[0] - cpu0[0]);
                row.put("picks_hash", String.format(Locale.ROOT, "%08x", hash));
                rows.add(row);
            }
        }
        if (json) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("features", features.toString());
            all.put("runs", rows);
            o.println(Json.write(all));
        }
        o.flush();
        return 0;
    }

    /** CPU time of the whole process so far, every thread's, ended ones included. */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static String percent(double f) {
        return String.format(Locale.ROOT, "%s%%", new java.math.BigDecimal(Double.toString(f * 100)).stripTrailingZeros().toPlainString());
    }
}
