package org.distill4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.data.DataSets;
import org.distill4j.data.Splits;
import org.distill4j.distill.ExpertConfig;
import org.distill4j.distill.ExpertTrajectories;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
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
 * {@code distill4j experts}: trains the expert trajectories of trajectory matching (MTT), with the
 * defaults of the reference's {@code buffer.py}; resumable (finished experts are skipped, an interrupted one goes on from
 * its last saved epoch when it trains without momentum, as by default).
 */
@Command(name = "experts", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Train expert trajectories for trajectory matching (distill --method mtt): parameters after every epoch; resumable.")
public final class ExpertsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ForceOption force;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME", description = "mnist, fashion-mnist, cifar10, or a path.")
    String dataset;

    @Option(names = "--model", defaultValue = "convnet", paramLabel = "NAME", description = "mlp, lenet, convnet, alexcifarnet, resnet18.")
    String model;

    @Option(names = "--experts", defaultValue = "100", paramLabel = "N", description = "Experts to train (reference num_experts).")
    int experts;

    @Option(names = "--epochs", defaultValue = "50", paramLabel = "N", description = "Epochs per expert (reference train_epochs).")
    int epochs;

    @Option(names = "--lr-teacher", defaultValue = "0.01", paramLabel = "RATE", description = "SGD rate.")
    double lr;

    @Option(names = "--mom", defaultValue = "0", paramLabel = "M", description = "SGD momentum.")
    double momentum;

    @Option(names = "--l2", defaultValue = "0", paramLabel = "WD", description = "SGD weight decay.")
    double l2;

    @Option(names = "--batch-train", defaultValue = "256", paramLabel = "N", description = "Batch size.")
    int batchTrain;

    @Option(names = "--decay", description = "A tenth of the rate after epoch epochs/2 + 1.")
    boolean decay;

    /** The augmentation of every training batch, one draw per image (buffer.py's DiffAugment with seed -1). */
    @Mixin
    DsaOptions dsa;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Seed of the initialisations, shuffles and augmentations.")
    long seed;

    @Option(names = "--out", defaultValue = "experts", paramLabel = "DIR", description = "The expert folder (resumed when it holds the same settings).")
    Path out;

    @Option(names = "--json", description = "Also print a summary as one JSON object, the last line of stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        ExpertConfig cfg = ExpertConfig.builder().experts(experts).epochs(epochs).lr(lr).momentum(momentum).weightDecay(l2)
                .batchTrain(batchTrain).decay(decay).seed(seed).build();
        Models.checkName(model);
        DataSets.checkNameOrPath(dataset);
        Output target = force.check(out, OutputKinds.EXPERTS);
        Augmentation aug = dsa.augmentation(false);
        String augName = dsa.recordedName();
        String note = common.apply();
        Splits data = DataSets.loadNormalized(dataset, common.data, null);
        Model m = Models.byName(model, data.train().imageShape(), data.train().classes());
        Models.checkInput(m, data.train().imageShape());
        if (note != null) {
            progress.line(note);
        }
        progress.line(String.format(Locale.ROOT, "training %s of %s on %s, %s each%s", Progress.count(experts, "expert"), m.name(),
                data.train().name(), Progress.count(epochs, "epoch"), target.state() == Output.State.OURS ? " (resuming " + out + ")" : ""));
        long start = System.nanoTime();
        int[] done = {0};
        ExpertTrajectories.Summary s = ExpertTrajectories.train(m, data, dataset, cfg, aug, augName, out, force.force,
                new ExpertTrajectories.Listener() {
                    @Override
                    public void onSkipped(int expert, int n) {
                        progress.line("expert " + (expert + 1) + "/" + n + " already done");
                    }

                    @Override
                    public void onResumed(int expert, int n, int epoch) {
                        progress.line("expert " + (expert + 1) + "/" + n + ": interrupted after epoch " + epoch + ", going on from there");
                    }

                    @Override
                    public void onEpoch(int expert, int n, int epoch, int total, double loss, double acc, double seconds) {
                        done[0]++;
                        double elapsed = (System.nanoTime() - start) / 1e9;
                        // epochs left in this call: the rest of this expert and every later one
                        int left = (total - epoch) + (n - expert - 1) * total;
                        progress.line(String.format(Locale.ROOT, "expert %d/%d epoch %d/%d  loss %.4f  train acc %.4f  %.1f s  ETA %s",
                                expert + 1, n, epoch, total, loss, acc, seconds, Progress.duration(elapsed / done[0] * left)));
                    }

                    @Override
                    public void onExpertDone(int expert, int n, double testAccuracy) {
                        progress.line(String.format(Locale.ROOT, "expert %d/%d done, test accuracy %.4f", expert + 1, n, testAccuracy));
                    }
                });
        stdout.printf(Locale.ROOT, "%s in %s: %d trained now, %d already there%s%n", Progress.count(s.experts(), "expert"), out,
                s.trained(), s.skipped(), Summaries.created(target));
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("out", out.toString());
            o.put("settings", cfg.toMap());
            o.put("trained", s.trained());
            o.put("skipped", s.skipped());
            o.put("test_accuracy", s.testAccuracy());
            stdout.println(Json.write(o));
        }
        stdout.flush();
        return 0;
    }
}
