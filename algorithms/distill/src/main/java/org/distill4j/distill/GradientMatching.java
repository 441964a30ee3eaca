package org.distill4j.distill;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.autodiff.Autodiff;
import org.distill4j.autodiff.ElementwiseOps;
import org.distill4j.autodiff.LossOps;
import org.distill4j.autodiff.ShapeOps;
import org.distill4j.autodiff.Var;
import org.distill4j.data.Dataset;
import org.distill4j.data.Splits;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Mode;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.optim.Sgd;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Tensor;

/**
 * Dataset condensation with gradient matching (DC: Zhao, Mopuri, Bilen, ICLR 2021), and with an
 * {@link Augmentation} applied alike to the real and synthetic batches (DSA: Zhao and Bilen, ICML
 * 2021), as the reference code {@code main.py} does it. Each outer iteration takes a freshly
 * initialised network and repeats {@code outerLoop} times: for every class c, the gradient of the
 * cross-entropy with respect to every network parameter on a real batch of class c (256 images)
 * and on the class's synthetic images are compared with {@link #distance} (the paper's layer-wise
 * distance); the sum over classes is minimised by one SGD step on the images (rate 0.1, momentum
 * 0.5), differentiating through the synthetic gradient (second order); then, except after the last
 * outer step, the network is trained for {@code innerLoop} epochs on the synthetic set (rate 0.01).
 *
 * <pre>{@code
 * Splits data = DataSets.loadNormalized("fashion-mnist", null, null);
 * Model convnet = Models.byName("convnet", data.train().imageShape(), data.train().classes());
 * GradientMatching.Result r = GradientMatching.distill(convnet, data, "fashion-mnist",
 *         GradientMatchingConfig.builder().ipc(1).iterations(100).build(), Augmentation.NONE, "none",
 *         Checkpointing.every(Path.of("dc.checkpoint"), 5), DistillProgress.Listener.NONE);
 * r.set().save(Path.of("dc-ipc1"));   // ./distill4j evaluate-distilled dc-ipc1
 * }</pre>
 */
public final class GradientMatching {
    /**
     * Refuses, in one line, a model that does not take {@code train}'s images and classes, and an
     * ipc above what a class holds (what {@link #distill} and {@link TrajectoryMatching} check first).
     */
    public static void checkFits(Model model, Dataset train, int ipc) {
        MatchingMeta.checkFits(model, train, ipc);
    }

    /** The reference's {@code 0.000001} in the cosine's denominator. */
    static final double EPS = 1e-6;

    /**
     * What a run gives: the distilled set (one step of {@code ipc x classes} images, labels
     * {@code 0,..,0,1,..}, the network rate as its one rate), the iterations done in all, the
     * iteration it resumed from (0 for a fresh run), the last iteration's loss and the seconds per
     * iteration this process measured.
     */
    public record Result(DistilledSet set, int iterations, int resumedFrom, double finalLoss, double secondsPerIteration) {
    }

    private GradientMatching() {
    }

    /**
     * Distils {@code data.train()} (normalised) for {@code model}. {@code dataset} is the name or
     * path the data were loaded by, recorded with the normalisation and the provenance so that
     * {@code evaluate-distilled} finds the same data; {@code augmentationName} names the
     * augmentation in meta.json ("none" for DC).
     */
    public static Result distill(Model model, Splits data, String dataset, GradientMatchingConfig cfg, Augmentation aug,
                                 String augmentationName, Checkpointing checkpointing, DistillProgress.Listener listener)
            throws IOException {
        Result r = distill(model, data.train(), cfg, aug, augmentationName, DType.F32, checkpointing, listener);
        Map<String, Object> meta = MatchingMeta.withData(r.set().meta(), data, dataset, cfg.seed());
        return new Result(new DistilledSet(r.set().images(), r.set().labels(), r.set().lrs(), meta), r.iterations(),
                r.resumedFrom(), r.finalLoss(), r.secondsPerIteration());
    }

