package org.distill4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.distill4j.coreset.Budget;
import org.distill4j.coreset.CoresetMethod;
import org.distill4j.coreset.CoresetMethods;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.data.Splits;
import org.distill4j.data.WeightedSubset;
import org.distill4j.distill.BaselineComparison;
import org.distill4j.distill.DistillConfig;
import org.distill4j.distill.DistilledEvaluation;
import org.distill4j.distill.DistilledSet;
import org.distill4j.distill.UnrolledDistiller;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.io.PendingOutputs;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.train.Evaluator;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainListener;
import org.distill4j.train.TrainResult;
import org.distill4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j quickstart}: the whole toolkit once on Fashion-MNIST and LeNet, on CUDA when
 * usable, else the CPU. A LeNet trained briefly on all 60,000 images (its test accuracy is the reference, and it
 * is also the selection model); six coreset methods choosing 0.1%, 1% and 10% of the training set, a
 * fresh LeNet trained on each; ten distilled images replayed; then a report folder (index.html,
 * results.csv, results.json, the selections and the distilled set) that appears only when complete.
 * Every figure comes with the {@code select}/{@code evaluate}/{@code distill}/... command line that
 * reproduces it: the settings here are those commands' settings.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Train LeNet, select coresets by six methods, distill 10 images; write an HTML report of it all.")
public final class QuickstartCommand implements Callable<Integer> {
    static final String DATASET = "fashion-mnist";
    static final String MODEL = "lenet";
    static final int BATCH = 128;
    static final double LR = 0.01;
    static final double MOMENTUM = 0.9;
    static final int DISTILLED_TRAIN_EPOCHS = 50;

    @Spec
    CommandSpec spec;

    @Option(names = "--fast", description = "The one-minute version (the tests' one): fewer epochs and distillation iterations.")
    boolean fast;

    @Option(names = "--out", defaultValue = "quickstart-report", paramLabel = "DIR", description = "The report folder (replaced when complete).")
    Path out;

    @picocli.CommandLine.Mixin
    ForceOption force;

    @Option(names = "--methods", defaultValue = "uniform,herding,kcenter,entropy,forgetting,gradmatch", split = ",", paramLabel = "NAME",
            description = "Coreset methods to run.")
    List<String> methods;

    @Option(names = "--fractions", split = ",", paramLabel = "F",
            description = "Fractions of the training set to select, run smallest first (default: 0.001,0.01,0.1; 0.001,0.01 with --fast).")
    List<Double> fractions;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs of the full-data LeNet, also the selection model (default: 3; 1 with --fast).")
    Integer epochs;

    @Option(names = "--subset-epochs", paramLabel = "N",
            description = "Epochs of training on a 1%% selection (default: 100; 40 with --fast); above 1%%, fewer, so that every "
                    + "selection above 1%% sees as many images as one of 1%%.")
    Integer subsetEpochs;

    @Option(names = "--iterations", paramLabel = "N", description = "Distillation iterations (default: 500; 30 with --fast).")
    Integer iterations;

