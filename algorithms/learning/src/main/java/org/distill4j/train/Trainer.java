package org.distill4j.train;

import java.util.ArrayList;
import java.util.List;
import org.distill4j.autodiff.Autodiff;
import org.distill4j.autodiff.LossOps;
import org.distill4j.autodiff.Var;
import org.distill4j.data.Batch;
import org.distill4j.data.Dataset;
import org.distill4j.data.WeightedSubset;
import org.distill4j.kernels.BufferPool;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Mode;
import org.distill4j.nn.Params;
import org.distill4j.optim.Optimizer;
import org.distill4j.optim.Schedule;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Reduce;
import org.distill4j.tensor.Tensor;

/**
 * Mini-batch training of a {@link Model} on a data set or a weighted subset of it. With weights
 * the batch loss is {@code sum(w * l) / sum(w)} (a weighted coreset stands for the examples it
 * represents); without, the plain mean. The schedule steps once per epoch; shuffling and dropout
 * draw from generators forked from the seed, so a run is reproducible bit for bit.
 */
public final class Trainer {
    private Trainer() {
    }

    /** Trains fresh parameters drawn from {@code seed}. */
    public static TrainResult train(Model model, Dataset train, WeightedSubset subset, Dataset test, TrainConfig cfg,
                                    TrainListener listener) {
        Params params = model.init(new Generator(cfg.seed()).fork(0), DType.F32);
        return train(model, params, train, subset, test, cfg, listener);
    }

    /** Trains fresh parameters drawn from {@code seed}, each epoch on what {@code plan} chooses ({@link EpochPlan}). */
    public static TrainResult train(Model model, Dataset train, Dataset test, TrainConfig cfg, TrainListener listener,
                                    EpochPlan plan) {
        Params params = model.init(new Generator(cfg.seed()).fork(0), DType.F32);
        return train(model, params, train, null, test, cfg, listener, plan);
    }

    /** Trains {@code params} in place (they are updated by the optimiser) and returns them in the result. */
    public static TrainResult train(Model model, Params params, Dataset train, WeightedSubset subset, Dataset test,
                                    TrainConfig cfg, TrainListener listener) {
        return train(model, params, train, subset, test, cfg, listener, null);
    }

    /**
     * Trains {@code params} in place; with a {@code plan} (then {@code subset} must be null and no
     * correctness recorded), each epoch trains on the subset the plan chooses at its start, with
     * the plan's loss. Without one, exactly the run of the overloads above.
     */
    public static TrainResult train(Model model, Params params, Dataset train, WeightedSubset subset, Dataset test,
                                    TrainConfig cfg, TrainListener listener, EpochPlan plan) {
        if (plan != null && (subset != null || cfg.recordCorrectness())) {
            throw new IllegalArgumentException("an epoch plan chooses the subset itself and records no correctness");
        }
        Dataset data = train;
        double[] weights = null;
        if (subset != null) {
            subset.checkAgainst(train);
            data = subset.select(train);
            weights = subset.unweighted() ? null : subset.weights();
        }
        Generator root = new Generator(cfg.seed());
        Generator shuffle = root.fork(1);
        Generator dropout = root.fork(2);
        Optimizer opt = cfg.newOptimizer();
        Schedule schedule = cfg.newSchedule();
        BufferPool buffers = new BufferPool();
        CorrectnessLog log = cfg.recordCorrectness() ? new CorrectnessLog(cfg.epochs(), data.size()) : null;
        List<EpochStats> history = new ArrayList<>();
        double best = Double.NaN;
        int bestEpoch = -1;
        long totalNanos = 0;
        long seen = 0;
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
            if (plan != null && !plan.trains(epoch)) {
                continue;
            }
            double lr = schedule.rate(epoch);
            opt.setLearningRate(lr);
            long start = System.nanoTime();
            if (plan != null) {
                WeightedSubset s = plan.subset(epoch, params);
                data = s == null ? train : s.select(train);
            }
            double lossSum = 0;
            int correct = 0;
            int count = 0;
            List<Batch> batches = data.batches(cfg.batchSize(), shuffle, false);
            for (int b = 0; b < batches.size(); b++) {
                int[] predicted;
                int[] labels;
                int[] idx;
                double batchLoss;
                // Every tensor of the step is dead once it ends: its buffers are reused by the next
                // step (what outlives it, the optimiser's state, is allocated outside the pool).
                try (BufferPool.Step step = buffers.step()) {
                    Batch batch = batches.get(b);
                    Var x = Var.constant(batch.images().to(params.dtype()));
                    Var logits = model.forward(params, x, Mode.TRAIN, dropout);
                    Var perExample = LossOps.crossEntropyPerExample(logits, batch.labels());
                    Var loss = plan == null ? weightedMean(perExample, weights, batch.indices())
                            : plan.loss(epoch, perExample, batch.indices());
                    Var[] grads = Autodiff.grad(loss, params.array());
                    BufferPool.outside(() -> opt.step(params, grads));
                    predicted = Reduce.argmax(logits.value(), 1).toIntArray();
                    labels = batch.labels().toIntArray();
                    idx = batch.indices();
                    batchLoss = loss.item();
                }
                for (int i = 0; i < predicted.length; i++) {
                    boolean ok = predicted[i] == labels[i];
                    correct += ok ? 1 : 0;
                    if (log != null) {
                        log.set(epoch, idx[i], ok);
                    }
                }
                lossSum += batchLoss * predicted.length;
                count += predicted.length;
                double secs = (System.nanoTime() - start) / 1e9;
                listener.onBatch(epoch + 1, b + 1, batches.size(), lossSum / count, (double) correct / count,
                        count / Math.max(secs, 1e-9));
            }
            long nanos = System.nanoTime() - start;
            totalNanos += nanos;
            seen += count;
            long testStart = System.nanoTime();
            double testAcc = Double.NaN;
            if (test != null) {
                listener.onTestStart(epoch + 1);
                testAcc = Evaluator.accuracy(model, params, test);
            }
            double testSeconds = test == null ? 0 : (System.nanoTime() - testStart) / 1e9;
            if (test != null && (Double.isNaN(best) || testAcc > best)) {
                best = testAcc;
                bestEpoch = epoch + 1;
            }
            EpochStats stats = new EpochStats(epoch + 1, lossSum / Math.max(1, count), (double) correct / Math.max(1, count),
                    testAcc, nanos / 1e9, count / Math.max(nanos / 1e9, 1e-9), lr, testSeconds);
            history.add(stats);
            listener.onEpoch(stats);
        }
        double last = history.isEmpty()
                ? (test == null ? Double.NaN : Evaluator.accuracy(model, params, test))
                : history.get(history.size() - 1).testAccuracy();
        if (history.isEmpty()) {
            best = last;
        }
        return new TrainResult(params, history, last, best, bestEpoch, totalNanos / 1e9,
                seen / Math.max(totalNanos / 1e9, 1e-9), log);
    }

    /** {@code sum(w * l) / sum(w)} over the batch, or the mean when unweighted. */
    static Var weightedMean(Var perExample, double[] weights, int[] indices) {
        if (weights == null) {
            return perExample.mean();
        }
        float[] w = new float[indices.length];
        double total = 0;
        for (int i = 0; i < indices.length; i++) {
            w[i] = (float) weights[indices[i]];
            total += w[i];
        }
        Tensor wt = Tensor.fromFloats(w, w.length).to(perExample.dtype());
        return perExample.mul(Var.constant(wt)).sum().div(total);
    }
}
