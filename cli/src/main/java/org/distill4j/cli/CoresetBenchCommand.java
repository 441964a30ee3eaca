package org.distill4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.coreset.Budget;
import org.distill4j.coreset.CoresetMethod;
import org.distill4j.coreset.CoresetMethods;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.data.Splits;
import org.distill4j.io.AtomicFile;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainResult;
import org.distill4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j coreset-bench}: the DeepCore protocol (Guo, Zhao, Bai, "DeepCore: A
 * Comprehensive Library for Coreset Selection in Deep Learning", 2022) end to end. For each seed:
 * train the selection model on the full set, then for each fraction and method select, train a
 * fresh model (same seed) on the selection, and test it. One row per (method, fraction, seed) goes
 * to {@code results.csv} as soon as it is done, so a rerun with the same settings resumes; the
 * Markdown table and the plot are rewritten after each seed.
 */
@Command(name = "coreset-bench", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Run coreset methods by the DeepCore protocol: results.csv (resumable), results.md table, accuracy.png plot.")
public final class CoresetBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ForceOption force;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME", description = "mnist, fashion-mnist, cifar10, or a path.")
    String dataset;

    @Option(names = "--model", defaultValue = "lenet", paramLabel = "NAME",
            description = "Selection and evaluation model: mlp, lenet, convnet, alexcifarnet, resnet18.")
    String model;

    @Option(names = "--methods", defaultValue = "all", split = ",", paramLabel = "NAME", description = "Method names, or all (those in this build).")
    List<String> methods;

    @Option(names = "--fractions", defaultValue = "0.001,0.01,0.1", split = ",", paramLabel = "F",
            description = "Fractions of the training set to select (full: 1 whatever they are).")
    List<Double> fractions;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "N", description = "Runs per (method, fraction): seeds --seed, --seed + 1, ...")
    int seeds;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "The first seed.")
    long seed;

    @Option(names = "--selection-epochs", defaultValue = "5", paramLabel = "N",
            description = "Epochs of training of the selection model, per seed (0: untrained).")
    int selectionEpochs;

    @Option(names = "--epochs", defaultValue = "200", paramLabel = "N", description = "Epochs of training on each selection.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", paramLabel = "N", description = "Examples per training step (both models).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.01", paramLabel = "RATE", description = "Learning rate of both models (SGD).")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "F", description = "SGD momentum of both models.")
    double momentum;

    @Option(names = "--balance", negatable = true, defaultValue = "true", fallbackValue = "true",
            showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Select inside each class in proportion to its size (the default: --balance); --no-balance selects "
                    + "from the whole set.")
    boolean balance;

    @Option(names = "--out", defaultValue = "report", paramLabel = "DIR",
            description = "The results folder; a rerun with the same settings resumes there.")
    Path out;

    @Option(names = "--jobs", defaultValue = "1", paramLabel = "N",
            description = "Runs (selection and training) at once, sharing one selection model per seed. With many cores, "
                    + "N jobs of --threads cores each get more done than one run on all of them: a 60-image subset's step is too short to share.")
    int jobs;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        List<String> names = methodNames(methods);
        for (double f : fractions) {
            Budget.fromFraction(f, 1);
        }
        if (seeds < 1 || epochs < 1 || selectionEpochs < 0 || jobs < 1) {
            throw new IllegalArgumentException("need --seeds >= 1, --epochs >= 1, --selection-epochs >= 0 and --jobs >= 1, got "
                    + seeds + ", " + epochs + ", " + selectionEpochs + ", " + jobs);
        }
        Models.checkName(model);
        DataSets.checkNameOrPath(dataset);
        Output target = force.check(out, OutputKinds.CORESET_BENCH);
        Map<String, Object> settings = settings();
        boolean resume = target.state() == Output.State.OURS && sameSettings(out.resolve("settings.json"), settings);
        if (resume) {
            BenchResults.open(out.resolve("results.csv"));
        }
        String note = common.apply();
        if (note != null) {
            progress.line(note);
        }
        Splits data = DataSets.loadNormalized(dataset, common.data, null);
        // The folder is made (or, with other settings and --force, made afresh) once the data has loaded.
        Output.FolderWriter fresh = dir -> AtomicFile.writeString(dir.resolve("settings.json"), Json.write(settings) + "\n");
        if (resume) {
            target.openFolder(fresh);
        } else {
            target.writeFolder(fresh);
        }
        BenchResults results = BenchResults.open(out.resolve("results.csv"));
        Interruption.leaves("the finished runs are in " + out.resolve("results.csv") + "; the same command resumes from them");
        Dataset train = data.train();
        Dataset test = data.test();
        Model net = Models.byName(model, train.imageShape(), train.classes());
        for (int r = 0; r < seeds; r++) {
            long s = seed + r;
            List<Object[]> pending = new ArrayList<>();
            for (double f : fractions) {
                for (String name : names) {
                    double fraction = name.equals("full") ? 1.0 : f;
                    boolean queued = pending.stream().anyMatch(p -> p[0].equals(name) && (double) p[1] == fraction);
                    if (!results.has(name, fraction, s) && !queued) {
                        pending.add(new Object[]{name, fraction});
                    }
                }
            }
            if (pending.isEmpty()) {
                continue;
            }
            progress.line(String.format(Locale.ROOT, "seed %d: training the selection model (%s, %s), %s to do",
                    s, net.name(), Progress.count(selectionEpochs, "epoch"), Progress.count(pending.size(), "run")));
            TrainConfig cfg = TrainConfig.sgd(selectionEpochs, batchSize, lr, momentum, s);
            SelectionContext ctx = SelectionContext.train(train, net, selectionEpochs, cfg, balance,
                    new TrainProgress(progress, "seed " + s + " selection model", selectionEpochs, 1));
            long t0 = System.nanoTime();
            ctx.embeddings();
            ctx.probabilities();
            progress.line(String.format(Locale.ROOT, "seed %d: embeddings and softmax outputs in %.1f s (not counted as selection)",
                    s, (System.nanoTime() - t0) / 1e9));
            List<Callable<Void>> runs = new ArrayList<>();
            for (Object[] p : pending) {
                runs.add(() -> {
                    runOne(ctx, (String) p[0], (double) p[1], s, net, train, test, cfg, results, progress);
                    return null;
                });
            }
            runAll(runs);
            writeReport(results);
        }
        String table = writeReport(results);
        stdout.print(table);
        stdout.printf("results in %s (results.csv, results.md, accuracy.png)%n", out);
        stdout.flush();
        return 0;
    }

    /** Selects, trains on the selection, tests, and records one row. */
    private void runOne(SelectionContext ctx, String name, double fraction, long s, Model net, Dataset train, Dataset test,
                        TrainConfig cfg, BenchResults results, Progress progress) throws IOException {
        CoresetMethod m = CoresetMethods.byName(name);
        int budget = Budget.fromFraction(fraction, train.size());
        long start = System.nanoTime();
        Selection sel = m.select(ctx, budget);
        double selectionSeconds = (System.nanoTime() - start) / 1e9;
        String label = String.format(Locale.ROOT, "seed %d %s %s", s, name, BenchReport.percent(fraction));
        progress.line(String.format(Locale.ROOT, "%s: %,d selected in %.2f s; training %s", label, sel.size(),
                selectionSeconds, Progress.count(epochs, "epoch")));
        TrainResult tr = Trainer.train(net, train, sel.toSubset(), test, cfg.withEpochs(epochs),
                new TrainProgress(progress, label, epochs, Math.max(1, epochs / 5)));
        synchronized (results) {
            results.add(new BenchResults.Row(name, fraction, s, budget, sel.size(), selectionSeconds, ctx.trainingSeconds(),
                    tr.finalTestAccuracy(), tr.bestTestAccuracy(), tr.trainSeconds()));
        }
        progress.line(String.format(Locale.ROOT, "%s: test accuracy %.4f (best %.4f)", label, tr.finalTestAccuracy(),
                tr.bestTestAccuracy()));
    }

    /**
     * Runs {@code runs} in order on this thread, or {@link #jobs} at a time. Each run is seeded by
     * itself, so its row does not depend on what runs beside it; only the seconds do. The first
     * failure stops the rest (rows already written stay, and a rerun resumes).
     */
    private void runAll(List<Callable<Void>> runs) throws Exception {
        if (jobs == 1) {
            for (Callable<Void> r : runs) {
                r.call();
            }
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "coreset-bench-job");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<Void>> done = new ArrayList<>();
            for (Callable<Void> r : runs) {
                done.add(pool.submit(org.distill4j.kernels.ComputeContext.current().wrap(r))); // the jobs compute in this command's context
            }
            for (java.util.concurrent.Future<Void> f : done) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    throw e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The methods to run: all of them, or the named ones (each must exist). */
    static List<String> methodNames(List<String> methods) {
        if (methods.size() == 1 && methods.get(0).equals("all")) {
            return CoresetMethods.NAMES;
        }
        for (String n : methods) {
            CoresetMethods.byName(n);
        }
        return List.copyOf(new java.util.LinkedHashSet<>(methods));
    }

    /** The settings that every row of one folder shares; {@code settings.json} holds them, marked as this kind. */
    private Map<String, Object> settings() {
        Map<String, Object> now = new LinkedHashMap<>();
        now.put("kind", OutputKinds.CORESET_BENCH.id());
        now.put("dataset", dataset);
        now.put("model", model);
        now.put("selection_epochs", selectionEpochs);
        now.put("epochs", epochs);
        now.put("batch_size", batchSize);
        now.put("lr", lr);
        now.put("momentum", momentum);
        now.put("balance", balance);
        return now;
    }

    /**
     * Whether the folder's results were made with {@code now}'s settings, so that this run may add
     * to them. Settings are compared as JSON values (key order and number layout, 0.1 or 1.0E-1,
     * do not matter). Other settings are refused, naming the first that differs (results of
     * different settings never mix in one folder), unless --force, which starts the folder afresh.
     * A folder from before settings carried a kind has none: only the settings are compared.
     */
    private boolean sameSettings(Path file, Map<String, Object> now) throws IOException {
        Map<String, Object> before = new LinkedHashMap<>(Json.readObject(file));
        Map<String, Object> here = new LinkedHashMap<>(Json.parseObject(Json.write(now)));
        before.remove("kind");
        here.remove("kind");
        String differs = null;
        for (String key : here.keySet()) {
            if (!before.containsKey(key) || !java.util.Objects.equals(before.get(key), here.get(key))) {
                differs = key + " " + shortJson(before.get(key), before.containsKey(key)) + ", here " + Json.write(here.get(key));
                break;
            }
        }
        for (String key : before.keySet()) {
            if (differs == null && !here.containsKey(key)) {
                differs = "unknown setting " + shortJson(key, true);
            }
        }
        if (differs == null) {
            return true;
        }
        if (force.force) {
            return false;
        }
        throw new IllegalArgumentException(out + " holds results made with other settings (" + differs
                + "); use the same settings to resume, another --out, or --force to start it afresh");
    }

    /** A value from a file, cut to 40 characters for a one-line message. */
    private static String shortJson(Object v, boolean present) {
        String text = present ? Json.write(v) : "missing";
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private String writeReport(BenchResults results) throws IOException {
        var cells = results.cells();
        String title = String.format(Locale.ROOT, "Coresets of %s, %s, %s, %s", dataset, model,
                Progress.count(selectionEpochs, "selection epoch"), Progress.count(epochs, "training epoch"));
        String command = "distill4j " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        String md = BenchReport.markdown(cells, title, command);
        AtomicFile.write(out.resolve("results.md"), md.getBytes(StandardCharsets.UTF_8));
        if (!cells.isEmpty()) {
            AtomicFile.write(out.resolve("accuracy.png"), BenchReport.png(BenchReport.plot(cells, title)));
        }
        return md;
    }
}