    @Option(names = "--batch-real", defaultValue = "1024", paramLabel = "N", description = "Real images per distillation iteration.")
    int batchReal;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Seed of every training, selection and distillation.")
    long seed;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda",
            description = "Where to compute: auto takes CUDA when usable, else the CPU.")
    String device;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads for the kernels (default: the number of cores).")
    Integer threads;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder holding Fashion-MNIST's IDX files (default: $DISTILL4J_DATA, else /usr/share/datasets/fashion-mnist).")
    Path data;

    @Option(names = "--json", description = "Also print the results as one JSON object, the last line of stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        PrintWriter stdout = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        int baseEpochs = epochs != null ? epochs : fast ? 1 : 3;
        int subEpochs = subsetEpochs != null ? subsetEpochs : fast ? 40 : 100;
        int distillIterations = iterations != null ? iterations : fast ? 30 : 500;
        if (baseEpochs < 1 || subEpochs < 1 || distillIterations < 1) {
            throw new IllegalArgumentException("--epochs, --subset-epochs and --iterations must be >= 1, got " + baseEpochs
                    + ", " + subEpochs + ", " + distillIterations);
        }
        for (String m : methods) {
            CoresetMethods.byName(m);
        }
        if (fractions == null) {
            fractions = fast ? List.of(0.01, 0.001) : List.of(0.01, 0.001, 0.1);
        }
        for (double f : fractions) {
            Budget.fromFraction(f, 1);
        }
        Output target = force.check(out, OutputKinds.QUICKSTART_REPORT);
        CommonOptions common = new CommonOptions();
        common.device = device;
        common.threads = threads;
        common.data = data;
        String note = common.apply();
        if (note != null) {
            progress.line(note);
        }
        FashionMnist.ensure(data, progress);
        // The device used, not the one asked for ("auto"): what the settings and command lines say.
        Commands commands = new Commands(ComputeContext.current().backend().name(), threads, data, seed);

        progress.line("[1/4] loading Fashion-MNIST" + (fast ? " (fast version: fewer epochs and iterations)" : ""));
        // Normalised with the training split's statistics, as train, select and evaluate do.
        Splits loaded = DataSets.loadNormalized(DATASET, data, null);
        Dataset train = loaded.train();
        Dataset test = loaded.test();
        Model net = Models.byName(MODEL, train.imageShape(), train.classes());

        // Stage 1: the reference LeNet. It records per-epoch correctness, so it is also the
        // selection model of stage 2: `select --selection-epochs E` trains exactly this network.
        progress.line(String.format(Locale.ROOT, "[1/4] training LeNet on all %,d training images, %s", train.size(),
                Progress.count(baseEpochs, "epoch")));
        TrainConfig cfg = TrainConfig.sgd(baseEpochs, BATCH, LR, MOMENTUM, seed);
        TrainResult full = Trainer.train(net, train, null, test, cfg.recordingCorrectness(),
                new TrainProgress(progress, "      LeNet", baseEpochs, 1));
        QuickstartReport.Baseline baseline = new QuickstartReport.Baseline(baseEpochs, full.finalTestAccuracy(),
                full.trainSeconds(), commands.train(baseEpochs));
        progress.line(String.format(Locale.ROOT, "[1/4] LeNet, all data: test accuracy %.2f%% (%.0f s)",
                100 * baseline.accuracy(), baseline.seconds()));

        // Stage 2: coresets.
        Path scratch = Files.createTempDirectory("distill4j-quickstart-");
        PendingOutputs.add(scratch);
        try {
            SelectionContext ctx = new SelectionContext(train, net, full.params(), full.correctness(), seed, true);
            long t0 = System.nanoTime();
            ctx.embeddings();
            ctx.probabilities();
            double contextSeconds = (System.nanoTime() - t0) / 1e9;
            List<QuickstartReport.CoresetRow> rows = new ArrayList<>();
            // Smallest fraction first, in the progress lines as in the report's rows.
            List<Double> sorted = fractions.stream().distinct().sorted().toList();
            int runs = methods.size() * sorted.size();
            progress.line(String.format(Locale.ROOT, "[2/4] coresets: %s at %s; a fresh LeNet trained %s%s on each, %s",
                    String.join(", ", methods), String.join(", ", sorted.stream().map(BenchReport::percent).toList()),
                    Progress.count(subEpochs, "epoch"), sorted.stream().anyMatch(f -> f > 0.01) ? " (fewer above 1%)" : "",
                    Progress.count(runs, "run")));
            for (double f : sorted) {
                for (String name : methods) {
                    rows.add(coreset(name, f, ctx, train, test, net, cfg.withEpochs(subsetEpochs(subEpochs, f)), scratch, commands,
                            baseEpochs, progress, rows.size() + 1, runs));
                }
            }

            // Stage 3: dataset distillation, 10 images (1 per class), fixed init, 1 step tensor x 3 epochs = 3 learned steps.
            QuickstartReport.Distilled distilled = distill(loaded, distillIterations, commands, progress);

            QuickstartReport report = new QuickstartReport(fast, settings(baseEpochs, subEpochs, distillIterations), baseline, rows,
                    distilled, contextSeconds, (System.nanoTime() - start) / 1e9);
            progress.line("[4/4] writing " + out);
            report.writeFolder(target, scratch);
            stdout.print(report.table());
            stdout.printf(Locale.ROOT, "report: %s (index.html, results.csv, results.json)%s; %.0f s in all%n",
                    out.resolve("index.html"), Summaries.created(target), report.totalSeconds());
            if (json) {
                stdout.println(Json.write(report.toJson()));
            }
            stdout.flush();
        } finally {
            deleteQuietly(scratch);
            PendingOutputs.done(scratch);
        }
        return 0;
    }

    /** {@code epochs} up to 1%; above, as many images seen as by {@code epochs} epochs of a 1% selection. */
    static int subsetEpochs(int epochs, double fraction) {
        return fraction <= 0.01 ? epochs : Math.max(1, (int) Math.round(epochs * 0.01 / fraction));
    }

    /** One coreset: select, write the selection file, read it back (what `evaluate` reads), train a fresh LeNet, test it. */
    private static QuickstartReport.CoresetRow coreset(String name, double fraction, SelectionContext ctx, Dataset train,
                                                       Dataset test, Model net, TrainConfig cfg, Path scratch, Commands commands,
                                                       int selectionEpochs, Progress progress, int run, int runs)
            throws IOException {
        CoresetMethod m = CoresetMethods.byName(name);
        int budget = Budget.fromFraction(fraction, train.size());
        long t0 = System.nanoTime();
        Selection sel = m.select(ctx, budget);
        double selectionSeconds = (System.nanoTime() - t0) / 1e9;
        String file = "selections/" + name + "-" + BenchReport.percent(fraction).replace("%", "pct") + ".csv";
        Path csv = scratch.resolve(file);
        Files.createDirectories(csv.getParent());
        sel.writeCsv(csv, train);
        WeightedSubset subset = WeightedSubset.readCsv(csv);
        String label = String.format(Locale.ROOT, "%s %s", name, BenchReport.percent(fraction));
        TrainResult r = Trainer.train(net, train, subset, null, cfg, new TrainListener() {
            @Override
            public void onBatch(int epoch, int batch, int batches, double loss, double acc, double ips) {
                progress.bar(String.format(Locale.ROOT, "[%d/%d] %s epoch %d/%d", run, runs, label, epoch, cfg.epochs()),
                        epoch - 1, cfg.epochs(), String.format(Locale.ROOT, "loss %.4f", loss), Double.NaN);
            }
        });
        progress.status(String.format(Locale.ROOT, "[%d/%d] %s: testing ...", run, runs, label));
        long testStart = System.nanoTime();
        double accuracy = Evaluator.accuracy(net, r.params(), test);
        double testSeconds = (System.nanoTime() - testStart) / 1e9;
        progress.line(String.format(Locale.ROOT, "[2/4] %-18s %,5d images, selected in %6.2f s, trained in %5.1f s, "
                + "test accuracy %.2f%% (%.1f s)", label, sel.size(), selectionSeconds, r.trainSeconds(), 100 * accuracy, testSeconds));
        return new QuickstartReport.CoresetRow(name, fraction, sel.size(), selectionSeconds, cfg.epochs(), r.trainSeconds(), accuracy,
                file,
                commands.select(name, fraction, selectionEpochs, file), commands.evaluate(file, cfg.epochs()));
    }

    private QuickstartReport.Distilled distill(Splits d, int distillIterations, Commands commands, Progress progress)
            throws IOException {
        DistillConfig cfg = DistillConfig.builder().ipc(1).steps(1).epochs(3).iterations(distillIterations).batchReal(batchReal)
                .seed(seed).init(DistillConfig.Init.FIXED).build();
        Model m = Models.byName(MODEL, d.train().imageShape(), d.train().classes());
        progress.line(String.format(Locale.ROOT, "[3/4] distilling 10 images (1 per class, fixed init, 3 learned steps), %s",
                Progress.count(distillIterations, "iteration")));
        long start = System.nanoTime();
        int every = Math.max(1, distillIterations / 5);
        DistilledSet distilled = UnrolledDistiller.distill(m, d, DATASET, cfg, DType.F32, (it, total, loss, seconds, acc) -> {
            double elapsed = (System.nanoTime() - start) / 1e9;
            double left = elapsed / it * (total - it);
            String figures = String.format(Locale.ROOT, "loss %.4f", loss);
            progress.bar("[3/4] distill", it, total, figures, left);
            if (!progress.terminal() && (it % every == 0 || it == total)) {
                progress.line(String.format(Locale.ROOT, "      iteration %d/%d  %s  ETA %s", it, total, figures, Progress.duration(left)));
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        Params[] inits = DistilledEvaluation.evaluationInits(m, distilled, 1);
        DistilledEvaluation.Result evaluation = DistilledEvaluation.evaluate(m, distilled, d.test(), inits,
                DISTILLED_TRAIN_EPOCHS, seed);
        double replay = evaluation.replay().mean();
        double ordinary = evaluation.ordinaryTraining().mean();
        Map<String, Object> meta = new LinkedHashMap<>(distilled.meta());
        Map<String, Object> results = new LinkedHashMap<>(DistillCommand.castMap(meta.get("results")));
        results.put("evaluation", Figures.json(BaselineComparison.DISTILLED, evaluation));
        meta.put("results", results);
        String distillCommand = commands.distill(distillIterations, batchReal);
        meta.put("command", distillCommand.substring("./distill4j ".length()));
        DistilledSet set = new DistilledSet(distilled.images(), distilled.labels(), distilled.lrs(), meta);
        progress.line(String.format(Locale.ROOT, "[3/4] distilled images: replay test accuracy %.2f%%, ordinary training %.2f%% (%.0f s)",
                100 * replay, 100 * ordinary, seconds));
        return new QuickstartReport.Distilled(set, d.norm(), distillIterations, replay, ordinary, seconds, distillCommand,
                commands.evaluateDistilled());
    }

    private Map<String, Object> settings(int baseEpochs, int subEpochs, int distillIterations) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("fast", fast);
        s.put("dataset", DATASET);
        s.put("model", MODEL);
        s.put("device", ComputeContext.current().backend().name());
        s.put("threads", ComputeContext.current().threads());
        s.put("seed", seed);
        s.put("epochs", baseEpochs);
        s.put("batch_size", BATCH);
        s.put("lr", LR);
        s.put("momentum", MOMENTUM);
        s.put("methods", methods);
        s.put("fractions", fractions.stream().distinct().sorted().toList());
        s.put("subset_epochs", subEpochs);
        s.put("distill_iterations", distillIterations);
        s.put("batch_real", batchReal);
        return s;
    }

    private static void deleteQuietly(Path p) {
        try {
            PendingOutputs.deleteRecursively(p);
        } catch (IOException | RuntimeException ignored) {
            // a temporary folder; nothing depends on it
        }
    }

    /** The command lines that reproduce each figure, with the quickstart's settings spelled out. */
    record Commands(String device, Integer threads, Path data, long seed) {
        private String common() {
            return " --device " + device + (threads == null ? "" : " --threads " + threads)
                    + (data == null ? "" : " --data " + QuickstartReport.shellWord(data.toString()));
        }

        String train(int epochs) {
            return String.format(Locale.ROOT, "./distill4j train --dataset %s --model %s --epochs %d --batch-size %d --lr %s"
                    + " --momentum %s --seed %d%s", DATASET, MODEL, epochs, BATCH, LR, MOMENTUM, seed, common());
        }

        String select(String method, double fraction, int selectionEpochs, String file) {
            return String.format(Locale.ROOT, "./distill4j select --dataset %s --method %s --fraction %s --model %s"
                            + " --selection-epochs %d --batch-size %d --lr %s --momentum %s --seed %d%s --out %s", DATASET, method,
                    fraction, MODEL, selectionEpochs, BATCH, LR, MOMENTUM, seed, common(), file);
        }

        String evaluate(String file, int epochs) {
            return String.format(Locale.ROOT, "./distill4j evaluate --dataset %s --subset %s --model %s --epochs %d --seeds 1"
                    + " --seed %d --batch-size %d --lr %s --momentum %s%s", DATASET, file, MODEL, epochs, seed, BATCH, LR, MOMENTUM,
                    common());
        }

        String distill(int iterations, int batchReal) {
            return String.format(Locale.ROOT, "./distill4j distill --dataset %s --model %s --init fixed --ipc 1 --steps 1"
                            + " --epochs 3 --iterations %d --batch-real %d --seed %d --memory keep --eval-every 0 --train-epochs %d%s"
                            + " --out distilled", DATASET, MODEL, iterations, batchReal, seed, DISTILLED_TRAIN_EPOCHS, common());
        }

        String evaluateDistilled() {
            return "./distill4j evaluate-distilled distilled --train-epochs " + DISTILLED_TRAIN_EPOCHS + common();
        }
    }

    /** Finding Fashion-MNIST, and installing Debian's package when it is missing and we may. */
    static final class FashionMnist {
        static final String PACKAGE = "dataset-fashion-mnist";

        private FashionMnist() {
        }

        static boolean present(Path dir) {
            for (Path d : new Path[]{dir, dir.resolve(DATASET)}) {
                if (!Files.isDirectory(d)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(d)) {
                    if (files.anyMatch(f -> f.getFileName().toString().startsWith("train-images"))) {
                        return true;
                    }
                } catch (IOException e) {
                    return false;
                }
            }
            return false;
        }

        static void ensure(Path data, Progress progress) throws IOException, InterruptedException {
            Path dir = data != null ? data : DataSets.defaultDir(DATASET);
            if (present(dir)) {
                return;
            }
            boolean defaultPlace = data == null && (System.getenv(DataSets.ENV) == null || System.getenv(DataSets.ENV).isBlank());
            if (defaultPlace && isRoot()) {
                progress.line("Fashion-MNIST is not installed; running apt-get install -y " + PACKAGE);
                ProcessBuilder pb = new ProcessBuilder("apt-get", "install", "-y", PACKAGE);
                pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
                pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                int rc;
                try {
                    rc = pb.start().waitFor();
                } catch (IOException noAptGet) {
                    rc = -1;
                }
                if (rc == 0 && present(dir)) {
                    return;
                }
                throw new IllegalArgumentException("apt-get install -y " + PACKAGE + " failed (exit " + rc
                        + "); install it by hand, or pass --data DIR with Fashion-MNIST's IDX files");
            }
            throw new IllegalArgumentException("Fashion-MNIST not found in " + dir + "; install it with `sudo apt-get install -y "
                    + PACKAGE + "`, or pass --data DIR with its four IDX files");
        }

        private static boolean isRoot() {
            try {
                Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
                return uid instanceof Integer i && i == 0;
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return "root".equals(System.getProperty("user.name"));
            }
        }
    }
}
