package org.distill4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.distill4j.coreset.Budget;
import org.distill4j.coreset.CoresetMethods;
import org.distill4j.coreset.protocol.CoresetProtocol;
import org.distill4j.coreset.protocol.OtherSettingsException;
import org.distill4j.coreset.protocol.Protocol;
import org.distill4j.coreset.protocol.ProtocolListener;
import org.distill4j.coreset.protocol.ProtocolResults;
import org.distill4j.coreset.protocol.ProtocolRow;
import org.distill4j.coreset.protocol.ProtocolRun;
import org.distill4j.coreset.protocol.ProtocolSettings;
import org.distill4j.coreset.protocol.ProtocolTable;
import org.distill4j.data.DataSets;
import org.distill4j.data.Splits;
import org.distill4j.io.AtomicFile;
import org.distill4j.options.CommonOptions;
import org.distill4j.options.Progress;
import org.distill4j.options.TrainProgress;
import org.distill4j.train.TrainListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j coreset-bench}: the DeepCore protocol ({@link CoresetProtocol}) with progress on
 * stderr; the Markdown table ({@code results.md}) and the plot ({@code accuracy.png}) are rewritten
 * after each seed, and the table is printed at the end.
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

    @Mixin
    SelectionMethodOptions methodOptions;

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

    @Option(names = "--protocol", defaultValue = "simple", paramLabel = "NAME",
            description = "How both models are trained and seeded: simple (SGD, momentum 0.9, lr 0.01, constant; the final model "
                    + "from the selection model's seed; the recipe of every folder made before protocols had names) or deepcore "
                    + "(DeepCore's: SGD, Nesterov momentum 0.9, weight decay 5e-4, lr 0.1, cosine for the final model; the final "
                    + "model from a fresh seed; ensembles drawn per seed). Pinned in the folder's settings.json.")
    String protocol;

    @Option(names = "--batch-size", paramLabel = "N", description = "Examples per training step, both models (default: the protocol's, 128).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Learning rate of both models (default: the protocol's: 0.01 simple, 0.1 deepcore).")
    Double lr;

    @Option(names = "--momentum", paramLabel = "F", description = "SGD momentum of both models (default: the protocol's, 0.9).")
    Double momentum;

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
        List<String> names = ProtocolSettings.methodNames(methods);
        for (double f : fractions) {
            Budget.fromFraction(f, 1);
        }
        if (seeds < 1 || epochs < 1 || selectionEpochs < 0 || jobs < 1) {
            throw new IllegalArgumentException("need --seeds >= 1, --epochs >= 1, --selection-epochs >= 0 and --jobs >= 1, got "
                    + seeds + ", " + epochs + ", " + selectionEpochs + ", " + jobs);
        }
        Protocol p = Protocol.byName(protocol);
        ProtocolSettings settings = new ProtocolSettings(dataset, model, selectionEpochs, epochs,
                batchSize == null ? p.batchSize() : batchSize, lr == null ? p.learningRate() : lr,
                momentum == null ? p.momentum() : momentum, balance, names, fractions, seeds, seed, jobs, p, methodOptions.options());
        for (String name : names) {
            CoresetMethods.byName(name, settings.options());   // a score CCS cannot use fails here, before any work
        }
        CoresetProtocol protocol;
        try {
            protocol = CoresetProtocol.open(settings, out, force.force);
        } catch (OtherSettingsException e) {
            throw otherSettings(e);
        }
        String note = common.apply();
        if (note != null) {
            progress.line(note);
        }
        Splits data = DataSets.loadNormalized(dataset, common.data, null);
        // The folder is made (or, with other settings or data and --force, made afresh) once the data has loaded.
        ProtocolResults results;
        try {
            results = protocol.run(data, new Listener(protocol, progress));
        } catch (OtherSettingsException e) {
            throw otherSettings(e);
        }
        String table = writeReport(protocol, results);
        stdout.print(table);
        stdout.printf("results in %s (results.csv, results.md, accuracy.png)%n", out);
        stdout.flush();
        return 0;
    }

    /** The library's refusal of a folder made with other settings or data, in the command line's words. */
    private static IllegalArgumentException otherSettings(OtherSettingsException e) {
        return new IllegalArgumentException(e.folder() + " holds results made with other settings (" + e.difference()
                + "); use the same settings to resume, another --out, or --force to start it afresh");
    }

    /** The protocol's progress as lines (and bars, on a terminal); results.md and accuracy.png redrawn after each seed. */
    private final class Listener implements ProtocolListener {
        private final CoresetProtocol protocol;
        private final Progress progress;

        Listener(CoresetProtocol protocol, Progress progress) {
            this.protocol = protocol;
            this.progress = progress;
        }

        @Override
        public void onStart(ProtocolResults results) {
            Interruption.leaves("the finished runs are in " + results.file() + "; the same command resumes from them");
        }

        @Override
        public void onSeedStart(long s, String net, List<ProtocolRun> pending) {
            progress.line(String.format(Locale.ROOT, "seed %d: training the selection model (%s, %s), %s to do",
                    s, net, Progress.count(selectionEpochs, "epoch"), Progress.count(pending.size(), "run")));
        }

        @Override
        public TrainListener selectionModelTraining(long s) {
            return new TrainProgress(progress, "seed " + s + " selection model", selectionEpochs, 1);
        }

        @Override
        public TrainListener scoreModelTraining(long s, int member, int epochs) {
            return new TrainProgress(progress, "seed " + s + " score model " + (member + 1), epochs, Math.max(1, epochs));
        }

        @Override
        public void onFeatures(long s, double seconds) {
            progress.line(String.format(Locale.ROOT, "seed %d: embeddings and softmax outputs in %.1f s (not counted as selection)",
                    s, seconds));
        }

        @Override
        public void onSelected(ProtocolRun run, int selected, double seconds) {
            progress.line(String.format(Locale.ROOT, "%s: %,d selected in %.2f s; training %s", label(run), selected,
                    seconds, Progress.count(epochs, "epoch")));
        }

        @Override
        public TrainListener training(ProtocolRun run) {
            return new TrainProgress(progress, label(run), epochs, Math.max(1, epochs / 5));
        }

        @Override
        public void onRow(ProtocolRow row) {
            progress.line(String.format(Locale.ROOT, "%s: test accuracy %.4f (best %.4f)", label(row.run()), row.finalAccuracy(),
                    row.bestAccuracy()));
        }

        @Override
        public void onSeedDone(long s, ProtocolResults results) throws IOException {
            writeReport(protocol, results);
        }

        private static String label(ProtocolRun run) {
            return String.format(Locale.ROOT, "seed %d %s %s", run.seed(), run.method(), BenchReport.percent(run.fraction()));
        }
    }

    /** Writes results.md (returned) and accuracy.png. */
    private String writeReport(CoresetProtocol protocol, ProtocolResults results) throws IOException {
        var cells = results.cells();
        String title = protocol.title();
        String command = "distill4j " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        String md = ProtocolTable.markdown(cells, title, command);
        AtomicFile.write(out.resolve("results.md"), md.getBytes(StandardCharsets.UTF_8));
        if (!cells.isEmpty()) {
            AtomicFile.write(out.resolve("accuracy.png"), BenchReport.png(BenchReport.plot(cells, title)));
        }
        return md;
    }
}
