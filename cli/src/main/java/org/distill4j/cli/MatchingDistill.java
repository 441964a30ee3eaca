package org.distill4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.distill4j.data.DataSets;
import org.distill4j.data.Splits;
import org.distill4j.distill.Checkpointing;
import org.distill4j.distill.DistillMethod;
import org.distill4j.distill.DistillProgress;
import org.distill4j.distill.DistilledSet;
import org.distill4j.distill.ExpertTrajectories;
import org.distill4j.distill.GradientMatching;
import org.distill4j.distill.GradientMatchingConfig;
import org.distill4j.distill.HeapSampler;
import org.distill4j.distill.ImageInit;
import org.distill4j.distill.TrajectoryMatching;
import org.distill4j.distill.TrajectoryMatchingConfig;
import org.distill4j.distill.UnrolledTraining;
import org.distill4j.distill.SyntheticSetEvaluation;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.options.Progress;
import org.distill4j.train.SampleStats;
import picocli.CommandLine.ParseResult;

/**
 * {@code distill --method dc|dsa|mtt}: gradient matching and trajectory matching from the command
 * line, with {@link DistillCommand}'s shared flags (data set, model, ipc, iterations, seed, output,
 * models and epochs of the final evaluation) and {@link MatchingOptions}. Shared flags whose
 * Wang et al. default does not fit take the method's reference default when not given.
 */
final class MatchingDistill {
    private MatchingDistill() {
    }

