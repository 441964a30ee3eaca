package org.distill4j.distill;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.autodiff.Autodiff;
import org.distill4j.autodiff.LossOps;
import org.distill4j.autodiff.Var;
import org.distill4j.data.Batch;
import org.distill4j.data.Dataset;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.distill.augment.Dsa;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Mode;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.optim.Sgd;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.Evaluator;
import org.distill4j.train.SampleStats;

/**
 * The evaluation protocol of the DC, DSA, DM and MTT papers (the reference code's
 * {@code evaluate_synset} and {@code epoch}): fresh networks (PyTorch's default initialisation),
 * each trained on the synthetic set alone with SGD (momentum 0.9, weight decay 5e-4, batches of
 * 256, shuffled), the rate 0.01 multiplied by 0.1 after epoch {@code epochs / 2 + 1} with a new
 * optimiser (its momentum starts again), for {@code epochs + 1} passes (the reference's
 * {@code range(Epoch + 1)}); each training batch augmented afresh (DSA with one draw per image, as
 * the reference's {@code DiffAugment(..., seed = -1)}) for DSA, DM and MTT sets; then test
 * accuracy. Mean and sample standard deviation over the networks.
 *
 * <p>{@link Config#forMethod} picks what the reference picks for ConvNet-3 on Fashion-MNIST: DSA
 * augmentation and 1000 epochs for DSA, DM and MTT sets; none and 300 epochs for DC (and Wang et
 * al.'s) sets ({@code get_daparam} returns strategy 'none' there). The reference evaluates 20
 * networks per set; the default here is 5.
 */
public final class SyntheticSetEvaluation {
    private static final long INITS = 41;
    private static final long SHUFFLES = 42;
    private static final long AUGMENTS = 43;

    private SyntheticSetEvaluation() {
    }

    /**
     * The protocol's settings.
     *
     * @param models       networks trained (the reference: 20; the default here 5)
     * @param epochs       the reference's {@code epoch_eval_train}; {@code epochs + 1} passes are made
     * @param lr           the reference's {@code lr_net}, multiplied by 0.1 after epoch {@code epochs / 2 + 1}
     * @param momentum     SGD momentum (0.9)
     * @param weightDecay  SGD weight decay (5e-4)
     * @param batch        the reference's {@code batch_train} (256)
     * @param augmentation applied to every training batch with a fresh seed ({@link Augmentation#NONE}: none)
     * @param seed         seed of the initialisations, shuffles and augmentations
     */
    public record Config(int models, int epochs, double lr, double momentum, double weightDecay, int batch,
                         Augmentation augmentation, long seed) {
        public Config {
            if (models < 1 || epochs < 0 || batch < 1) {
                throw new IllegalArgumentException("the protocol needs models >= 1, epochs >= 0 and batch >= 1, got "
                        + models + ", " + epochs + " and " + batch);
            }
            if (!(lr > 0) || !(momentum >= 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("the protocol needs lr > 0, momentum and weight decay >= 0");
            }
            if (augmentation == null) {
                throw new IllegalArgumentException("augmentation must be given (Augmentation.NONE for none)");
            }
        }

        /** What the reference does for a set made by {@code method} (ConvNet-3, Fashion-MNIST): see the class comment. */
        public static Config forMethod(DistillMethod method) {
            return method.evaluatedWithDsa()
                    ? new Config(5, 1000, 0.01, 0.9, 5e-4, 256, Dsa.defaults().perImage(), 0)
                    : new Config(5, 300, 0.01, 0.9, 5e-4, 256, Augmentation.NONE, 0);
        }

        public Config withModels(int m) {
            return new Config(m, epochs, lr, momentum, weightDecay, batch, augmentation, seed);
        }

        public Config withEpochs(int e) {
            return new Config(models, e, lr, momentum, weightDecay, batch, augmentation, seed);
        }

        public Config withLr(double v) {
            return new Config(models, epochs, v, momentum, weightDecay, batch, augmentation, seed);
        }

        public Config withBatch(int b) {
            return new Config(models, epochs, lr, momentum, weightDecay, b, augmentation, seed);
        }

        public Config withAugmentation(Augmentation a) {
            return new Config(models, epochs, lr, momentum, weightDecay, batch, a, seed);
        }

        public Config withSeed(long s) {
            return new Config(models, epochs, lr, momentum, weightDecay, batch, augmentation, s);
        }

        /** The epoch after which the rate drops (the reference's {@code lr_schedule = [Epoch // 2 + 1]}). */
        public int decayEpoch() {
            return epochs / 2 + 1;
        }

        /** The settings, for JSON. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("protocol", "dc");
            m.put("models", models);
            m.put("epoch_eval_train", epochs);
            m.put("lr_net", lr);
            m.put("lr_decay", "x0.1 after epoch " + decayEpoch() + ", optimiser reset");
            m.put("momentum", momentum);
            m.put("weight_decay", weightDecay);
            m.put("batch_train", batch);
            m.put("augmentation", augmentation instanceof Dsa d ? d.toMap() : "none");
            m.put("seed", seed);
            return m;
        }
    }

    /**
     * One trained and tested network: its index from 0 (its seeds come from it), its test accuracy,
     * its training accuracy in the last pass, and its seconds.
     */
    public record Network(int index, double testAccuracy, double trainAccuracy, double seconds) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("network", index);
            m.put("test_accuracy", testAccuracy);
            m.put("train_accuracy_last_pass", trainAccuracy);
            m.put("seconds", seconds);
            return m;
        }
    }

