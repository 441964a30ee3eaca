package org.distill4j.train;

import java.util.ArrayList;
import java.util.List;
import org.distill4j.data.Dataset;
import org.distill4j.data.WeightedSubset;
import org.distill4j.nn.Model;

/**
 * Fresh models trained on a (weighted) subset from several seeds, and the mean and sample std of
 * their final and best test accuracy: how the coreset literature reports a selection.
 *
 * <pre>{@code
 * MultiSeedTraining.Result r = MultiSeedTraining.run(model, data.train(), subset, data.test(),
 *         new MultiSeedTraining.Config(TrainConfig.sgd(200, 128, 0.01, 0.9, 0), 3), MultiSeedTraining.Listeners.NONE);
 * r.finalAccuracy().mean();
 * }</pre>
 */
public final class MultiSeedTraining {
    /**
     * @param training how each model is trained; its seed is the first run's
     * @param seeds    number of models, trained with seeds {@code training.seed()}, {@code training.seed() + 1}, ...
     */
    public record Config(TrainConfig training, int seeds) {
        public Config {
            if (seeds < 1) {
                throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
            }
            if (training.epochs() < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + training.epochs());
            }
        }
    }

    /** One model's run: its seed, and its test accuracy after the last epoch and at its best epoch. */
    public record SeedRun(long seed, double finalAccuracy, double bestAccuracy) {
    }

    /** Every run, the statistics over them, and the wall-clock seconds of all the training. */
    public record Result(List<SeedRun> runs, SampleStats finalAccuracy, SampleStats bestAccuracy, double seconds) {
        public Result {
            runs = List.copyOf(runs);
        }

        /** As results record it: per-seed accuracies, their means and sample stds (null for one run), the training time. */
        public java.util.Map<String, Object> toMap() {
            java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
            o.put("final_accuracy", runs.stream().map(SeedRun::finalAccuracy).toList());
            o.put("best_accuracy", runs.stream().map(SeedRun::bestAccuracy).toList());
            o.put("final_mean", finalAccuracy.mean());
            o.put("final_sample_std", finalAccuracy.sampleStdOrNull());
            o.put("best_mean", bestAccuracy.mean());
            o.put("best_sample_std", bestAccuracy.sampleStdOrNull());
            o.put("train_seconds", seconds);
            return o;
        }
    }

    /** Makes the listener for one run (progress); {@code run} counts from 0. */
    public interface Listeners {
        TrainListener forSeed(int run, long seed);

        Listeners NONE = (run, seed) -> TrainListener.NONE;
    }

    private MultiSeedTraining() {
    }

    public static Result run(Model model, Dataset train, WeightedSubset subset, Dataset test, Config cfg, Listeners listeners) {
        subset.checkAgainst(train);
        int n = cfg.seeds();
        List<SeedRun> runs = new ArrayList<>(n);
        double[] fin = new double[n];
        double[] best = new double[n];
        long start = System.nanoTime();
        for (int r = 0; r < n; r++) {
            long seed = cfg.training().seed() + r;
            TrainResult tr = Trainer.train(model, train, subset, test, cfg.training().withSeed(seed), listeners.forSeed(r, seed));
            fin[r] = tr.finalTestAccuracy();
            best[r] = tr.bestTestAccuracy();
            runs.add(new SeedRun(seed, fin[r], best[r]));
        }
        return new Result(runs, new SampleStats(fin), new SampleStats(best), (System.nanoTime() - start) / 1e9);
    }
}
