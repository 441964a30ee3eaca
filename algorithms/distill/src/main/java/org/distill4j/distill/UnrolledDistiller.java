package org.distill4j.distill;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.data.Batch;
import org.distill4j.data.Dataset;
import org.distill4j.data.Splits;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.optim.Adam;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;

/**
 * Dataset Distillation (Wang, Zhu, Torralba, Efros 2018), Algorithm 1: learn synthetic images and
 * per-step learning rates so that T gradient steps on them, from a sampled initialisation, give
 * low loss on real data. Each outer iteration draws a real batch, computes the exact
 * hypergradient for each of {@code nNets} initialisations, averages, and takes an Adam step.
 */
public final class UnrolledDistiller {
    /** Called after every outer iteration; {@code testAccuracy} is NaN when it was not measured. */
    public interface Listener {
        void onIteration(int iteration, int iterations, double loss, double seconds, double testAccuracy);

        Listener NONE = (iteration, iterations, loss, seconds, testAccuracy) -> { };
    }

    private UnrolledDistiller() {
    }

    /**
     * Distils {@code data.train()} for {@code model}; {@code data.test()} (may be null) gives the
     * accuracy reported every {@code evalEvery} iterations. {@code dataset} is the name or path the
     * data were loaded by ({@link org.distill4j.data.DataSets#loadNormalized}); it is recorded with
     * the normalisation, so that the set can be evaluated on the same data later, and with its
     * provenance (distill4j version, seed, SHA-256 fingerprint of the training data). The settings
     * are recorded in full; {@link DistilledSet#save} adds a checksum of each array file.
     *
     * <pre>{@code
     * Splits data = DataSets.loadNormalized("fashion-mnist", null, null);
     * DistilledSet set = UnrolledDistiller.distill(lenet, data, "fashion-mnist",
     *         DistillConfig.builder().ipc(1).steps(10).build(), DType.F32, UnrolledDistiller.Listener.NONE);
     * set.save(Path.of("distilled"));   // ./distill4j evaluate-distilled distilled
     * }</pre>
     */
    public static DistilledSet distill(Model model, Splits data, String dataset, DistillConfig cfg, DType dtype,
                                       Listener listener) {
        DistilledSet set = distill(model, data.train(), data.test(), cfg, dtype, listener);
        Map<String, Object> meta = new LinkedHashMap<>(set.meta());
        meta.put("dataset", dataset);
        meta.put("normalization", DistilledSet.normalizationMeta(data.norm()));
        meta.put("provenance", DistilledSet.provenanceMeta(data.train(), cfg.seed()));
        return new DistilledSet(set.images(), set.labels(), set.lrs(), meta);
    }

