package org.distill4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.data.Splits;
import org.distill4j.data.WeightedSubset;
import org.distill4j.io.Json;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.train.MultiSeedTraining;
import org.distill4j.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distill4j evaluate}: how well fresh models learn from a selection. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Train fresh models on a selection (weighted subset) from several seeds; report test accuracy, mean and std.")
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME", description = "mnist, fashion-mnist, cifar10, or a path.")
    String dataset;

    @Option(names = "--subset", required = true, paramLabel = "FILE", description = "A selection file (index,label,weight,score).")
    Path subset;

    @Option(names = "--model", defaultValue = "lenet", paramLabel = "NAME", description = "mlp, lenet, convnet, alexcifarnet, resnet18.")
    String model;

    @Option(names = "--epochs", defaultValue = "200", paramLabel = "N", description = "Epochs of training on the selection, per seed.")
    int epochs;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "N", description = "Number of models trained (seeds --seed, --seed + 1, ...).")
    int seeds;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "The first seed.")
    long seed;

    @Option(names = "--batch-size", defaultValue = "128", paramLabel = "N", description = "Examples per training step.")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.01", paramLabel = "RATE", description = "Learning rate (SGD).")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "F", description = "SGD momentum.")
    double momentum;

    @Option(names = "--json", description = "Also print the figures as one JSON object, the last line of stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        }
        WeightedSubset sub = WeightedSubset.readCsv(subset);
        Models.checkName(model);
        DataSets.checkNameOrPath(dataset);
        String note = common.apply();
        Splits data = DataSets.loadNormalized(dataset, common.data, null);
        Dataset train = data.train();
        sub.checkAgainst(train);
        // Shown once the input is known to be good, so that bad input gets exactly one line.
        if (note != null) {
            progress.line(note);
        }
        Dataset test = data.test();
        Model m = Models.byName(model, train.imageShape(), train.classes());
        TrainConfig cfg = TrainConfig.sgd(epochs, batchSize, lr, momentum, seed);
        progress.line(String.format(Locale.ROOT, "training %s on %s of %s (%s), %s",
                Progress.count(seeds, m.name() + " model"), Progress.count(sub.size(), "selected example"), train.name(),
                subset.getFileName(), Progress.count(epochs, "epoch")));
        MultiSeedTraining.Result r = MultiSeedTraining.run(m, train, sub, test, new MultiSeedTraining.Config(cfg, seeds),
                (run, s) -> new TrainProgress(progress, "seed " + s + " (" + (run + 1) + "/" + seeds + ")", epochs,
                        Math.max(1, epochs / 10)));
        for (MultiSeedTraining.SeedRun run : r.runs()) {
            out.printf(Locale.ROOT, "seed %d: final test accuracy %.4f, best %.4f%n", run.seed(), run.finalAccuracy(),
                    run.bestAccuracy());
        }
        out.printf(Locale.ROOT, "final test accuracy %.4f +- %s, best %.4f +- %s (mean +- sample std over %s%s), %.1f s%n",
                r.finalAccuracy().mean(), Figures.std("%.4f", r.finalAccuracy().sampleStd()), r.bestAccuracy().mean(),
                Figures.std("%.4f", r.bestAccuracy().sampleStd()), Progress.count(seeds, "seed"),
                seeds == 1 ? "; no std from one" : "", r.seconds());
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("dataset", train.name());
            o.put("subset", subset.toString());
            o.put("examples", sub.size());
            o.put("model", m.name());
            o.put("epochs", epochs);
            o.put("seeds", seeds);
            o.putAll(Figures.json(r));
            out.println(Json.write(o));
        }
        out.flush();
        return 0;
    }
}
