package org.distill4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.data.DataSets;
import org.distill4j.data.Normalization;
import org.distill4j.data.Splits;
import org.distill4j.data.WeightedSubset;
import org.distill4j.distill.BaselineComparison;
import org.distill4j.distill.DistillConfig;
import org.distill4j.distill.DistilledSet;
import org.distill4j.io.Json;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.options.CommonOptions;
import org.distill4j.options.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j distill-baselines}: the paper's baselines under the same replayed schedule.
 * With {@code --from DIR} the learned rates, step order, init mode and shape come from a distilled
 * folder, and the distilled set is the table's first row; otherwise every step uses {@code --lr}.
 */
@Command(name = "distill-baselines", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Random real, class-mean and k-means images (and a selection) replayed like a distilled set.")
public final class DistillBaselinesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME",
            description = "mnist, fashion-mnist, cifar10, or a path (ignored with --from).")
    String dataset;

    @Option(names = "--model", defaultValue = "lenet", paramLabel = "NAME", description = "The model replayed on (ignored with --from).")
    String model;

    @Option(names = "--init", defaultValue = "random", paramLabel = "fixed|random", description = "fixed or random (ignored with --from).")
    String init;

    @Option(names = "--ipc", defaultValue = "1", paramLabel = "N", description = "Images per class per step (ignored with --from).")
    int ipc;

    @Option(names = "--steps", defaultValue = "10", paramLabel = "N", description = "Distinct step tensors S (ignored with --from).")
    int steps;

    @Option(names = "--epochs", defaultValue = "3", paramLabel = "N", description = "Passes over the S steps (ignored with --from).")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.02", paramLabel = "RATE", description = "Rate of every step when no --from is given.")
    double lr;

    @Option(names = "--from", paramLabel = "DIR", description = "Take rates, shape and settings from this distilled folder (default: none, every step uses --lr).")
    Path from;

    @Option(names = "--selection", paramLabel = "FILE", description = "Also replay these selected training examples (index[,label,weight,score] CSV; default: none).")
    Path selection;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED",
            description = "Seed of the baselines and initialisations (with --from: the distilled set's, when it has one).")
    long seed;

    @Option(names = "--models", defaultValue = "20", paramLabel = "N", description = "Random initialisations to evaluate on (fixed init: the kept one).")
    int models;

    @Option(names = "--kmeans-iterations", defaultValue = "30", paramLabel = "N", description = "Lloyd iterations of the k-means baseline.")
    int kmeansIterations;

    @Option(names = "--train-epochs", defaultValue = "50", paramLabel = "N", description = "Epochs of ordinary SGD training on each set's images.")
    int trainEpochs;

    @Option(names = "--json", description = "Also print the table as one JSON object, the last line of stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        DistilledSet distilled = null;
        BaselineComparison.Schedule schedule;
        Normalization norm = null;
        if (from != null) {
            distilled = DistilledSet.read(from);
            distilled.checkOrigin(from);
            dataset = distilled.dataset().get();
            model = distilled.model().get();
            schedule = BaselineComparison.Schedule.of(distilled, seed);
        } else {
            if (!init.equals("fixed") && !init.equals("random")) {
                throw new IllegalArgumentException("--init must be fixed or random, got '" + init + "'");
            }
            if (ipc < 1 || steps < 1 || epochs < 1 || !(lr > 0)) {
                throw new IllegalArgumentException("--ipc, --steps, --epochs and --lr must be positive");
            }
            schedule = BaselineComparison.Schedule.fixedRate(ipc, steps, epochs, lr, DistillConfig.Init.of(init), seed);
        }
        // Read before the data set is loaded, so a bad file is one line and costs no time.
        WeightedSubset chosen = selection == null ? null : WeightedSubset.readCsv(selection);
        Models.checkName(model);
        DataSets.checkNameOrPath(dataset);
        if (distilled != null) {
            norm = distilled.requiredNormalization();
        }
        // The device is probed once the input is known to be good, so that bad input gets exactly one line.
        String note = common.apply();
        if (note != null) {
            progress.line(note);
        }
        Splits data = DataSets.loadNormalized(dataset, common.data, norm);
        Model m = Models.byName(model, data.train().imageShape(), data.train().classes());
        Map<String, int[]> selections = new LinkedHashMap<>();
        if (selection != null) {
            selections.put("selection " + selection.getFileName(), chosen.indices());
        }
        BaselineComparison.Config cfg = new BaselineComparison.Config(models, trainEpochs, kmeansIterations);
        List<BaselineComparison.Row> rows = BaselineComparison.run(m, data.train(), data.test(), schedule, cfg, distilled,
                selections, (method, networks) -> progress.line("evaluating " + method + " on " + Progress.count(networks, "network")));
        int networks = BaselineComparison.inits(m, schedule, cfg).length;
        out.printf("%s on %s, %d x %d images, T = %d, rates %s%n", m.name(), data.train().name(), schedule.steps(),
                schedule.ipc() * data.train().classes(), schedule.lrs().length,
                from != null ? "learned (" + from + ")" : "fixed " + lr);
        out.print(Figures.table(rows, Figures.initNote(schedule.fixedInit(), networks)));
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", m.name());
            o.put("dataset", data.train().name());
            o.put("lrs", distilled != null ? distilled.storedLrs() : schedule.lrs());
            o.put("rows", rows.stream().map(BaselineComparison.Row::toMap).toList());
            out.println(Json.write(o));
        }
        out.flush();
        return 0;
    }
}
