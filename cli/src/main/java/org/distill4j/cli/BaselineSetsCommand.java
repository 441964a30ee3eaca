package org.distill4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.data.DataSets;
import org.distill4j.data.Splits;
import org.distill4j.distill.DistilledSet;
import org.distill4j.distill.RealImageSets;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.options.CommonOptions;
import org.distill4j.options.Progress;
import org.distill4j.train.EpochStats;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j baseline-sets}: random-real and herding subsets of N images per class, written
 * as distilled-set folders ({@code OUT/random-ipc10}, {@code OUT/herding-ipc10}, ...) so that
 * {@code evaluate-distilled --protocol dc} evaluates them as the DC/DSA/DM papers evaluate their
 * coreset baselines.
 */
@Command(name = "baseline-sets", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Random real and herding subsets of N images per class as distilled-set folders (for evaluate-distilled --protocol dc).")
public final class BaselineSetsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ForceOption force;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME", description = "mnist, fashion-mnist, cifar10, or a path.")
    String dataset;

    @Option(names = "--model", defaultValue = "convnet", paramLabel = "NAME",
            description = "The model the sets are evaluated on (meta.json) and whose embedding herding runs in.")
    String model;

    @Option(names = "--methods", defaultValue = "random,herding", split = ",", paramLabel = "LIST", description = "random, herding or both.")
    List<String> methods;

    @Option(names = "--ipc", defaultValue = "1,10,50", split = ",", paramLabel = "LIST", description = "Images per class, one set each.")
    List<Integer> ipcs;

    @Option(names = "--feature-epochs", defaultValue = "1", paramLabel = "N",
            description = "Herding: epochs of training the model on the whole training set before taking its embeddings.")
    int featureEpochs;

    @Option(names = "--feature-lr", defaultValue = "0.01", paramLabel = "RATE", description = "Herding: SGD rate of that training (momentum 0.9).")
    double featureLr;

    @Option(names = "--feature-batch", defaultValue = "256", paramLabel = "N", description = "Herding: batch size of that training.")
    int featureBatch;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Seed of the random order and of the feature model.")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to hold one set folder per method and size (METHOD-ipcN).")
    Path out;

    @Option(names = "--json", description = "Also print a summary as one JSON object, the last line of stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        List<RealImageSets.Kind> kinds = new ArrayList<>();
        for (String m : new LinkedHashSet<>(methods)) {
            kinds.add(RealImageSets.Kind.of(m));
        }
        List<Integer> sizes = new ArrayList<>(new LinkedHashSet<>(ipcs));
        for (int n : sizes) {
            if (n < 1) {
                throw new IllegalArgumentException("--ipc must be >= 1, got " + n);
            }
        }
        if (featureEpochs < 0 || featureBatch < 1 || !(featureLr > 0)) {
            throw new IllegalArgumentException("--feature-epochs must be >= 0, --feature-batch >= 1 and --feature-lr > 0");
        }
        Models.checkName(model);
        DataSets.checkNameOrPath(dataset);
        Map<String, Output> targets = new LinkedHashMap<>();
        for (RealImageSets.Kind k : kinds) {
            for (int n : sizes) {
                String name = k.id() + "-ipc" + n;
                targets.put(name, force.check(out.resolve(name), OutputKinds.DISTILLED_SET));
            }
        }
        String note = common.apply();
        if (note != null) {
            progress.line(note);
        }
        Splits data = DataSets.loadNormalized(dataset, common.data, null);
        Model m = Models.byName(model, data.train().imageShape(), data.train().classes());
        Models.checkInput(m, data.train().imageShape());
        int most = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        int[] counts = data.train().classCounts();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] < most) {
                throw new IllegalArgumentException("--ipc " + most + " is more than class " + c + " of " + data.train().name()
                        + " holds (" + counts[c] + ")");
            }
        }
        Map<String, Object> results = new LinkedHashMap<>();
        for (RealImageSets.Kind k : kinds) {
            int[][] order;
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("method", k.id());
            settings.put("seed", seed);
            if (k == RealImageSets.Kind.RANDOM) {
                order = RealImageSets.randomOrder(data.train(), most, seed);
            } else {
                TrainConfig cfg = TrainConfig.sgd(featureEpochs, featureBatch, featureLr, 0.9, seed);
                progress.line(String.format(Locale.ROOT, "herding: training %s on %s for %s (SGD rate %s, momentum 0.9, batch %d) "
                        + "for its embedding", m.name(), data.train().name(), Progress.count(featureEpochs, "epoch"), featureLr, featureBatch));
                RealImageSets.Features f = RealImageSets.trainFeatureModel(m, data.train(), data.test(), cfg, new TrainListener() {
                    @Override
                    public void onEpoch(EpochStats stats) {
                        progress.line(String.format(Locale.ROOT, "feature model epoch %d: train loss %.4f", stats.epoch(), stats.loss()));
                    }
                });
                progress.line(String.format(Locale.ROOT, "feature model: test accuracy %.4f after %.0f s; herding %d per class",
                        f.testAccuracy(), f.trainSeconds(), most));
                order = RealImageSets.herdingOrder(f.embeddings(), data.train().labels(), data.train().classes(), most);
                Map<String, Object> features = new LinkedHashMap<>();
                features.put("model", m.name());
                features.put("space", "embedding (penultimate layer, evaluation mode)");
                features.put("training", Map.of("optimizer", "sgd", "lr", featureLr, "momentum", 0.9, "epochs", featureEpochs,
                        "batch", featureBatch, "seed", seed));
                features.put("test_accuracy", f.testAccuracy());
                settings.put("features", features);
                results.put("herding_feature_test_accuracy", f.testAccuracy());
            }
            for (int n : sizes) {
                String name = k.id() + "-ipc" + n;
                DistilledSet set = RealImageSets.set(k, data.train(), data.norm(), dataset, m.name(), order, n, seed, settings);
                Map<String, Object> meta = new LinkedHashMap<>(set.meta());
                meta.put("command", String.join(" ", spec.commandLine().getParseResult().originalArgs()));
                DistilledSet withCommand = new DistilledSet(set.images(), set.labels(), set.lrs(), meta);
                int classes = data.train().classes();
                targets.get(name).writeFolder(dir -> {
                    withCommand.writeTo(dir);
                    DistilledGrid.write(dir.resolve("grid.png"), DmRun.byClass(withCommand.images(), classes), data.norm());
                });
                progress.line("wrote " + out.resolve(name));
            }
        }
        stdout.printf(Locale.ROOT, "%d sets (%s; %s images per class) in %s%n", targets.size(), String.join(", ", methods),
                sizes, out);
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("out", out.toString());
            o.put("sets", new ArrayList<>(targets.keySet()));
            o.put("results", results);
            stdout.println(Json.write(o));
        }
        stdout.flush();
        return 0;
    }
}
