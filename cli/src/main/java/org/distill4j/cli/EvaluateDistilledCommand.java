package org.distill4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.data.Normalization;
import org.distill4j.data.Splits;
import org.distill4j.distill.BaselineComparison;
import org.distill4j.distill.DistillConfig;
import org.distill4j.distill.DistillMethod;
import org.distill4j.distill.SyntheticSetEvaluation;
import org.distill4j.distill.DistilledEvaluation;
import org.distill4j.distill.DistilledSet;
import org.distill4j.distill.EvaluationJournal;
import org.distill4j.io.Json;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.options.CommonOptions;
import org.distill4j.options.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code distill4j evaluate-distilled DIR}: replay a distilled set on fresh networks, and train on it. */
@Command(name = "evaluate-distilled", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Replay a distilled folder's steps and rates on fresh networks; report test accuracy.")
public final class EvaluateDistilledCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "DIR", description = "A folder written by `distill4j distill`.")
    Path dir;

    @Option(names = "--models", defaultValue = "20", paramLabel = "N", description = "Random initialisations (random-init sets; fixed-init sets use the kept one).")
    int models;

    @Option(names = "--train-epochs", defaultValue = "50", paramLabel = "N", description = "Epochs of ordinary SGD training on the images.")
    int trainEpochs;

    @Option(names = "--json", description = "Also print the results as one JSON object, the last line of stdout.")
    boolean json;

    @Option(names = "--protocol", defaultValue = "replay", paramLabel = "replay|dc",
            description = "replay: the set's steps and rates, and ordinary training; dc: the DC/DSA/DM/MTT papers' protocol (--num-eval fresh ConvNets, SGD with weight decay, DSA for DSA/DM/MTT sets).")
    String protocol;

    @Option(names = "--journal", paramLabel = "FILE",
            description = "With --protocol dc: record each finished network in FILE, and when run again with it, skip the networks it holds (an interrupted evaluation goes on where it stopped, with the same result). Default: none, every network is trained in this run.")
    Path journal;

    @Mixin
    ProtocolOptions protocolOptions;

    @Mixin
    DsaOptions dsa;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        if (models < 1) {
            throw new IllegalArgumentException("--models must be positive, got " + models);
        }
        if (!protocol.equals("replay") && !protocol.equals("dc")) {
            throw new IllegalArgumentException("--protocol must be replay or dc, got '" + protocol + "'");
        }
        dsa.check();
        if (journal != null && !protocol.equals("dc")) {
            throw new IllegalArgumentException("--journal needs --protocol dc");
        }
        DistilledSet set = DistilledSet.read(dir);
        set.checkOrigin(dir);
        String dataset = set.dataset().get();
        String modelName = set.model().get();
        Models.checkName(modelName);
        DataSets.checkNameOrPath(dataset);
        Normalization norm = set.requiredNormalization();
        // The journal is checked with the rest of the input, before any data is loaded.
        EvaluationJournal record = journal == null ? null : openJournal(set, modelName);
        // The device is probed once the input is known to be good, so that bad input gets exactly one line.
        String note = common.apply();
        if (note != null) {
            progress.line(note);
        }
        Splits data = DataSets.loadNormalized(dataset, common.data, norm);
        Model m = Models.byName(modelName, data.train().imageShape(), data.train().classes());
        Models.checkInput(m, data.train().imageShape());
        set.checkFits(m);
        if (protocol.equals("dc")) {
            return dcProtocol(set, m, data, record, out, progress);
        }
        Params[] inits = DistilledEvaluation.evaluationInits(m, set, models);
        progress.line("evaluating " + dir + " on " + Progress.count(inits.length, "network"));
        DistilledEvaluation.Result result = DistilledEvaluation.evaluate(m, set, data.test(), inits, trainEpochs,
                set.seed().orElse(0));
        List<BaselineComparison.Row> rows = List.of(new BaselineComparison.Row(BaselineComparison.DISTILLED, result));
        out.print(Figures.table(rows, Figures.initNote(set.init() == DistillConfig.Init.FIXED, inits.length)));
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("dir", dir.toString());
            o.put("results", rows.get(0).toMap());
            out.println(Json.write(o));
        }
        out.flush();
        return 0;
    }

    /**
     * The journal of this evaluation: what was evaluated (the set's images and labels by fingerprint,
     * the data set and model) and how (the protocol's settings); a journal of anything else is refused.
     */
    private EvaluationJournal openJournal(DistilledSet set, String modelName) throws java.io.IOException {
        int[] labels = set.flatHardLabels();
        int classes = 1;
        for (int y : labels) {
            classes = Math.max(classes, y + 1);
        }
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("set_fingerprint", new Dataset("synthetic", set.flatImages().copy(DType.F32), labels, classes).fingerprint());
        identity.put("dataset", set.dataset().get());
        identity.put("model", modelName);
        identity.put("protocol", protocolOptions.config(set.method(), dsa).toMap());
        return EvaluationJournal.open(journal, identity);
    }

    /** The papers' protocol on the set's images: fresh networks trained on them alone, test accuracy. */
    private int dcProtocol(DistilledSet set, Model m, Splits data, EvaluationJournal record, PrintWriter out, Progress progress) {
        DistillMethod method = set.method();
        SyntheticSetEvaluation.Config cfg = protocolOptions.config(method, dsa);
        if (record != null) {
            if (!record.networks().isEmpty()) {
                progress.line("journal " + journal + ": " + Progress.count(record.networks().size(), "network")
                        + " recorded, going on from there");
            }
            Interruption.leaves("the finished networks are in " + journal + "; the same command goes on from them");
        }
        progress.line(String.format(java.util.Locale.ROOT, "protocol dc on %s (%s set): %s of %s, %s, lr %s x0.1 after epoch %d",
                dir, method.id(), Progress.count(cfg.models(), "network"), Progress.count(cfg.epochs() + 1L, "epoch"),
                cfg.augmentation() instanceof org.distill4j.distill.augment.Dsa d ? "DSA " + d.strategy() + " per image" : "no augmentation",
                cfg.lr(), cfg.decayEpoch()));
        SyntheticSetEvaluation.Listener listener = (k, total, acc, seconds) -> progress.line(String.format(java.util.Locale.ROOT,
                "network %d/%d: test accuracy %.4f (%.0f s)", k, total, acc, seconds));
        SyntheticSetEvaluation.Result r = record == null
                ? SyntheticSetEvaluation.evaluate(m, set, data.test(), cfg, listener)
                : SyntheticSetEvaluation.evaluate(m, set, data.test(), cfg, record.networks(), record.recording(listener));
        out.printf(java.util.Locale.ROOT, "protocol dc: test accuracy %.4f%s over %s (%d epochs, %s)%n", r.testAccuracy().mean(),
                ProtocolOptions.plusMinus(r.testAccuracy()), Progress.count(cfg.models(), "network"), cfg.epochs(),
                cfg.augmentation() instanceof org.distill4j.distill.augment.Dsa ? "DSA" : "no augmentation");
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("dir", dir.toString());
            o.put("protocol", cfg.toMap());
            o.put("results", r.toMap());
            out.println(Json.write(o));
        }
        out.flush();
        return 0;
    }
}
