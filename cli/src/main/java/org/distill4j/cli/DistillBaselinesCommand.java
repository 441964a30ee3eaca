package org.distill4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.data.DataSets;
import org.distill4j.data.WeightedSubset;
import org.distill4j.distill.Baselines;
import org.distill4j.distill.DistilledEvaluation;
import org.distill4j.distill.DistilledSet;
import org.distill4j.io.Json;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Generator;
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
        double[] lrs;
        boolean fixed;
        if (from != null) {
            distilled = DistilledSet.read(from);
            Map<String, Object> meta = distilled.meta();
            if (!(meta.get("dataset") instanceof String d) || !(meta.get("model") instanceof String mn)) {
                throw new IllegalArgumentException(from.resolve("meta.json") + ": needs 'dataset' and 'model'");
            }
            dataset = d;
            model = mn;
            ipc = ((Number) meta.get("ipc")).intValue();
            steps = distilled.steps();
            epochs = distilled.epochs();
            fixed = "fixed".equals(meta.get("init"));
            seed = meta.get("seed") instanceof Number n ? n.longValue() : seed;
            lrs = distilled.lrs();
        } else {
            if (!init.equals("fixed") && !init.equals("random")) {
                throw new IllegalArgumentException("--init must be fixed or random, got '" + init + "'");
            }
            if (ipc < 1 || steps < 1 || epochs < 1 || !(lr > 0)) {
                throw new IllegalArgumentException("--ipc, --steps, --epochs and --lr must be positive");
            }
            fixed = init.equals("fixed");
            lrs = new double[steps * epochs];
            Arrays.fill(lrs, lr);
        }
        // Read before the data set is loaded, so a bad file is one line and costs no time.
        WeightedSubset chosen = selection == null ? null : WeightedSubset.readCsv(selection);
        Models.checkName(model);
        DataSets.checkNameOrPath(dataset);
        // The device is probed once the input is known to be good, so that bad input gets exactly one line.
        String note = common.apply();
        if (note != null) {
            progress.line(note);
        }
        DistillData data = DistillData.load(dataset, common.data,
                distilled == null ? null : DistillData.normOf(distilled.meta()));
        Model m = Models.byName(model, data.train.imageShape(), data.train.classes());
        DistillData.checkModel(m, data.train);
        Params[] inits = DistilledEvaluation.evaluationInits(m, fixed, seed, fixed ? 1 : models, DType.F32);
        Generator gen = new Generator(seed).fork(20);
        Map<String, DistilledSet> sets = new LinkedHashMap<>();
        if (distilled != null) {
            sets.put("dataset distillation", distilled);
        }
        sets.put("random real images", Baselines.randomReal(data.train, ipc, steps, lrs, gen.fork(0)));
        sets.put("class-mean images", Baselines.classMeans(data.train, ipc, steps, lrs));
        sets.put("k-means centroids", Baselines.kMeans(data.train, ipc, steps, lrs, gen.fork(1), kmeansIterations));
        if (selection != null) {
            int[] idx = chosen.indices();
            sets.put("selection " + selection.getFileName(), Baselines.fromIndices("selection", data.train, idx, ipc, steps, lrs));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, DistilledSet> e : sets.entrySet()) {
            progress.line("evaluating " + e.getKey() + " on " + Progress.count(inits.length, "network"));
            rows.add(DistillData.evaluate(e.getKey(), m, e.getValue(), data.test, inits, trainEpochs, seed));
        }
        out.printf("%s on %s, %d x %d images, T = %d, rates %s%n", m.name(), data.train.name(), steps,
                ipc * data.train.classes(), lrs.length, from != null ? "learned (" + from + ")" : "fixed " + lr);
        out.print(DistillData.table(rows, fixed ? "fixed init" : Progress.count(inits.length, "random init")));
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", m.name());
            o.put("dataset", data.train.name());
            o.put("lrs", distilled != null ? distilled.storedLrs() : lrs);
            o.put("rows", rows);
            out.println(Json.write(o));
        }
        out.flush();
        return 0;
    }
}
