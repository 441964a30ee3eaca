package org.distill4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.data.Splits;
import org.distill4j.distill.BaselineComparison;
import org.distill4j.distill.DistillConfig;
import org.distill4j.distill.DistillMethod;
import org.distill4j.distill.DistilledEvaluation;
import org.distill4j.distill.DistilledSet;
import org.distill4j.distill.HeapSampler;
import org.distill4j.distill.UnrolledDistiller;
import org.distill4j.distill.UnrolledTraining;
import org.distill4j.data.DataSets;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
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
import picocli.CommandLine.Spec;

/** {@code distill4j distill}: Dataset Distillation (Wang et al. 2018) of a data set into a few images and rates. */
@Command(name = "distill", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Learn synthetic images and per-step learning rates by differentiating through training (Wang et al. 2018).")
public final class DistillCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    ForceOption force;

    @Option(names = "--method", defaultValue = "wang2018", paramLabel = "NAME", description = "wang2018 (unrolled training), "
            + "dm (distribution matching), dc (gradient matching), dsa (dc with Siamese augmentation), mtt (trajectory matching); "
            + "dm/dc/dsa/mtt: model convnet, their reference iterations, batch-real 256 and train-epochs unless given.")
    String method;

    @Mixin
    ImageOptions image;

    @Mixin
    MatchingOptions matching;

    @Mixin
    DsaOptions dsa;

    @Mixin
    ProtocolOptions protocol;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME",
            description = "mnist, fashion-mnist, cifar10, or a path.")
    String dataset;

    @Option(names = "--model", paramLabel = "NAME", description = "mlp, lenet, convnet, alexcifarnet, resnet18 (default: lenet; dm: convnet).")
    String model;

    @Option(names = "--init", paramLabel = "MODE", description = "wang2018: fixed (one initialisation, kept) or random (fresh each iteration), default random; dm, dc, dsa, mtt: real or noise images, default real (dc/dsa: noise, as the reference).")
    String init;

    @Option(names = "--ipc", paramLabel = "N", description = "Images per class per step (default: 1; dm: 50; dc, dsa, mtt: 1).")
    Integer ipc;

    @Option(names = "--steps", defaultValue = "10", paramLabel = "N", description = "Distinct step tensors S.")
    int steps;

    @Option(names = "--epochs", defaultValue = "3", paramLabel = "N", description = "Passes over the S steps: T = steps x epochs.")
    int epochs;

    @Option(names = "--iterations", paramLabel = "N", description = "Outer iterations (default: 400; dm: 20000).")
    Integer iterations;

    @Option(names = "--n-nets", defaultValue = "1", paramLabel = "N", description = "Initialisations per iteration (gradient averaged).")
    int nNets;

    @Option(names = "--batch-real", paramLabel = "N", description = "Real images per iteration (default: 1024; dm: 256 per class).")
    Integer batchReal;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Seed of the images, initialisations and batches.")
    long seed;

    @Option(names = "--memory", defaultValue = "keep", paramLabel = "keep|recompute", description = "keep (one graph) or recompute (rebuild each step in the reverse pass).")
    String memory;

    @Option(names = "--soft-labels", description = "Learn one label distribution per image.")
    boolean softLabels;

    @Option(names = "--eval-every", paramLabel = "N", description = "Test accuracy every N iterations (default: 50, 0: at the end only; dm: 2000 with the protocol, 0: never).")
    Integer evalEvery;

    @Option(names = "--models", defaultValue = "5", paramLabel = "N", description = "Random initialisations for the final evaluation (random init).")
    int models;

    @Option(names = "--train-epochs", defaultValue = "50", paramLabel = "N", description = "Epochs of ordinary SGD training on the distilled images.")
    int trainEpochs;

    @Option(names = "--out", defaultValue = "distilled", paramLabel = "DIR", description = "The folder to write the distilled set to.")
    Path out;

    @Option(names = "--json", description = "Also print the results as one JSON object, the last line of stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        DistillMethod chosen = DistillMethod.of(method);
        if (chosen == DistillMethod.DM) {
            return new DmRun(this).call();
        }
        if (chosen != DistillMethod.WANG2018) {
            return MatchingDistill.run(chosen, this);
        }
        wang2018Defaults();
        PrintWriter stdout = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        if (!init.equals("fixed") && !init.equals("random")) {
            throw new IllegalArgumentException("--init must be fixed or random, got '" + init + "'");
        }
        if (!memory.equals("keep") && !memory.equals("recompute")) {
            throw new IllegalArgumentException("--memory must be keep or recompute, got '" + memory + "'");
        }
        DistillConfig cfg = config();
        if (models < 1 || trainEpochs < 0) {
            throw new IllegalArgumentException("--models must be >= 1 and --train-epochs >= 0, got " + models + " and " + trainEpochs);
        }
        Models.checkName(model);
        DataSets.checkNameOrPath(dataset);
        Output target = force.check(out, OutputKinds.DISTILLED_SET);
        String note = common.apply();
        if (note != null) {
            progress.line(note);
        }
        Splits data = DataSets.loadNormalized(dataset, common.data, null);
        Model m = Models.byName(model, data.train().imageShape(), data.train().classes());
        progress.line(String.format(Locale.ROOT, "distilling %s into %d x %d images for %s (%s init), T = %s, %s, memory %s",
                data.train().name(), steps, ipc * data.train().classes(), m.name(), init, Progress.count(steps * epochs, "step"),
                Progress.count(iterations, "iteration"), memory));
        long start = System.nanoTime();
        double[] secs = {0};
        // The keep mode's peak is inside the backward pass.
        HeapSampler heap = HeapSampler.start();
        DistilledSet distilled;
        try (heap) {
            distilled = UnrolledDistiller.distill(m, data, dataset, cfg, DType.F32,
                    (it, total, loss, seconds, acc) -> {
                        secs[0] += seconds;
                        double perIt = secs[0] / it;
                        double elapsed = (System.nanoTime() - start) / 1e9;
                        String figures = String.format(Locale.ROOT, "loss %.4f  %.2f s/it", loss, perIt);
                        if (!Double.isNaN(acc) || !progress.terminal() && (it == 1 || it % 10 == 0)) {
                            progress.line(String.format(Locale.ROOT, "iteration %d/%d  %s%s  ETA %s", it, total, figures,
                                    Double.isNaN(acc) ? "" : String.format(Locale.ROOT, "  test acc %.4f", acc),
                                    Progress.duration(elapsed / it * (total - it))));
                        }
                        progress.bar("distill", it, total, figures, elapsed / it * (total - it));
                    });
        }
        double perIteration = secs[0] / iterations;
        Params[] inits = DistilledEvaluation.evaluationInits(m, distilled, models);
        progress.line("evaluating on " + Progress.count(inits.length, "network"));
        DistilledEvaluation.Result evaluation = DistilledEvaluation.evaluate(m, distilled, data.test(), inits, trainEpochs, seed);
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("seconds_per_iteration", perIteration);
        more.put("peak_heap_bytes_sampled", heap.peakBytes());
        more.put("evaluation", evaluation.toMap(BaselineComparison.DISTILLED));
        // The arguments as typed, the subcommand's name first: "distill --ipc 1 ...".
        DistilledSet set = distilled.withResults(more, String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        target.writeFolder(dir -> {
            set.writeTo(dir);
            DistilledGrid.write(dir.resolve("grid.png"), set.images(), data.norm());
        });
        List<BaselineComparison.Row> rows = List.of(new BaselineComparison.Row(BaselineComparison.DISTILLED, evaluation));
        stdout.print(Figures.table(rows, Figures.initNote(cfg.fixedInit(), inits.length)));
        stdout.printf(Locale.ROOT, "%.2f s/iteration, peak heap %.0f MiB (sampled), written to %s%s%n", perIteration,
                heap.peakBytes() / 1048576.0, out, Summaries.created(target));
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("out", out.toString());
            o.put("settings", cfg.toMap());
            o.put("results", set.results());
            stdout.println(Json.write(o));
        }
        stdout.flush();
        return 0;
    }

    /** The shared flags left out take wang2018's defaults. */
    private void wang2018Defaults() {
        model = model == null ? "lenet" : model;
        init = init == null ? "random" : init;
        ipc = ipc == null ? 1 : ipc;
        iterations = iterations == null ? 400 : iterations;
        batchReal = batchReal == null ? 1024 : batchReal;
        evalEvery = evalEvery == null ? 50 : evalEvery;
    }

    /** The flags as the library's config; the rates and schedule are the reference code's defaults. */
    private DistillConfig config() {
        return DistillConfig.builder().ipc(ipc).steps(steps).epochs(epochs).iterations(iterations).nNets(nNets)
                .batchReal(batchReal).seed(seed).init(DistillConfig.Init.of(init))
                .memory(UnrolledTraining.Memory.valueOf(memory.toUpperCase(Locale.ROOT))).softLabels(softLabels)
                .evalEvery(evalEvery).build();
    }
}