    /** Distils {@code train} (normalised) in {@code dtype}; meta lacks the normalisation and provenance. */
    static Result distill(Model model, Dataset train, GradientMatchingConfig cfg, Augmentation aug, String augmentationName,
                          DType dtype, Checkpointing checkpointing, DistillProgress.Listener listener) throws IOException {
        MatchingMeta.checkFits(model, train, cfg.ipc());
        String method = aug == Augmentation.NONE ? "dc" : "dsa";
        Map<String, Object> pinned = new LinkedHashMap<>(cfg.pinned());
        pinned.put("model", model.name());
        pinned.put("augmentation", augmentationName);
        pinned.put("dtype", dtype.name());
        DistillCheckpoint ckpt = DistillCheckpoint.open(checkpointing, method, pinned, train.fingerprint());
        int classes = train.classes();
        int[][] byClass = MatchingMeta.indicesByClass(train);
        Generator root = new Generator(cfg.seed());
        Var[] syn = new Var[classes];
        Tensor init = MatchingMeta.initImages(train, byClass, cfg.ipc(), cfg.init(), root.fork(1), dtype);
        for (int c = 0; c < classes; c++) {
            syn[c] = Var.param(init.slice(0, c * cfg.ipc(), (c + 1) * cfg.ipc()).contiguous().copy());
        }
        Params images = MatchingMeta.asParams(syn);
        Sgd imageOpt = new Sgd(cfg.lrImg(), cfg.momentumImg(), 0, false);
        int first = 0;
        double lastLoss = Double.NaN;
        DistillCheckpoint.State state = ckpt.load();
        if (state != null) {
            first = Math.min(state.iteration(), cfg.iterations());
            MatchingMeta.restore(images, imageOpt, state, "");
            lastLoss = state.extra().get("loss") instanceof Number n ? n.doubleValue() : Double.NaN;
            listener.onResume(state.iteration(), ckpt.dir());
        }
        Tensor[] synLabels = new Tensor[classes];
        for (int c = 0; c < classes; c++) {
            synLabels[c] = MatchingMeta.constantLabels(c, cfg.ipc());
        }
        long start = System.nanoTime();
        for (int it = first; it < cfg.iterations(); it++) {
            lastLoss = iteration(model, train, byClass, cfg, aug, syn, synLabels, images, imageOpt, root, it, dtype);
            listener.onIteration(DistillProgress.of(it + 1, cfg.iterations(), lastLoss, first, start));
            if (ckpt.due(it + 1, cfg.iterations())) {
                ckpt.save(it + 1, MatchingMeta.state(images, imageOpt, ""), Map.of("loss", lastLoss));
                listener.onCheckpoint(it + 1, ckpt.dir());
            }
        }
        double perIt = cfg.iterations() > first ? (System.nanoTime() - start) / 1e9 / (cfg.iterations() - first) : Double.NaN;
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("iterations_done", cfg.iterations());
        results.put("resumed_from", first);
        results.put("final_loss", lastLoss);
        Map<String, Object> meta = MatchingMeta.meta(method, "gradient matching (DC, Zhao et al. 2021)"
                + (method.equals("dsa") ? " with differentiable Siamese augmentation (DSA, Zhao and Bilen 2021)" : ""),
                model, train, cfg.ipc(), cfg.seed(), cfg.init(), augmentationName, cfg.toMap(), results);
        meta.put("lr_note", "lrs.npy holds the network rate (lr_net) the reference trains evaluation networks with");
        DistilledSet set = MatchingMeta.set(syn, synLabels, cfg.lrNet(), meta);
        return new Result(set, cfg.iterations(), first, lastLoss, perIt);
    }

    /** One outer iteration: a fresh network, outerLoop image updates with network training between. Returns the mean loss. */
    static double iteration(Model model, Dataset train, int[][] byClass, GradientMatchingConfig cfg, Augmentation aug, Var[] syn,
                            Tensor[] synLabels, Params images, Sgd imageOpt, Generator root, int it, DType dtype) {
        int classes = syn.length;
        Params net = model.init(root.fork(2).fork(it), dtype);
        Sgd netOpt = new Sgd(cfg.lrNet(), 0, 0, false);
        double lossSum = 0;
        for (int ol = 0; ol < cfg.outerLoop(); ol++) {
            Tensor[] grads = new Tensor[classes];
            for (int c = 0; c < classes; c++) {
                Generator g = root.fork(3).fork(it).fork(ol).fork(c);
                int[] pick = MatchingMeta.sample(byClass[c], cfg.batchReal(), g.fork(0));
                Tensor realX = Indexing.indexSelect(train.images(), 0, Tensor.fromInts(pick, pick.length)).to(dtype);
                Var loss = classLoss(model, net, syn[c], synLabels[c], realX, MatchingMeta.constantLabels(c, pick.length), aug,
                        g.fork(1).seed(), cfg.metric());
                grads[c] = Autodiff.grad(loss, syn[c])[0].value();
                lossSum += loss.item();
            }
            imageOpt.step(images, grads);
            if (ol == cfg.outerLoop() - 1) {
                break;
            }
            trainNetwork(model, net, netOpt, syn, synLabels, cfg.innerLoop(), cfg.batchTrain(), aug, root.fork(4).fork(it).fork(ol));
        }
        return lossSum / (classes * cfg.outerLoop());
    }

    /**
     * The matching loss of one class: {@code D(grad_theta l(real), grad_theta l(syn))}, with the
     * real and the synthetic batch augmented by the same draw {@code seed}; differentiable with
     * respect to {@code syn} (through the synthetic gradient, which is recorded).
     */
    static Var classLoss(Model model, Params net, Var syn, Tensor synLabels, Tensor realX, Tensor realLabels, Augmentation aug,
                         long seed, GradientMatchingConfig.Metric metric) {
        Var real = aug.apply(Var.constant(realX), seed);
        Var lossReal = LossOps.crossEntropy(model.forward(net, real, Mode.TRAIN), realLabels);
        Var[] gReal = Autodiff.grad(lossReal, false, net.array());
        for (int i = 0; i < gReal.length; i++) {
            gReal[i] = Var.constant(gReal[i].value());
        }
        Var lossSyn = LossOps.crossEntropy(model.forward(net, aug.apply(syn, seed), Mode.TRAIN), synLabels);
        Var[] gSyn = Autodiff.grad(lossSyn, true, net.array());
        return matchLoss(gSyn, gReal, metric);
    }