    /**
     * Distils {@code train} (already normalised); the meta data lack the normalisation and
     * provenance, which the public entry point adds.
     */
    static DistilledSet distill(Model model, Dataset train, Dataset test, DistillConfig cfg, DType dtype,
                                Listener listener) {
        if (!java.util.Arrays.equals(model.inputShape(), train.imageShape()) || model.classes() != train.classes()) {
            throw new IllegalArgumentException("model " + model.name() + " takes " + org.distill4j.tensor.Shape.str(model.inputShape())
                    + " with " + model.classes() + " classes; data are " + org.distill4j.tensor.Shape.str(train.imageShape())
                    + " with " + train.classes());
        }
        Generator root = new Generator(cfg.seed());
        DistilledLeaves leaves = DistilledLeaves.init(root.fork(10), dtype, model.inputShape(), model.classes(), cfg.ipc(),
                cfg.steps(), cfg.epochs(), cfg.lr0(), cfg.softLabels());
        Params learnable = leaves.asParams();
        Adam adam = new Adam(cfg.outerLr(), 0.5, 0.999);
        Params[] kept = cfg.fixedInit() ? DistilledEvaluation.evaluationInits(model, true, cfg.seed(), cfg.nNets(), dtype) : null;
        Params[] evalInits = DistilledEvaluation.evaluationInits(model, cfg.fixedInit(), cfg.seed(),
                cfg.fixedInit() ? cfg.nNets() : cfg.evalModels(), DType.F32);
        Generator shuffle = root.fork(11);
        int epoch = 0;
        List<Batch> batches = train.batches(cfg.batchReal(), shuffle.fork(epoch), false);
        int next = 0;
        double lastAcc = Double.NaN;
        double lastLoss = Double.NaN;
        for (int it = 0; it < cfg.iterations(); it++) {
            long start = System.nanoTime();
            if (next == batches.size()) {
                epoch++;
                batches = train.batches(cfg.batchReal(), shuffle.fork(epoch), false);
                next = 0;
            }
            Batch real = batches.get(next++);
            Tensor realX = real.images().to(dtype);
            // Step decay of the outer rate, per epoch of real data (reference: StepLR(decay_epochs, decay_factor)).
            adam.setLearningRate(cfg.outerLr() * Math.pow(cfg.decayFactor(), epoch / cfg.decayEpochs()));
            Tensor[] sum = null;
            double loss = 0;
            for (int k = 0; k < cfg.nNets(); k++) {
                Params init = cfg.fixedInit() ? kept[k] : Initializations.training(model, cfg.seed(), it, k, dtype);
                UnrolledTraining.Hypergradient g = UnrolledTraining.hypergradient(model, init, leaves, realX,
                        real.labels(), cfg.memory());
                Tensor[] flat = flatten(g);
                if (sum == null) {
                    sum = flat;
                } else {
                    for (int i = 0; i < flat.length; i++) {
                        sum[i] = Elementwise.add(sum[i], flat[i]);
                    }
                }
                loss += g.loss() / cfg.nNets();
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] = Elementwise.affine(sum[i], 1.0 / cfg.nNets(), 0);
            }
            adam.step(learnable, sum);
            lastLoss = loss;
            boolean evaluate = test != null && (it + 1 == cfg.iterations()
                    || cfg.evalEvery() > 0 && (it + 1) % cfg.evalEvery() == 0);
            double acc = Double.NaN;
            double seconds = (System.nanoTime() - start) / 1e9;
            if (evaluate) {
                acc = DistilledEvaluation.replay(model, snapshot(leaves, model, train, cfg, Map.of()), test, evalInits).mean();
                lastAcc = acc;
            }
            listener.onIteration(it + 1, cfg.iterations(), loss, seconds, acc);
        }
        Map<String, Object> results = new LinkedHashMap<>();
        // In float32 the loss is a float: written as one, it has the digits it has (no 0.09910000115633011).
        results.put("final_outer_loss", dtype == DType.F32 ? (Object) (float) lastLoss : lastLoss);
        results.put("final_test_accuracy_during_training", lastAcc);
        return snapshot(leaves, model, train, cfg, results);
    }

    private static Tensor[] flatten(UnrolledTraining.Hypergradient g) {
        int n = g.images().length + g.rawLrs().length + (g.labelLogits() == null ? 0 : g.labelLogits().length);
        Tensor[] out = new Tensor[n];
        System.arraycopy(g.images(), 0, out, 0, g.images().length);
        System.arraycopy(g.rawLrs(), 0, out, g.images().length, g.rawLrs().length);
        if (g.labelLogits() != null) {
            System.arraycopy(g.labelLogits(), 0, out, g.images().length + g.rawLrs().length, g.labelLogits().length);
        }
        return out;
    }

    /** The current leaves as a {@link DistilledSet} with its meta data. */
    static DistilledSet snapshot(DistilledLeaves leaves, Model model, Dataset train, DistillConfig cfg,
                                 Map<String, Object> results) {
        int s = leaves.steps();
        Tensor[] imgs = new Tensor[s];
        Tensor[] labs = new Tensor[s];
        for (int i = 0; i < s; i++) {
            imgs[i] = leaves.images()[i].value().copy(DType.F32);
            labs[i] = leaves.soft()
                    ? org.distill4j.tensor.Softmax.softmax(leaves.labelLogits()[i].value(), 1).copy(DType.F32)
                    : leaves.hardLabels()[i];
        }
        Tensor images = org.distill4j.tensor.Indexing.stack(0, imgs);
        Tensor labels = org.distill4j.tensor.Indexing.stack(0, labs);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", "distill4j-distilled/1");
        meta.put("method", "dataset-distillation (Wang et al. 2018)");
        meta.put("dataset", train.name());
        meta.put("model", model.name());
        meta.put("classes", model.classes());
        meta.put("image_shape", model.inputShape());
        meta.put("ipc", cfg.ipc());
        meta.put("steps", cfg.steps());
        meta.put("epochs", cfg.epochs());
        meta.put("soft_labels", cfg.softLabels());
        meta.put("init", cfg.init().id());
        meta.put("init_rule", "xavier_normal, zero biases");
        meta.put("seed", cfg.seed());
        meta.put("n_nets", cfg.nNets());
        int[] order = new int[leaves.rawLrs().length];
        for (int t = 0; t < order.length; t++) {
            order[t] = t % s;
        }
        meta.put("step_order", order);
        meta.put("settings", cfg.toMap());
        meta.put("results", results);
        return new DistilledSet(images, labels, leaves.learningRates(), meta);
    }
}
