package org.distill4j.bench;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.coreset.Budget;
import org.distill4j.coreset.CoresetMethods;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.coreset.SelectionOptions;
import org.distill4j.coreset.protocol.ProtocolSettings;
import org.distill4j.coreset.protocol.ProtocolTable;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.io.Json;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.options.CommonOptions;
import org.distill4j.options.Progress;
import org.distill4j.options.SelectionModelOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j bench selection}: how long each coreset method takes to select, each on its own.
 * The selection model is trained once and its embeddings and softmax outputs computed once; then
 * every (method, fraction) runs on a fresh {@link SelectionContext#withFeaturesOnly copy}, so it
 * pays for everything else it needs (GraNd's and EL2N's extra models, DeepFool's search, its
 * gradients and similarities) as a lone {@code distill4j select} would, and nothing runs beside it.
 * {@code coreset-bench} cannot give these figures: there the methods share one context, so the
 * first to need shared work pays for all, and its jobs run side by side.
 */
@Command(name = "selection", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Seconds each coreset method takes to select, each on its own after one shared selection model (no training on the subsets).")
public final class BenchSelectionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    SelectionModelOptions selection;

    @Option(names = "--methods", defaultValue = "all", split = ",", paramLabel = "NAME", description = "Method names, or all (those in this build).")
    List<String> methods;

    @Option(names = "--fractions", defaultValue = "0.001,0.01,0.1", split = ",", paramLabel = "F",
            description = "Fractions of the training set to select.")
    List<Double> fractions;

    @Option(names = "--json", description = "Also print the figures as one JSON object, the last line of stdout.")
    boolean json;

    /** The synthetic mode's options: no data set, no model, a fixed budget over growing N (SyntheticSelectionBench). */
    static final class Synthetic {
        @Option(names = "--synthetic", split = ",", paramLabel = "N",
                description = "Time the features-only methods on a seeded Gaussian mixture of N rows (several: N,N,...), "
                        + "no data set and no model; reports seconds, peak memory and the fitted exponent.")
        List<Long> sizes;

        @Option(names = "--dim", defaultValue = "64", paramLabel = "D", description = "With --synthetic: features per row.")
        int dim;

        @Option(names = "--classes", defaultValue = "10", paramLabel = "C", description = "With --synthetic: mixture components (labels).")
        int classes;

        @Option(names = "--budget", defaultValue = "1000", paramLabel = "K", description = "With --synthetic: examples selected, the same at every N.")
        int budget;

        @Option(names = "--max-seconds", defaultValue = "1800", paramLabel = "S",
                description = "With --synthetic: skip a method whose CPU time, extrapolated from the smaller N, would pass this.")
        double maxSeconds;
    }

    @picocli.CommandLine.ArgGroup(exclusive = false)
    Synthetic synthetic;

    @Override
    public Integer call() throws Exception {
        Progress progress = Progress.lines(spec.commandLine().getErr());
        if (synthetic != null && synthetic.sizes != null) {
            List<String> names = SyntheticSelectionBench.methods(methods);
            SyntheticSelectionBench b = new SyntheticSelectionBench(synthetic.sizes, synthetic.dim, synthetic.classes,
                    synthetic.budget, selection.seed, selection.balance, synthetic.maxSeconds, progress);
            String note = common.apply();
            if (note != null) {
                progress.line(note);
            }
            return b.run(names, spec.commandLine().getOut(), json);
        }
        List<String> names = ProtocolSettings.methodNames(methods).stream()
                .filter(n -> !n.equals("full")).toList();
        for (double f : fractions) {
            Budget.fromFraction(f, 1);
        }
        selection.check();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("--methods names no method that selects (full selects nothing)");
        }
        String note = common.apply();
        if (note != null) {
            progress.line(note);
        }
        Dataset train = DataSets.loadNormalized(selection.dataset, common.data, null).train();
        List<Double> sorted = fractions.stream().distinct().sorted().toList();
        SelectionContext ctx = selection.train(train, progress,
                names.stream().anyMatch(n -> CoresetMethods.needsDynamics(n, SelectionOptions.defaults())), true);
        long t0 = System.nanoTime();
        ctx.embeddings();
        ctx.probabilities();
        double featureSeconds = (System.nanoTime() - t0) / 1e9;

        Map<String, Map<Double, Double>> seconds = new LinkedHashMap<>();
        for (String name : names) {
            Map<Double, Double> row = new LinkedHashMap<>();
            for (double f : sorted) {
                int budget = Budget.fromFraction(f, train.size());
                SelectionContext own = ctx.withFeaturesOnly();
                long start = System.nanoTime();
                Selection s = CoresetMethods.byName(name).select(own, budget);
                double sec = (System.nanoTime() - start) / 1e9;
                if (s.size() != budget) {
                    throw new IllegalStateException(name + " selected " + s.size() + " examples for a budget of " + budget);
                }
                row.put(f, sec);
                progress.line(String.format(Locale.ROOT, "%s %s: %,d selected in %.2f s", name, ProtocolTable.percent(f),
                        budget, sec));
            }
            seconds.put(name, row);
        }

        PrintWriter out = spec.commandLine().getOut();
        out.print(table(seconds, sorted, train, ctx.trainingSeconds(), featureSeconds));
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("dataset", train.name());
            o.put("examples", train.size());
            o.put("model", ctx.model().name());
            o.put("selection_epochs", selection.selectionEpochs);
            o.put("balance", selection.balance);
            o.put("seed", selection.seed);
            o.put("threads", ComputeContext.current().threads());
            o.put("pretrain_seconds", ctx.trainingSeconds());
            o.put("features_seconds", featureSeconds);
            Map<String, Object> byMethod = new LinkedHashMap<>();
            seconds.forEach((m, row) -> {
                Map<String, Object> r = new LinkedHashMap<>();
                row.forEach((f, s) -> r.put(Double.toString(f), s));
                byMethod.put(m, r);
            });
            o.put("seconds", byMethod);
            out.println(Json.write(o));
        }
        out.flush();
        return 0;
    }

    /** A Markdown table: one row per method, seconds per fraction (budget in brackets), with what was measured above it. */
    static String table(Map<String, Map<Double, Double>> seconds, List<Double> fractions, Dataset train,
                        double pretrainSeconds, double featureSeconds) {
        StringBuilder sb = new StringBuilder();
        int threads = ComputeContext.current().threads();
        sb.append(String.format(Locale.ROOT, "Selection seconds on %s (%,d examples), %d thread%s.%n", train.name(),
                train.size(), threads, threads == 1 ? "" : "s"));
        sb.append(String.format(Locale.ROOT, "Not counted: the selection model's training (%.1f s) and its embeddings and "
                + "softmax outputs (%.1f s), done once and shared.%nEverything else a method computes is counted, each "
                + "(method, fraction) on its own.%n%n", pretrainSeconds, featureSeconds));
        sb.append("| method |");
        for (double f : fractions) {
            sb.append(String.format(Locale.ROOT, " %s (%,d) |", ProtocolTable.percent(f), Budget.fromFraction(f, train.size())));
        }
        sb.append("\n|---|");
        sb.append("---:|".repeat(fractions.size())).append('\n');
        seconds.forEach((m, row) -> {
            sb.append("| ").append(m).append(" |");
            for (double f : fractions) {
                double s = row.get(f);
                sb.append(' ').append(String.format(Locale.ROOT, s < 10 ? "%.2f" : "%.1f", s)).append(" |");
            }
            sb.append('\n');
        });
        return sb.toString();
    }
}
