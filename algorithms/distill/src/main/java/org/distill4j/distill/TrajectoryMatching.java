package org.distill4j.distill;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.autodiff.Autodiff;
import org.distill4j.autodiff.GradMode;
import org.distill4j.autodiff.IndexingOps;
import org.distill4j.autodiff.LossOps;
import org.distill4j.autodiff.Var;
import org.distill4j.data.Dataset;
import org.distill4j.data.Splits;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Mode;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.optim.Sgd;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;

/**
 * Dataset distillation by matching training trajectories (MTT: Cazenavette, Wang, Torralba, Efros,
 * Zhu, CVPR 2022), as the reference's {@code distill.py}. Each iteration takes the next expert (in a
 * shuffled order), a start epoch s drawn from {@code 0 .. maxStartEpoch - 1}, and trains a student
 * from the expert's parameters at s with {@code synSteps} SGD steps on (augmented) synthetic
 * batches, at a learned rate {@code alpha}: {@code theta_{k+1} = theta_k - alpha grad l(x_k, theta_k)}.
 * The loss {@code ||theta_N - theta*_{s+M}||^2 / ||theta*_s - theta*_{s+M}||^2} (M =
 * {@code expertEpochs}) is minimised by SGD (momentum 0.5) on the images and on alpha, through all
 * N steps. With {@link UnrolledTraining.Memory#RECOMPUTE} only the N parameter vectors are kept and
 * each step's graph is rebuilt in the backward pass, so memory does not grow with the graph of N steps.
 */
public final class TrajectoryMatching {
    /** The distilled set (the learned rate as its one rate), iterations done, where it resumed, the last loss, s/iteration. */
    public record Result(DistilledSet set, int iterations, int resumedFrom, double finalLoss, double secondsPerIteration,
                         double learnedLr) {
    }

    /** One student step's synthetic batch: which images, and the augmentation's draw. */
    record Step(int[] indices, long seed) {
    }

    /** The loss of one iteration and its gradient with respect to the images and the learned rate. */
    record Gradient(double loss, Tensor images, Tensor lr) {
    }

    private TrajectoryMatching() {
    }

    /** Distils {@code data.train()} (normalised) for {@code model} with the experts of {@code experts}. */
    public static Result distill(Model model, Splits data, String dataset, TrajectoryMatchingConfig cfg,
                                 ExpertTrajectories experts, Augmentation aug, String augmentationName,
                                 Checkpointing checkpointing, DistillProgress.Listener listener) throws IOException {
        Result r = distill(model, data.train(), cfg, experts, aug, augmentationName, DType.F32, checkpointing, listener);
        Map<String, Object> meta = MatchingMeta.withData(r.set().meta(), data, dataset, cfg.seed());
        return new Result(new DistilledSet(r.set().images(), r.set().labels(), r.set().lrs(), meta), r.iterations(),
                r.resumedFrom(), r.finalLoss(), r.secondsPerIteration(), r.learnedLr());
    }