    /** Progress: after every network, and (optionally) every epoch. */
    public interface Listener {
        /** Network {@code model} (from 1) of {@code models} is done: trained now, or recorded before ({@code seconds} then its own). */
        void onModel(int model, int models, double testAccuracy, double seconds);

        /** A network trained and tested by this call (not one recorded before): what a journal records. */
        default void onNetwork(Network network) {
        }

        default void onEpoch(int model, int epoch, int epochs, double loss, double trainAccuracy) {
        }

        Listener NONE = (model, models, acc, seconds) -> { };
    }

    /** Test accuracy of each network, their training accuracy in the last pass, and the time per network. */
    public record Result(SampleStats testAccuracy, double[] trainAccuracy, double secondsPerModel) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("test_accuracy_mean", testAccuracy.mean());
            m.put("test_accuracy_std", testAccuracy.sampleStd().orElse(Double.NaN));
            m.put("test_accuracies", testAccuracy.values());
            m.put("train_accuracies_last_pass", trainAccuracy);
            m.put("seconds_per_model", secondsPerModel);
            return m;
        }

        /** As a distilled set's results record its final evaluation: {@link #toMap} and the {@code protocol} it ran. */
        public Map<String, Object> toMap(Config protocol) {
            Map<String, Object> m = toMap();
            m.put("protocol", protocol.toMap());
            return m;
        }
    }

    /** The protocol on a saved set's images (flattened) and hard labels. */
    public static Result evaluate(Model model, DistilledSet set, Dataset test, Config cfg, Listener listener) {
        return evaluate(model, set.flatImages(), set.flatHardLabels(), test, cfg, listener);
    }

    /** The protocol on images {@code [n, C, H, W]} (normalised as {@code test}) with labels. */
    public static Result evaluate(Model model, Tensor images, int[] labels, Dataset test, Config cfg, Listener listener) {
        return evaluate(model, images, labels, test, cfg, Map.of(), listener);
    }

    /** {@link #evaluate(Model, DistilledSet, Dataset, Config, Listener)}, going on from the networks in {@code done}. */
    public static Result evaluate(Model model, DistilledSet set, Dataset test, Config cfg, Map<Integer, Network> done,
                                  Listener listener) {
        return evaluate(model, set.flatImages(), set.flatHardLabels(), test, cfg, done, listener);
    }

    /**
     * The protocol, skipping the networks in {@code done} (by index: an interrupted evaluation's
     * record, {@link EvaluationJournal}): each network's initialisation, shuffles and augmentations come
     * from the seed and its index alone, so the others are trained exactly as in an uninterrupted run.
     */
    public static Result evaluate(Model model, Tensor images, int[] labels, Dataset test, Config cfg, Map<Integer, Network> done,
                                  Listener listener) {
        Dataset train = new Dataset("synthetic", images.copy(DType.F32), labels, model.classes());
        Generator root = new Generator(cfg.seed());
        double[] acc = new double[cfg.models()];
        double[] trainAcc = new double[cfg.models()];
        double seconds = 0;
        for (int k = 0; k < cfg.models(); k++) {
            Network n = done.get(k);
            if (n == null) {
                long t0 = System.nanoTime();
                Params p = model.init(root.fork(INITS).fork(k), DType.F32);
                double trained = train(model, p, train, cfg, root, k, listener);
                n = new Network(k, Evaluator.accuracy(model, p, test), trained, (System.nanoTime() - t0) / 1e9);
                listener.onNetwork(n);
            }
            acc[k] = n.testAccuracy();
            trainAcc[k] = n.trainAccuracy();
            seconds += n.seconds();
            listener.onModel(k + 1, cfg.models(), acc[k], n.seconds());
        }
        return new Result(new SampleStats(acc), trainAcc, seconds / cfg.models());
    }

    /** Trains {@code p} in place on {@code train} as the reference's {@code evaluate_synset}; the last pass's accuracy. */
    static double train(Model model, Params p, Dataset train, Config cfg, Generator root, int k, Listener listener) {
        Generator shuffle = root.fork(SHUFFLES).fork(k);
        Generator augment = root.fork(AUGMENTS).fork(k);
        double lr = cfg.lr();
        Sgd opt = new Sgd(lr, cfg.momentum(), cfg.weightDecay(), false);
        double lastAcc = Double.NaN;
        for (int ep = 0; ep <= cfg.epochs(); ep++) {
            List<Batch> batches = train.batches(cfg.batch(), shuffle.fork(ep), false);
            double lossSum = 0;
            int correct = 0;
            int count = 0;
            for (int b = 0; b < batches.size(); b++) {
                Batch batch = batches.get(b);
                Var x = Var.constant(batch.images().to(p.dtype()));
                x = cfg.augmentation().apply(x, augment.fork(ep).fork(b).seed());
                Var logits = model.forward(p, x, Mode.TRAIN, null);
                Var loss = LossOps.crossEntropy(logits, batch.labels());
                opt.step(p, Autodiff.grad(loss, p.array()));
                int[] predicted = org.distill4j.tensor.Reduce.argmax(logits.value(), 1).toIntArray();
                int[] labels = batch.labels().toIntArray();
                for (int i = 0; i < predicted.length; i++) {
                    correct += predicted[i] == labels[i] ? 1 : 0;
                }
                lossSum += loss.item() * predicted.length;
                count += predicted.length;
            }
            lastAcc = (double) correct / Math.max(1, count);
            listener.onEpoch(k + 1, ep, cfg.epochs(), lossSum / Math.max(1, count), lastAcc);
            if (ep == cfg.decayEpoch()) {
                lr *= 0.1;
                opt = new Sgd(lr, cfg.momentum(), cfg.weightDecay(), false);
            }
        }
        return lastAcc;
    }
}
