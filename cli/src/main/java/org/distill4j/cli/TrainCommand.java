package org.distill4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.coreset.adaptive.AdaptiveMethod;
import org.distill4j.coreset.adaptive.AdaptiveSettings;
import org.distill4j.coreset.adaptive.AdaptiveTraining;
import org.distill4j.coreset.adaptive.InfoBatch;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.data.Splits;
import org.distill4j.data.WeightedSubset;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.options.CommonOptions;
import org.distill4j.options.Progress;
import org.distill4j.options.TrainProgress;
import org.distill4j.train.Checkpoint;
import org.distill4j.train.EpochStats;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainListener;
import org.distill4j.train.TrainResult;
import org.distill4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distill4j train}: train a model on a data set or a weighted subset, report test accuracy. */
@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Train a model on a data set (or a selected subset) and report its test accuracy.")
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ForceOption force;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME", description = "mnist, fashion-mnist, cifar10, or a path.")
    String dataset;

    @Option(names = "--model", defaultValue = "lenet", paramLabel = "NAME", description = "mlp, lenet, convnet, alexcifarnet, resnet18.")
    String model;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N", description = "Passes over the training data.")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.01", paramLabel = "RATE", description = "Learning rate (at the start, with --schedule).")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "F", description = "SGD momentum (sgd only).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "F", description = "L2 weight decay.")
    double weightDecay;

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "NAME", description = "sgd or adam.")
    String optimizer;

    @Option(names = "--nesterov", description = "Nesterov momentum (sgd only).")
    boolean nesterov;

    @Option(names = "--schedule", defaultValue = "none", paramLabel = "NAME", description = "none, step, multistep, cosine (per epoch).")
    String schedule;

    @Option(names = "--batch-size", defaultValue = "128", paramLabel = "N", description = "Examples per training step.")
    int batchSize;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Seed of the initialisation, shuffling and dropout.")
    long seed;

    @Option(names = "--subset", paramLabel = "FILE", description = "Train only on this selection (index,label,weight,score CSV; default: the whole training set).")
    Path subset;

    @Option(names = "--save", paramLabel = "DIR", description = "Save the trained parameters as a checkpoint folder (default: not saved).")
    Path save;

    @Option(names = "--json", description = "Also print the figures as one JSON object, the last line of stdout.")
    boolean json;

    @Mixin
    PlanOptions plan;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        Models.checkName(model);
        DataSets.checkNameOrPath(dataset);
        AdaptiveSettings adaptive = plan.check(subset != null, epochs);
        WeightedSubset sub = subset == null ? null : WeightedSubset.readCsv(subset);
        Output checkpoint = save == null ? null : force.check(save, OutputKinds.CHECKPOINT);
        String note = common.apply();
        if (note != null) {
            progress.line(note);
        }
        Splits data = DataSets.loadNormalized(dataset, common.data, null);
        Dataset train = data.train();
        Dataset test = data.test();
        if (sub != null) {
            sub.checkAgainst(train);
        }
        Model m = Models.byName(model, train.imageShape(), train.classes());
        TrainConfig cfg = new TrainConfig(optimizer, lr, momentum, weightDecay, nesterov, epochs, batchSize, schedule, seed, false);
        AdaptiveTraining.Prepared prepared = adaptive == null ? null : AdaptiveTraining.prepare(m, train, adaptive, cfg);
        String how = sub != null ? " (subset " + subset.getFileName() + ")"
                : adaptive != null && adaptive.method() == AdaptiveMethod.FULL ? String.format(Locale.ROOT,
                        " (%,d held out for validation; full: every epoch on all of them)", prepared.split().validation().size())
                : adaptive != null ? String.format(Locale.ROOT, " (%,d held out for validation; %s: %s of them, re-selected %s)",
                        prepared.split().validation().size(), adaptive.method().cliName(), BenchReport.percent(adaptive.fraction()),
                        adaptive.method() == AdaptiveMethod.RANDOM_ONLINE ? "every epoch"
                                : "every " + Progress.count(adaptive.selectEvery(), "epoch"))
                : plan.dynamic != null ? " (" + plan.dynamic + ")" : "";
        progress.line(String.format(Locale.ROOT, "training %s (%,d parameters) on %s: %s%s, %s, batch %d",
                m.name(), m.parameterCount(), train.name(), Progress.count(sub != null ? sub.size()
                        : prepared != null ? prepared.split().train().size() : train.size(), "example"),
                how, Progress.count(epochs, "epoch"), batchSize));
        long start = System.nanoTime();
        // CPU seconds of the training passes (selections inside them, test passes not): steadier than wall time on a busy machine.
        double[] cpu = {CpuClock.processSeconds(), 0};
        TrainListener listener = new TrainListener() {
            @Override
            public void onBatch(int epoch, int batch, int batches, double loss, double acc, double ips) {
                double elapsed = (System.nanoTime() - start) / 1e9;
                double fraction = ((epoch - 1) + (double) batch / batches) / epochs;
                progress.bar("epoch " + epoch + "/" + epochs, batch, batches,
                        String.format(Locale.ROOT, "loss %.4f acc %.3f %,.0f img/s", loss, acc, ips),
                        elapsed / fraction - elapsed);
            }

            @Override
            public void onTestStart(int epoch) {
                cpu[1] += CpuClock.processSeconds() - cpu[0];
                progress.status("epoch " + epoch + "/" + epochs + ": testing ...");
            }

            @Override
            public void onEpoch(EpochStats s) {
                if (test == null) {
                    cpu[1] += CpuClock.processSeconds() - cpu[0];
                }
                cpu[0] = CpuClock.processSeconds();
                progress.line(TrainProgress.line("epoch " + s.epoch() + "/" + epochs, s)
                        + String.format(Locale.ROOT, "  %,.0f img/s", s.imagesPerSecond()));
            }
        };
        AdaptiveTraining.Result ar = null;
        InfoBatch ib = null;
        TrainResult r;
        if (adaptive != null) {
            ar = prepared.run(test, listener);
            r = ar.training();
            progress.line(PlanOptions.summary(ar));
        } else if (plan.dynamic != null) {
            ib = plan.infoBatch(train.size(), epochs, seed);
            r = Trainer.train(m, train, test, cfg, listener, ib);
            progress.line(ib.summary());
        } else {
            r = Trainer.train(m, train, sub, test, cfg, listener);
        }
        if (save != null) {
            Checkpoint.save(checkpoint, m, r.params(), null, epochs);
            progress.line("checkpoint saved to " + save + Summaries.created(checkpoint));
        }
        out.printf(Locale.ROOT, "test accuracy %.4f (best %.4f at epoch %d), %.1f s training, %,.0f images/s%n",
                r.finalTestAccuracy(), r.bestTestAccuracy(), r.bestEpoch(), r.trainSeconds(), r.imagesPerSecond());
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", m.name());
            o.put("dataset", train.name());
            o.put("epochs", epochs);
            o.putAll(r.toMap());
            o.put("train_cpu_seconds", cpu[1]);
            if (ar != null) {
                o.put("adaptive", ar.toMap());
            }
            if (ib != null) {
                o.put("dynamic", ib.toMap(plan.dynamic));
            }
            out.println(Json.write(o));
        }
        out.flush();
        return 0;
    }
}
