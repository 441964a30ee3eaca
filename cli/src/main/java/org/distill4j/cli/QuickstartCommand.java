package org.distill4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.distill4j.data.DataSets;
import org.distill4j.distill.BaselineComparison;
import org.distill4j.distill.DistilledSet;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.io.PendingOutputs;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.options.CommonOptions;
import org.distill4j.options.Progress;
import org.distill4j.tour.Tour;
import org.distill4j.tour.TourConfig;
import org.distill4j.tour.TourResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j quickstart}: the library's {@link Tour} on Fashion-MNIST and LeNet, on CUDA when
 * usable, else the CPU. A LeNet trained briefly on all 60,000 images (its test accuracy is the reference, and it
 * is also the selection model); six coreset methods choosing 0.1%, 1% and 10% of the training set, a
 * fresh LeNet trained on each; ten distilled images replayed. This command adds the flags, the progress
 * lines and a report folder (index.html, results.csv, results.json, the selections and the distilled set)
 * that appears only when complete. Every figure comes with the {@code select}/{@code evaluate}/{@code distill}/...
 * command line that reproduces it: the settings of the tour are those commands' settings.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Train LeNet, select coresets by six methods, distill 10 images; write an HTML report of it all.")
public final class QuickstartCommand implements Callable<Integer> {
    static final String DATASET = TourConfig.DATASET;
    static final String MODEL = TourConfig.MODEL;
    static final int BATCH = TourConfig.BATCH_SIZE;
    static final double LR = TourConfig.LR;
    static final double MOMENTUM = TourConfig.MOMENTUM;
    static final int DISTILLED_TRAIN_EPOCHS = TourConfig.DISTILLED_TRAIN_EPOCHS;
    /** The selection files' folder, in the scratch folder as in the report folder. */
    static final String SELECTIONS = "selections";

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
        PrintWriter stdout = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        TourConfig config = config();
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

        Path scratch = Files.createTempDirectory("distill4j-quickstart-");
        PendingOutputs.add(scratch);
        try {
            TourResult result = Tour.run(config, data, scratch.resolve(SELECTIONS), new TourProgress(progress, fast));
            QuickstartReport report = report(config, result, commands);
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

    /** The flags as the library's config, checked before any work. */
    private TourConfig config() {
        TourConfig defaults = fast ? TourConfig.fast() : TourConfig.defaults();
        int baseEpochs = epochs != null ? epochs : defaults.epochs();
        int subEpochs = subsetEpochs != null ? subsetEpochs : defaults.subsetEpochs();
        int distillIterations = iterations != null ? iterations : defaults.distillIterations();
        if (baseEpochs < 1 || subEpochs < 1 || distillIterations < 1) {
            throw new IllegalArgumentException("--epochs, --subset-epochs and --iterations must be >= 1, got " + baseEpochs
                    + ", " + subEpochs + ", " + distillIterations);
        }
        return defaults.withMethods(methods).withFractions(fractions != null ? fractions : defaults.fractions())
                .withEpochs(baseEpochs).withSubsetEpochs(subEpochs).withDistillIterations(distillIterations)
                .withBatchReal(batchReal).withSeed(seed);
    }

    /** The tour's figures with the command lines that reproduce them; the distilled set's meta data gain its evaluation. */
    private QuickstartReport report(TourConfig config, TourResult result, Commands commands) {
        TourResult.Baseline b = result.baseline();
        QuickstartReport.Baseline baseline = new QuickstartReport.Baseline(b.epochs(), b.testAccuracy(), b.trainSeconds(),
                commands.train(b.epochs()));
        List<QuickstartReport.CoresetRow> rows = new ArrayList<>();
        for (TourResult.CoresetRow r : result.coresets()) {
            String file = SELECTIONS + "/" + r.file().getFileName();
            rows.add(new QuickstartReport.CoresetRow(r.method(), r.fraction(), r.selected(), r.selectionSeconds(), r.epochs(),
                    r.trainSeconds(), r.testAccuracy(), file, commands.select(r.method(), r.fraction(), b.epochs(), file),
                    commands.evaluate(file, r.epochs())));
        }
        TourResult.Distilled d = result.distilled();
        String distillCommand = commands.distill(config.distillIterations(), config.batchReal());
        DistilledSet set = d.set().withResults(Map.of("evaluation", d.evaluation().toMap(BaselineComparison.DISTILLED)),
                distillCommand.substring("./distill4j ".length()));
        QuickstartReport.Distilled distilled = new QuickstartReport.Distilled(set, d.norm(), config.distillIterations(),
                d.replayAccuracy(), d.ordinaryAccuracy(), d.seconds(), distillCommand, commands.evaluateDistilled());
        return new QuickstartReport(fast, config.toMap(), baseline, rows, distilled, result.contextSeconds(), result.totalSeconds());
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
