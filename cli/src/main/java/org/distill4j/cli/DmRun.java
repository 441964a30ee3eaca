package org.distill4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.distill4j.data.DataSets;
import org.distill4j.data.Normalization;
import org.distill4j.data.Splits;
import org.distill4j.distill.DistillMethod;
import org.distill4j.distill.DistilledSet;
import org.distill4j.distill.DistributionMatching;
import org.distill4j.distill.DmConfig;
import org.distill4j.distill.SyntheticSetEvaluation;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.options.Progress;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.SampleStats;

/**
 * {@code distill --method dm}: distribution matching with the reference code's defaults for every
 * flag left out, checkpoints in --out, and resuming an unfinished run found there.
 */
final class DmRun {
    private final DistillCommand cmd;

    DmRun(DistillCommand cmd) {
        this.cmd = cmd;
    }

    int call() throws Exception {
        PrintWriter stdout = cmd.spec.commandLine().getOut();
        Progress progress = new Progress(cmd.spec.commandLine().getErr());
        String modelName = cmd.model == null ? "convnet" : cmd.model;
        Models.checkName(modelName);
        DistributionMatching.checkModel(modelName);
        cmd.dsa.check();
        DmConfig cfg = config();
        DataSets.checkNameOrPath(cmd.dataset);
        Output target = cmd.force.check(cmd.out, OutputKinds.DISTILLED_SET);
        String note = cmd.common.apply();
        if (note != null) {
            progress.line(note);
        }
        Splits data = DataSets.loadNormalized(cmd.dataset, cmd.common.data, null);
        Model m = Models.byName(modelName, data.train().imageShape(), data.train().classes());
        DistributionMatching.check(m.name(), data.train(), cfg.ipc());
        progress.line(String.format(Locale.ROOT, "distribution matching: %s into %d x %d images for %s, %s, DSA %s, "
                        + "checkpoints every %s to %s", data.train().name(), cfg.ipc(), data.train().classes(), m.name(),
                Progress.count(cfg.iterations(), "iteration"), cfg.dsaStrategy(), Progress.duration(cfg.checkpointSeconds()),
                cmd.out));
        Map<String, Object> extraMeta = new LinkedHashMap<>();
        extraMeta.put("command", String.join(" ", cmd.spec.commandLine().getParseResult().originalArgs()));
        Normalization norm = data.norm();
        int classes = data.train().classes();
        DistributionMatching.Checkpointing ckpt = new DistributionMatching.Checkpointing(target, extraMeta,
                (dir, set) -> DistilledGrid.write(dir.resolve("grid.png"), byClass(set.images(), classes), norm),
                !cmd.force.force);
        long start = System.nanoTime();
        DistributionMatching.Result r = DistributionMatching.distill(m, data, cmd.dataset, cfg, DType.F32, ckpt,
                new DistributionMatching.Listener() {
                    @Override
                    public void onIteration(int it, int total, double loss, double perIt, double eta) {
                        String figures = String.format(Locale.ROOT, "loss %.4f  %.2f s/it (%.2f it/s)", loss, perIt, 1 / perIt);
                        if (!progress.terminal() && (it <= 1 || it % 10 == 0 || it == total)) {
                            progress.line(String.format(Locale.ROOT, "iteration %d/%d  %s  ETA %s", it, total, figures,
                                    Progress.duration(eta)));
                        }
                        progress.bar("dm", it, total, figures, eta);
                    }

                    @Override
                    public void onEvaluation(int it, SyntheticSetEvaluation.Result result) {
                        SampleStats s = result.testAccuracy();
                        progress.line(String.format(Locale.ROOT, "iteration %d: test accuracy %.4f%s over %s (protocol dc, %.0f s per network)",
                                it, s.mean(), ProtocolOptions.plusMinus(s), Progress.count(s.n(), "network"),
                                result.secondsPerModel()));
                    }

                    @Override
                    public void onCheckpoint(int it, Path folder) {
                        progress.line("checkpoint: iteration " + it + " written to " + folder);
                    }

                    @Override
                    public void onResume(int it) {
                        progress.line("resuming the unfinished run in " + cmd.out + " at iteration " + it);
                    }
                });
        DistilledSet set = r.set();
        stdout.printf(Locale.ROOT, "%s: %d images (%d per class), %s, %.2f s/iteration, written to %s%s%n",
                DistillMethod.DM.paper(), set.images().dim(1), cfg.ipc(), Progress.count(cfg.iterations(), "iteration"),
                r.secondsPerIteration(), cmd.out, Summaries.created(target));
        r.lastEvaluation().ifPresent(last -> stdout.printf(Locale.ROOT,
                "protocol dc at iteration %s: test accuracy %.4f +- %.4f (%d networks, %d epochs)%n", last.get("iteration"),
                ((Number) last.get("test_accuracy_mean")).doubleValue(), ((Number) last.get("test_accuracy_std")).doubleValue(),
                cfg.evaluation().models(), cfg.evaluation().epochs()));
        stdout.printf(Locale.ROOT, "%.0f s in all; resume or extend with the same command%n", (System.nanoTime() - start) / 1e9);
        if (cmd.json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("out", cmd.out.toString());
            o.putAll(r.toMap(cfg));
            stdout.println(Json.write(o));
        }
        stdout.flush();
        return 0;
    }

    /** {@code [1, classes * ipc, C, H, W]} as {@code [classes, ipc, C, H, W]}: one row of the grid per class. */
    static Tensor byClass(Tensor images, int classes) {
        int[] s = images.shape();
        return images.contiguous().reshape(classes, s[1] / classes, s[2], s[3], s[4]);
    }

    /** The flags as DM's config; flags left out take the reference's defaults. */
    private DmConfig config() {
        if (cmd.init != null) {
            DmConfig.ImageInit.of(cmd.init);
        }
        if (cmd.image.checkpointMinutes <= 0) {
            throw new IllegalArgumentException("--checkpoint-minutes must be positive, got " + cmd.image.checkpointMinutes);
        }
        DmConfig.Builder b = DmConfig.builder();
        if (cmd.ipc != null) {
            if (cmd.ipc < 1) {
                throw new IllegalArgumentException("--ipc must be >= 1, got " + cmd.ipc);
            }
            b.ipc(cmd.ipc);
        }
        if (cmd.iterations != null) {
            b.iterations(cmd.iterations);
        }
        if (cmd.batchReal != null) {
            b.batchReal(cmd.batchReal);
        }
        if (cmd.init != null) {
            b.init(DmConfig.ImageInit.of(cmd.init));
        }
        if (cmd.evalEvery != null) {
            b.evalEvery(cmd.evalEvery);
        }
        return b.lrImg(cmd.image.lrImg(1.0)).momentum(cmd.image.momentumImg).dsaStrategy(cmd.dsa.strategy).dsaParams(cmd.dsa.params())
                .augMode(cmd.dsa.mode()).seed(cmd.seed).checkpointSeconds(cmd.image.checkpointMinutes * 60)
                .evaluation(cmd.protocol.config(DistillMethod.DM, cmd.dsa)).build();
    }
}