    static Result distill(Model model, Dataset train, TrajectoryMatchingConfig cfg, ExpertTrajectories experts,
                          Augmentation aug, String augmentationName, DType dtype, Checkpointing checkpointing,
                          DistillProgress.Listener listener) throws IOException {
        MatchingMeta.checkFits(model, train, cfg.ipc());
        if (experts.epochs() < cfg.epochsNeeded()) {
            throw new IllegalArgumentException("expert folder " + experts.dir() + " has " + experts.epochs()
                    + " epochs per expert; max start epoch " + cfg.maxStartEpoch() + " and expert epochs " + cfg.expertEpochs()
                    + " need " + cfg.epochsNeeded());
        }
        Map<String, Object> pinned = new LinkedHashMap<>(cfg.pinned());
        pinned.put("model", model.name());
        pinned.put("augmentation", augmentationName);
        pinned.put("experts", experts.dir().toAbsolutePath().normalize().toString());
        pinned.put("dtype", dtype.name());
        DistillCheckpoint ckpt = DistillCheckpoint.open(checkpointing, "mtt", pinned, train.fingerprint());
        int classes = train.classes();
        int n = classes * cfg.ipc();
        int batchSyn = cfg.batchSyn() == 0 ? n : Math.min(cfg.batchSyn(), n);
        Generator root = new Generator(cfg.seed());
        int[][] byClass = MatchingMeta.indicesByClass(train);
        Var images = Var.param(MatchingMeta.initImages(train, byClass, cfg.ipc(), cfg.init(), root.fork(1), dtype));
        Var synLr = Var.param(Tensor.scalar(dtype, cfg.lrTeacher()));
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i / cfg.ipc();
        }
        Params imgParams = MatchingMeta.asParams(images);
        Params lrParams = new Params(Map.of("syn_lr", synLr), Map.of());
        Sgd imgOpt = new Sgd(cfg.lrImg(), cfg.momentum(), 0, false);
        Sgd lrOpt = new Sgd(cfg.lrLr(), cfg.momentum(), 0, false);
        int first = 0;
        double lastLoss = Double.NaN;
        DistillCheckpoint.State state = ckpt.load();
        if (state != null) {
            first = Math.min(state.iteration(), cfg.iterations());
            MatchingMeta.restore(imgParams, imgOpt, state, "img.");
            MatchingMeta.restore(lrParams, lrOpt, state, "lr.");
            lastLoss = state.extra().get("loss") instanceof Number l ? l.doubleValue() : Double.NaN;
            listener.onResume(state.iteration(), ckpt.dir());
        }
        long start = System.nanoTime();
        for (int it = first; it < cfg.iterations(); it++) {
            int cycle = it / experts.experts();
            int expert = root.fork(5).fork(cycle).permutation(experts.experts())[it % experts.experts()];
            int startEpoch = root.fork(6).fork(it).nextInt(cfg.maxStartEpoch());
            Params from = cast(experts.epoch(expert, startEpoch), dtype);
            Params target = cast(experts.epoch(expert, startEpoch + cfg.expertEpochs()), dtype);
            Step[] plan = plan(n, batchSyn, cfg.synSteps(), root.fork(7).fork(it));
            Gradient g = gradient(model, images, labels, synLr, from, target, plan, aug, cfg.memory());
            double before = synLr.item();
            imgOpt.step(imgParams, new Tensor[]{g.images()});
            lrOpt.step(lrParams, new Tensor[]{g.lr()});
            lastLoss = g.loss();
            if (!(synLr.item() > 0) || !Double.isFinite(lastLoss)) {
                // Stop before a checkpoint keeps the broken state: the last checkpoint is the run's last good state.
                throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                        "iteration %d: the learned rate went from %.6g to %.6g (loss %.6g); a smaller --lr-lr (now %.3g) keeps it "
                                + "positive", it + 1, before, synLr.item(), lastLoss, cfg.lrLr()));
            }
            listener.onIteration(DistillProgress.of(it + 1, cfg.iterations(), lastLoss, first, start));
            if (ckpt.due(it + 1, cfg.iterations())) {
                Map<String, Tensor> s = new LinkedHashMap<>(MatchingMeta.state(imgParams, imgOpt, "img."));
                s.putAll(MatchingMeta.state(lrParams, lrOpt, "lr."));
                ckpt.save(it + 1, s, Map.of("loss", lastLoss));
                listener.onCheckpoint(it + 1, ckpt.dir());
            }
        }
        double perIt = cfg.iterations() > first ? (System.nanoTime() - start) / 1e9 / (cfg.iterations() - first) : Double.NaN;
        double lr = synLr.item();
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("iterations_done", cfg.iterations());
        results.put("resumed_from", first);
        results.put("final_loss", lastLoss);
        results.put("learned_lr", lr);
        Map<String, Object> settings = new LinkedHashMap<>(cfg.toMap());
        settings.put("experts", experts.dir().toString());
        settings.put("experts_used", experts.experts());
        Map<String, Object> meta = MatchingMeta.meta("mtt", "trajectory matching (MTT, Cazenavette et al. 2022)", model, train,
                cfg.ipc(), cfg.seed(), cfg.init(), augmentationName, settings, results);
        meta.put("lr_note", "lrs.npy holds the learned rate (syn_lr) the reference trains evaluation networks with");
        DistilledSet set = MatchingMeta.set(images.value(), Tensor.fromInts(labels, n), lr, meta);
        return new Result(set, cfg.iterations(), first, lastLoss, perIt, lr);
    }

    private static Params cast(Params p, DType dtype) {
        return p.dtype() == dtype ? p : p.map((name, v) -> Var.param(v.value().to(dtype)));
    }

    /**
     * The reference's batches: a random permutation of the n images cut into chunks of
     * {@code batch}, taken from the end ({@code indices_chunks.pop()}), a new permutation when they
     * run out; each step with its own augmentation draw.
     */
    static Step[] plan(int n, int batch, int steps, Generator gen) {
        Step[] out = new Step[steps];
        Deque<int[]> chunks = new ArrayDeque<>();
        int refill = 0;
        for (int s = 0; s < steps; s++) {
            if (chunks.isEmpty()) {
                int[] perm = gen.fork(refill++).permutation(n);
                for (int i = 0; i < n; i += batch) {
                    chunks.addLast(Arrays.copyOfRange(perm, i, Math.min(n, i + batch)));
                }
            }
            out[s] = new Step(chunks.pollLast(), gen.fork(1_000_000L + s).seed());
        }
        return out;
    }

    /**
     * The loss of training a student from {@code from} along {@code plan} at rate {@code synLr},
     * against {@code target}, and its exact gradient with respect to {@code images} and
     * {@code synLr}; both memory modes give the same numbers up to rounding.
     */
    static Gradient gradient(Model model, Var images, int[] labels, Var synLr, Params from, Params target, Step[] plan,
                             Augmentation aug, UnrolledTraining.Memory memory) {
        return memory == UnrolledTraining.Memory.KEEP
                ? keep(model, images, labels, synLr, from, target, plan, aug)
                : recompute(model, images, labels, synLr, from, target, plan, aug);
    }

    /** One student step; with {@code createGraph} the new parameters depend on the images and the rate. */
    static Params step(Model model, Params theta, Var images, int[] labels, Var synLr, Step step, Augmentation aug,
                       boolean createGraph) {
        Tensor idx = Tensor.fromInts(step.indices(), step.indices().length);
        int[] y = new int[step.indices().length];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[step.indices()[i]];
        }
        Var x;
        Var lr;
        if (createGraph) {
            x = IndexingOps.indexSelect(images, 0, idx);
            lr = synLr;
        } else {
            x = Var.constant(org.distill4j.tensor.Indexing.indexSelect(images.value(), 0, idx));
            lr = Var.constant(synLr.value());
        }
        x = aug.apply(x, step.seed());
        Var loss = LossOps.crossEntropy(model.forward(theta, x, Mode.TRAIN), Tensor.fromInts(y, y.length));
        Var[] g = Autodiff.grad(loss, createGraph, theta.array());
        int[] i = {0};
        try (GradMode.Scope scope = GradMode.enabled(createGraph)) {
            return theta.map((name, p) -> p.sub(g[i[0]++].mul(lr)));
        }
    }

    /** {@code sum ||theta - target||^2 / sum ||from - target||^2} over all parameters. */
    static Var loss(Params theta, Params from, Params target) {
        double denom = 0;
        Var num = null;
        for (String name : theta.names()) {
            Tensor t = target.get(name).value();
            Tensor d = Elementwise.sub(from.get(name).value(), t);
            denom += org.distill4j.tensor.Reduce.sum(Elementwise.mul(d, d)).item();
            Var diff = theta.get(name).sub(Var.constant(t)).square().sum();
            num = num == null ? diff : num.add(diff);
        }
        if (!(denom > 0)) {
            throw new IllegalArgumentException("the expert's start and target parameters are equal: the loss is undefined");
        }
        return num.div(denom);
    }

    private static Gradient keep(Model model, Var images, int[] labels, Var synLr, Params from, Params target, Step[] plan,
                                 Augmentation aug) {
        Params theta = from.asLeaves();
        for (Step s : plan) {
            theta = step(model, theta, images, labels, synLr, s, aug, true);
        }
        Var loss = loss(theta, from, target);
        Var[] g = Autodiff.grad(new Var[]{loss}, new Var[]{images, synLr}, null, false, false);
        return new Gradient(loss.item(), g[0].value(), g[1].value());
    }

    private static Gradient recompute(Model model, Var images, int[] labels, Var synLr, Params from, Params target, Step[] plan,
                                      Augmentation aug) {
        int steps = plan.length;
        Params[] saved = new Params[steps + 1];
        saved[0] = from.asLeaves();
        for (int t = 0; t < steps; t++) {
            saved[t + 1] = step(model, saved[t], images, labels, synLr, plan[t], aug, false).asLeaves();
        }
        Var loss = loss(saved[steps], from, target);
        Var[] adjoint = Autodiff.grad(loss, false, saved[steps].array());
        saved[steps] = null;
        Tensor gImages = null;
        Tensor gLr = null;
        for (int t = steps - 1; t >= 0; t--) {
            Params theta = saved[t];
            saved[t] = null;
            Var[] next = step(model, theta, images, labels, synLr, plan[t], aug, true).array();
            Var[] thetaVars = theta.array();
            int p = thetaVars.length;
            Var[] inputs = Arrays.copyOf(thetaVars, p + 2);
            inputs[p] = images;
            inputs[p + 1] = synLr;
            Var[] g = Autodiff.grad(next, inputs, adjoint, false, false);
            adjoint = Arrays.copyOf(g, p);
            gImages = gImages == null ? g[p].value() : Elementwise.add(gImages, g[p].value());
            gLr = gLr == null ? g[p + 1].value() : Elementwise.add(gLr, g[p + 1].value());
        }
        return new Gradient(loss.item(), gImages, gLr);
    }
}
