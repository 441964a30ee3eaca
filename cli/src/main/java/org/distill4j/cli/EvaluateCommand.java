package org.distill4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.coreset.protocol.Protocol;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.data.Splits;
import org.distill4j.data.WeightedSubset;
import org.distill4j.io.Json;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.options.CommonOptions;
import org.distill4j.options.Progress;
import org.distill4j.options.TrainProgress;
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

    @Option(names = "--protocol", defaultValue = "simple", paramLabel = "NAME",
            description = "The training recipe and seeding: simple (SGD, momentum 0.9, lr 0.01, constant; the models start from "
                    + "seeds --seed, --seed + 1, ..., the selection model's own when select used the same seed) or deepcore "
                    + "(DeepCore's: SGD, Nesterov momentum 0.9, weight decay 5e-4, lr 0.1, cosine; the models start from seeds "
                    + "drawn from --seed, independent of the selection model's). The flags below override its settings.")
    String protocol;

    @Option(names = "--batch-size", paramLabel = "N", description = "Examples per training step (default: the protocol's, 128).")
    Integer batchSize;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd or adam (default: the protocol's, sgd).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Learning rate, at the start with --schedule (default: the protocol's: 0.01 simple, 0.1 deepcore).")
    Double lr;

    @Option(names = "--momentum", paramLabel = "F", description = "SGD momentum (default: the protocol's, 0.9).")
    Double momentum;

    @Option(names = "--nesterov", negatable = true, paramLabel = "BOOL", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Nesterov momentum, or --no-nesterov plain momentum (default: the protocol's: no for simple, yes for deepcore).")
    Boolean nesterov;

    @Option(names = "--weight-decay", paramLabel = "F", description = "L2 weight decay (default: the protocol's: 0 simple, 5e-4 deepcore).")
    Double weightDecay;

    @Option(names = "--schedule", paramLabel = "NAME",
            description = "none, step, multistep, cosine, per epoch (default: the protocol's: none simple, cosine deepcore).")
    String schedule;

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
        Protocol p = Protocol.byName(protocol);
        TrainConfig base = p.training(epochs, batchSize == null ? p.batchSize() : batchSize, lr == null ? p.learningRate() : lr,
                momentum == null ? p.momentum() : momentum, p.evaluationSeed(seed));
        TrainConfig cfg = new TrainConfig(optimizer == null ? base.optimizer() : TrainConfig.OptimizerName.byName(optimizer), base.learningRate(), base.momentum(),
                weightDecay == null ? base.weightDecay() : weightDecay, nesterov == null ? base.nesterov() : nesterov,
                epochs, base.batchSize(), schedule == null ? base.schedule() : TrainConfig.ScheduleName.byName(schedule), base.seed(), false);
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
        progress.line(String.format(Locale.ROOT, "training %s on %s of %s (%s), %s, %s protocol: %s",
                Progress.count(seeds, m.name() + " model"), Progress.count(sub.size(), "selected example"), train.name(),
                subset.getFileName(), Progress.count(epochs, "epoch"), p.cliName(), recipe(cfg)));
        MultiSeedTraining.Result r = MultiSeedTraining.run(m, train, sub, test, new MultiSeedTraining.Config(cfg, seeds),
                (run, s) -> new TrainProgress(progress, "seed " + s + " (" + (run + 1) + "/" + seeds + ")", epochs,
                        Math.max(1, epochs / 10)));
        for (int i = 0; i < r.runs().size(); i++) {
            MultiSeedTraining.SeedRun run = r.runs().get(i);
            out.printf(Locale.ROOT, "seed %d%s: final test accuracy %.4f, best %.4f%n", seed + i,
                    run.seed() == seed + i ? "" : " (training seed " + run.seed() + ")", run.finalAccuracy(), run.bestAccuracy());
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
            o.put("protocol", p.cliName());
            o.putAll(cfg.recipe());
            o.put("training_seeds", r.runs().stream().map(MultiSeedTraining.SeedRun::seed).toList());
            o.putAll(r.toMap());
            out.println(Json.write(o));
        }
        out.flush();
        return 0;
    }

    /** "sgd lr 0.1, Nesterov momentum 0.9, weight decay 5e-4, cosine schedule, batch 128". */
    static String recipe(TrainConfig c) {
        StringBuilder b = new StringBuilder(c.optimizer().cliName()).append(" lr ").append(c.learningRate());
        if (c.optimizer() == TrainConfig.OptimizerName.SGD) {
            b.append(c.nesterov() ? ", Nesterov momentum " : ", momentum ").append(c.momentum());
        }
        if (c.weightDecay() != 0) {
            b.append(", weight decay ").append(c.weightDecay());
        }
        b.append(c.schedule() == TrainConfig.ScheduleName.NONE ? ", constant" : ", " + c.schedule().cliName() + " schedule");
        return b.append(", batch ").append(c.batchSize()).toString();
    }
}
