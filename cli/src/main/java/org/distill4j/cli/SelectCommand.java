package org.distill4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.coreset.Budget;
import org.distill4j.coreset.CoresetMethod;
import org.distill4j.coreset.CoresetMethods;
import org.distill4j.coreset.Objective;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.coreset.SelectionOptions;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.options.CommonOptions;
import org.distill4j.options.Progress;
import org.distill4j.options.SelectionModelOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distill4j select}: choose a coreset of a training set and write it as a selection file. */
@Command(name = "select", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Select a coreset: train a selection model briefly, run a coreset method, write index,label,weight,score rows "
                + "after a '# distill4j selection {...}' line that records the method, its settings and the data set.")
public final class SelectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    SelectionModelOptions selection;

    @Mixin
    ForceOption force;

    @Mixin
    SelectionMethodOptions methodOptions;

    @Mixin
    SelectionEngineOptions engine;

    @Option(names = "--method", required = true, paramLabel = "NAME", description = "A coreset method: ${COMPLETION-CANDIDATES}.",
            completionCandidates = MethodNames.class)
    String method;

    static final class Size {
        @Option(names = "--fraction", required = true, paramLabel = "F", description = "Fraction of the training set to keep, in (0, 1].")
        Double fraction;

        @Option(names = "--budget", required = true, paramLabel = "N", description = "Number of examples to keep.")
        Integer budget;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Size size;

    @Option(names = "--out", defaultValue = "selection.csv", paramLabel = "FILE", description = "Where to write the selection.")
    Path out;

    @Option(names = "--json", description = "Also print the figures as one JSON object, the last line of stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        // Arguments first, so that a typo fails at once and not after loading and training.
        SelectionOptions options = methodOptions.options();
        CoresetMethod m = CoresetMethods.byName(method, options);
        if (size.fraction != null) {
            Budget.fromFraction(size.fraction, 1);
        }
        selection.check();
        engine.check(method);
        if (engine.spark()) {
            return new SparkSelect(this, stdout, progress).run(engine.sparkEngine(method));
        }
        Output target = force.check(out, OutputKinds.SELECTION_CSV);
        String note = common.apply();
        Dataset train = engine.fromInput() ? SelectionEngineOptions.loadFeatures(selection.dataset, common.data)
                : DataSets.loadNormalized(selection.dataset, common.data, null).train();
        int budget = size.fraction != null ? Budget.fromFraction(size.fraction, train.size()) : size.budget;
        if (budget < 1 || budget > train.size()) {
            throw new IllegalArgumentException("--budget " + budget + " must be between 1 and the training set's size ("
                    + train.size() + " examples)");
        }
        // Shown once the input is known to be good, so that bad input gets exactly one line.
        if (note != null) {
            progress.line(note);
        }
        SelectionContext ctx;
        if (engine.fromInput()) {
            m = SelectionEngineOptions.featureMethod(method, options);
            ctx = SelectionEngineOptions.context(train, selection.seed, selection.balance);
        } else {
            ctx = selection.train(train, progress, CoresetMethods.needsDynamics(method, options), false);
        }
        progress.line(String.format(Locale.ROOT, "selecting %s by %s%s", Progress.count(budget, "example"), m.name(),
                selection.balance ? " (balanced)" : ""));
        long start = System.nanoTime();
        Selection s = m.select(ctx, budget).withSettings(recipe(budget));
        double selectionSeconds = (System.nanoTime() - start) / 1e9;
        Objective.Value objective = json && m instanceof Objective o ? o.objective(ctx, s.indices()) : null;
        s.writeCsv(target, train);
        report(stdout, s, train, budget, ctx.trainingSeconds(), selectionSeconds, target, objective);
        stdout.flush();
        return 0;
    }

    /** What the selection file records beside the method's own settings: the budget and the selection model's recipe. */
    private Map<String, Object> recipe(int budget) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("dataset", selection.dataset);
        r.put("budget", budget);
        if (size.fraction != null) {
            r.put("fraction", size.fraction);
        }
        r.put("balance", selection.balance);
        r.put("seed", selection.seed);
        if (engine.fromInput()) {
            r.put("features", "input");
            return r;
        }
        r.put("model", selection.model);
        r.put("selection_epochs", selection.selectionEpochs);
        r.put("batch_size", selection.batchSize);
        r.put("lr", selection.lr);
        r.put("momentum", selection.momentum);
        return r;
    }

    private void report(PrintWriter stdout, Selection s, Dataset train, int budget, double pretrainSeconds,
                        double selectionSeconds, Output target, Objective.Value objective) {
        int[] perClass = s.perClass(train);
        stdout.printf(Locale.ROOT, "selected %,d of %,d examples by %s%s -> %s%s%n", s.size(), train.size(), s.method(),
                selection.balance ? " (balanced)" : "", out, Summaries.created(target));
        StringBuilder classes = new StringBuilder("per class:");
        for (int c = 0; c < perClass.length; c++) {
            classes.append(' ').append(c).append(':').append(perClass[c]);
        }
        stdout.println(classes);
        if (s.settings().get("note") instanceof String note) {
            stdout.println("note: " + note);
        }
        stdout.printf(Locale.ROOT, "seconds: pre-training %.1f, selection %.2f%n", pretrainSeconds, selectionSeconds);
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("method", s.method());
            o.put("dataset", train.name());
            o.put("features", engine.fromInput() ? "input" : "model");
            if (!engine.fromInput()) {
                o.put("model", selection.model);
                o.put("selection_epochs", selection.selectionEpochs);
            }
            o.put("balance", selection.balance);
            o.put("seed", selection.seed);
            o.put("budget", budget);
            o.put("selected", s.size());
            o.put("examples", train.size());
            o.put("per_class", java.util.Arrays.stream(perClass).boxed().toList());
            o.put("pretrain_seconds", pretrainSeconds);
            o.put("selection_seconds", selectionSeconds);
            o.put("out", out.toString());
            if (objective != null) {
                o.put("objective", objective.toMap());
            }
            stdout.println(Json.write(o));
        }
    }

    /** The method names for --help. */
    static final class MethodNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return CoresetMethods.NAMES.iterator();
        }
    }
}