    /** The reference's {@code match_loss}: the distance between two lists of parameter gradients. */
    public static Var matchLoss(Var[] gSyn, Var[] gReal, GradientMatchingConfig.Metric metric) {
        if (gSyn.length != gReal.length) {
            throw new IllegalArgumentException(gSyn.length + " synthetic gradients for " + gReal.length + " real ones");
        }
        if (metric == GradientMatchingConfig.Metric.OURS) {
            Var sum = null;
            for (int i = 0; i < gSyn.length; i++) {
                if (gReal[i].rank() == 1) {
                    continue; // the reference's distance_wb returns 0 for biases and norm parameters
                }
                Var d = distance(gReal[i], gSyn[i]);
                sum = sum == null ? d : sum.add(d);
            }
            return sum != null ? sum : Var.constant(Tensor.scalar(gSyn[0].dtype(), 0));
        }
        Var[] r = new Var[gReal.length];
        Var[] s = new Var[gSyn.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = gReal[i].reshape(gReal[i].size());
            s[i] = gSyn[i].reshape(gSyn[i].size());
        }
        Var vr = ShapeOps.concat(0, r);
        Var vs = ShapeOps.concat(0, s);
        if (metric == GradientMatchingConfig.Metric.MSE) {
            return vs.sub(vr).square().sum();
        }
        return vr.mul(vs).sum().div(norm(vr.square().sum()).mul(norm(vs.square().sum())).add(EPS)).neg().add(1);
    }

    /**
     * The reference's {@code distance_wb(gwr, gws)}: the gradients as rows per output channel (4-d
     * {@code [out, in, kh, kw]} -> {@code [out, in*kh*kw]}, 3-d {@code [a, b, c]} -> {@code [a, b*c]},
     * 2-d as they are), then {@code sum over rows of 1 - <r, s> / (|r| |s| + 1e-6)}; a 1-d
     * gradient gives 0.
     */
    public static Var distance(Var gReal, Var gSyn) {
        if (!Arrays.equals(gReal.shape(), gSyn.shape())) {
            throw new IllegalArgumentException("gradients of different shapes " + Arrays.toString(gReal.shape()) + " and "
                    + Arrays.toString(gSyn.shape()));
        }
        int[] s = gReal.shape();
        if (s.length == 1) {
            return Var.constant(Tensor.scalar(gSyn.dtype(), 0));
        }
        Var r = gReal;
        Var y = gSyn;
        if (s.length > 2) {
            int rest = gReal.size() / s[0];
            r = r.reshape(s[0], rest);
            y = y.reshape(s[0], rest);
        }
        int[] last = {1};
        Var dot = r.mul(y).sum(last, false);
        Var norms = norm(r.square().sum(last, false)).mul(norm(y.square().sum(last, false))).add(EPS);
        return dot.div(norms).neg().add(1).sum();
    }

    /**
     * {@code sqrt(u)} of a sum of squares, with {@code torch.norm}'s gradient at 0, which is 0: a
     * row of zeros (a hidden unit no synthetic image activates) has norm 0 and gives no NaN.
     */
    static Var norm(Var u) {
        Tensor positive = org.distill4j.tensor.Elementwise.unary(org.distill4j.kernels.UnaryOp.STEP, u.value());
        Var safe = ElementwiseOps.where(positive, u, Var.scalar(1, u));
        return ElementwiseOps.where(positive, safe.sqrt(), Var.scalar(0, u));
    }

    /** The reference's inner loop: {@code epochs} epochs of plain SGD on the synthetic set (shuffled batches). */
    static void trainNetwork(Model model, Params net, Sgd opt, Var[] syn, Tensor[] synLabels, int epochs, int batch,
                             Augmentation aug, Generator gen) {
        Tensor[] xs = new Tensor[syn.length];
        for (int c = 0; c < syn.length; c++) {
            xs[c] = syn[c].value();
        }
        Tensor x = Indexing.concat(0, xs);
        Tensor y = Indexing.concat(0, synLabels);
        int n = x.dim(0);
        for (int e = 0; e < epochs; e++) {
            int[] perm = gen.fork(e).permutation(n);
            for (int b = 0; b * batch < n; b++) {
                int[] idx = Arrays.copyOfRange(perm, b * batch, Math.min(n, (b + 1) * batch));
                Tensor t = Tensor.fromInts(idx, idx.length);
                Var xb = aug.apply(Var.constant(Indexing.indexSelect(x, 0, t)), gen.fork(e).fork(b + 1).seed());
                Var loss = LossOps.crossEntropy(model.forward(net, Var.constant(xb.value()), Mode.TRAIN),
                        Indexing.indexSelect(y, 0, t));
                opt.step(net, Autodiff.grad(loss, net.array()));
            }
        }
    }
}