    static int run(DistillMethod method, DistillCommand c) throws Exception {
        MatchingOptions o = c.matching;
        ParseResult given = c.spec.commandLine().getParseResult();
        PrintWriter stdout = c.spec.commandLine().getOut();
        Progress progress = new Progress(c.spec.commandLine().getErr());
        String modelName = given.hasMatchedOption("--model") ? c.model : "convnet";
        int ipc = c.ipc == null ? 1 : c.ipc;
        boolean mtt = method == DistillMethod.MTT;
        int iterations = given.hasMatchedOption("--iterations") ? c.iterations : mtt ? 5000 : 1000;
        int batchReal = given.hasMatchedOption("--batch-real") ? c.batchReal : 256;
        int trainEpochs = given.hasMatchedOption("--train-epochs") ? c.trainEpochs : mtt ? 1000 : 300;
        ImageInit init = c.init != null ? ImageInit.of(c.init) : mtt ? ImageInit.REAL : ImageInit.NOISE;
        String memory = given.hasMatchedOption("--memory") ? c.memory : "recompute";
        if (!memory.equals("keep") && !memory.equals("recompute")) {
            throw new IllegalArgumentException("--memory must be keep or recompute, got '" + memory + "'");
        }
        if (c.models < 1 || trainEpochs < 0) {
            throw new IllegalArgumentException("--models must be >= 1 and --train-epochs >= 0, got " + c.models + " and " + trainEpochs);
        }
        if (!(c.image.checkpointMinutes > 0)) {
            throw new IllegalArgumentException("--checkpoint-minutes must be positive, got " + c.image.checkpointMinutes);
        }
        if (method == DistillMethod.DC && given.hasMatchedOption("--dsa-strategy")) {
            throw new IllegalArgumentException("--dsa-strategy is for --method dsa and mtt; dc matches without augmentation");
        }
        GradientMatchingConfig dc = null;
        TrajectoryMatchingConfig tm = null;
        if (mtt) {
            if (o.experts == null) {
                throw new IllegalArgumentException("--method mtt needs --experts DIR (made by 'distill4j experts')");
            }
            tm = TrajectoryMatchingConfig.builder().ipc(ipc).iterations(iterations).synSteps(o.synSteps)
                    .expertEpochs(o.expertEpochs).maxStartEpoch(o.maxStartEpoch).lrImg(c.image.lrImg(1000))
                    .lrLr(o.lrLr).lrTeacher(o.lrTeacher).batchSyn(o.batchSyn).init(init)
                    .memory(UnrolledTraining.Memory.valueOf(memory.toUpperCase(Locale.ROOT))).seed(c.seed).build();
        } else {
            dc = GradientMatchingConfig.builder().ipc(ipc).iterations(iterations).outerLoop(o.outerLoop).innerLoop(o.innerLoop)
                    .lrImg(c.image.lrImg(0.1)).momentumImg(c.image.momentumImg).lrNet(c.protocol.lrNet).batchReal(batchReal)
                    .batchTrain(c.protocol.batchTrain)
                    .init(init).metric(GradientMatchingConfig.Metric.of(o.disMetric)).seed(c.seed).build();
        }
        Models.checkName(modelName);
        DataSets.checkNameOrPath(c.dataset);
        Output target = c.force.check(c.out, OutputKinds.DISTILLED_SET);
        Path ckptDir = o.checkpoint != null ? o.checkpoint : c.out.resolveSibling(c.out.getFileName() + ".checkpoint");
        Checkpointing checkpointing = Checkpointing.every(ckptDir, c.image.checkpointMinutes);
        if (c.force.force) {
            checkpointing = checkpointing.restarting();
        }
        Output.check(ckptDir, OutputKinds.DISTILL_CHECKPOINT, false);
        if (mtt) {
            ExpertTrajectories.precheck(o.experts, modelName, c.dataset);
        }
        Augmentation aug = method == DistillMethod.DC ? Augmentation.NONE : c.dsa.augmentation(!mtt);
        String augName = method == DistillMethod.DC ? "none" : c.dsa.recordedName();
        SyntheticSetEvaluation.Config protocol = c.protocol.config(method, c.dsa);
        protocol = new SyntheticSetEvaluation.Config(given.hasMatchedOption("--models") ? c.models : protocol.models(),
                given.hasMatchedOption("--train-epochs") ? trainEpochs : protocol.epochs(), protocol.lr(), protocol.momentum(),
                protocol.weightDecay(), protocol.batch(), protocol.augmentation(), protocol.seed());
        // The note (which device) is shown once the data have passed their checks, so that bad input gets one line.
        String note = c.common.apply();
        Splits data = DataSets.loadNormalized(c.dataset, c.common.data, null);
        Model m = Models.byName(modelName, data.train().imageShape(), data.train().classes());
        Models.checkInput(m, data.train().imageShape());
        GradientMatching.checkFits(m, data.train(), ipc);
        ExpertTrajectories experts = mtt ? ExpertTrajectories.open(o.experts, m, data.train()) : null;
        if (mtt) {
            if (experts.epochs() < tm.epochsNeeded()) {
                throw new IllegalArgumentException("expert folder " + o.experts + " has " + experts.epochs()
                        + " epochs per expert; --max-start-epoch " + tm.maxStartEpoch() + " and --expert-epochs "
                        + tm.expertEpochs() + " need " + tm.epochsNeeded());
            }
        }
        // What is said before the work, said once the checkpoint has been accepted (at the first report), so that a
        // refused checkpoint is the one line.
        String shape = mtt ? String.format(Locale.ROOT, ", %d experts, syn-steps %d, memory %s", experts.experts(), tm.synSteps(),
                memory) : String.format(Locale.ROOT, ", loops %d/%d", dc.outerLoop(), dc.innerLoop());
        Runnable intro = () -> {
            if (note != null) {
                progress.line(note);
            }
            progress.line(String.format(Locale.ROOT, "%s: distilling %s into %d x %d images for %s, %s%s",
                    method.id(), data.train().name(), ipc, data.train().classes(), m.name(), Progress.count(iterations, "iteration"),
                    shape));
        };
        boolean[] introduced = {false};
        HeapSampler heap = HeapSampler.start();
        DistillProgress.Listener listener = new DistillProgress.Listener() {
            private void introduce() {
                if (!introduced[0]) {
                    introduced[0] = true;
                    intro.run();
                }
            }

            @Override
            public void onIteration(DistillProgress p) {
                introduce();
                String figures = String.format(Locale.ROOT, "loss %.4f  %.3f it/s", p.loss(), p.iterationsPerSecond());
                if (!progress.terminal() && (p.iteration() == 1 || p.iteration() % 10 == 0 || p.iteration() == p.iterations())) {
                    progress.line(String.format(Locale.ROOT, "iteration %d/%d  %s  ETA %s", p.iteration(), p.iterations(), figures,
                            Progress.duration(p.etaSeconds())));
                }
                progress.bar(method.id(), p.iteration(), p.iterations(), figures, p.etaSeconds());
            }

            @Override
            public void onResume(int iteration, Path checkpoint) {
                introduce();
                progress.line("resuming " + checkpoint + " after iteration " + iteration);
            }

            @Override
            public void onCheckpoint(int iteration, Path checkpoint) {
                if (!progress.terminal()) {
                    progress.line("checkpoint " + checkpoint + " at iteration " + iteration);
                }
            }
        };
        DistilledSet distilled;
        double perIt;
        int resumedFrom;
        try (heap) {
            if (mtt) {
                TrajectoryMatching.Result r = TrajectoryMatching.distill(m, data, c.dataset, tm, experts, aug, augName,
                        checkpointing, listener);
                distilled = r.set();
                perIt = r.secondsPerIteration();
                resumedFrom = r.resumedFrom();
            } else {
                GradientMatching.Result r = GradientMatching.distill(m, data, c.dataset, dc, aug, augName, checkpointing,
                        listener);
                distilled = r.set();
                perIt = r.secondsPerIteration();
                resumedFrom = r.resumedFrom();
            }
        }
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("seconds_per_iteration", perIt);
        more.put("peak_heap_bytes_sampled", heap.peakBytes());
        SampleStats acc = null;
        if (protocol.epochs() > 0) {
            progress.line(String.format(Locale.ROOT, "evaluating (protocol dc): %s trained %d epochs on the images, augmentation %s",
                    Progress.count(protocol.models(), "network"), protocol.epochs(),
                    protocol.augmentation() == Augmentation.NONE ? "none" : "DSA"));
            SyntheticSetEvaluation.Result ev = SyntheticSetEvaluation.evaluate(m, distilled, data.test(), protocol,
                    SyntheticSetEvaluation.Listener.NONE);
            acc = ev.testAccuracy();
            more.put("evaluation", ev.toMap(protocol));
        }
        DistilledSet set = distilled.withResults(more, String.join(" ", given.originalArgs()));
        target.writeFolder(dir -> {
            set.writeTo(dir);
            DistilledGrid.write(dir.resolve("grid.png"), set.images(), data.norm());
        });
        if (acc != null) {
            stdout.printf(Locale.ROOT, "test accuracy %.4f (sample std %s) over %s%n", acc.mean(),
                    Figures.std("%.4f", acc.sampleStd()), Progress.count(acc.n(), "network"));
        }
        stdout.printf(Locale.ROOT, "%s%.2f s/iteration, peak heap %.0f MiB (sampled), written to %s%s%n",
                resumedFrom > 0 ? "resumed after iteration " + resumedFrom + ", " : "", perIt, heap.peakBytes() / 1048576.0, c.out,
                Summaries.created(target));
        if (c.json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("out", c.out.toString());
            out.put("method", method.id());
            out.put("settings", mtt ? tm.toMap() : dc.toMap());
            out.put("results", set.results());
            stdout.println(Json.write(out));
        }
        stdout.flush();
        return 0;
    }
}
