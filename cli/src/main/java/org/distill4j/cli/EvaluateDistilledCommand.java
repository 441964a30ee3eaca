package org.distill4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.data.DataSets;
import org.distill4j.distill.DistilledEvaluation;
import org.distill4j.distill.DistilledSet;
import org.distill4j.io.Json;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
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

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        if (models < 1) {
            throw new IllegalArgumentException("--models must be positive, got " + models);
        }
        DistilledSet set = DistilledSet.read(dir);
        Map<String, Object> meta = set.meta();
        if (!(meta.get("dataset") instanceof String dataset) || !(meta.get("model") instanceof String modelName)) {
            throw new IllegalArgumentException(dir.resolve("meta.json") + ": needs 'dataset' and 'model'");
        }
        Models.checkName(modelName);
        DataSets.checkNameOrPath(dataset);
        // The device is probed once the input is known to be good, so that bad input gets exactly one line.
        String note = common.apply();
        if (note != null) {
            progress.line(note);
        }
        DistillData data = DistillData.load(dataset, common.data, DistillData.normOf(meta));
        Model m = Models.byName(modelName, data.train.imageShape(), data.train.classes());
        DistillData.checkModel(m, data.train);
        int[] shape = set.images().shape();
        if (!java.util.Arrays.equals(java.util.Arrays.copyOfRange(shape, 2, 5), m.inputShape())) {
            throw new IllegalArgumentException("distilled images " + org.distill4j.tensor.Shape.str(shape)
                    + " do not fit model " + m.name() + " " + org.distill4j.tensor.Shape.str(m.inputShape()));
        }
        boolean fixed = "fixed".equals(meta.get("init"));
        long seed = meta.get("seed") instanceof Number n ? n.longValue() : 0;
        int nNets = meta.get("n_nets") instanceof Number n ? n.intValue() : 1;
        Params[] inits = DistilledEvaluation.evaluationInits(m, fixed, seed, fixed ? nNets : models, DType.F32);
        progress.line("evaluating " + dir + " on " + Progress.count(inits.length, "network"));
        Map<String, Object> row = DistillData.evaluate("dataset distillation", m, set, data.test, inits, trainEpochs, seed);
        out.print(DistillData.table(List.of(row), fixed ? "fixed init" : Progress.count(inits.length, "random init")));
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("dir", dir.toString());
            o.put("results", row);
            out.println(Json.write(o));
        }
        out.flush();
        return 0;
    }
}
