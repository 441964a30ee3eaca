package org.distill4j.cli;

import org.distill4j.data.Dataset;
import org.distill4j.data.WeightedSubset;
import org.distill4j.nn.Model;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainListener;
import org.distill4j.train.TrainResult;
import org.distill4j.train.Trainer;

/** Fresh models trained on a (weighted) subset from several seeds, and the mean and spread of their test accuracy. */
final class SubsetTraining {
    /** Per seed: final and best test accuracy. */
    record Result(double[] finalAccuracy, double[] bestAccuracy, double seconds) {
        double finalMean() {
            return mean(finalAccuracy);
        }

        double finalSampleStd() {
            return sampleStd(finalAccuracy);
        }

        double bestMean() {
            return mean(bestAccuracy);
        }

        double bestSampleStd() {
            return sampleStd(bestAccuracy);
        }
    }

    /** Makes the listener for one seed's run (progress). */
    interface Listeners {
        TrainListener forSeed(int run, long seed);
    }

    private SubsetTraining() {
    }

    /** Trains with seeds {@code cfg.seed()}, {@code cfg.seed() + 1}, ... ({@code seeds} runs). */
    static Result run(Model model, Dataset train, WeightedSubset subset, Dataset test, TrainConfig cfg, int seeds,
                      Listeners listeners) {
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        }
        subset.checkAgainst(train);
        double[] fin = new double[seeds];
        double[] best = new double[seeds];
        long start = System.nanoTime();
        for (int r = 0; r < seeds; r++) {
            long seed = cfg.seed() + r;
            TrainResult tr = Trainer.train(model, train, subset, test, cfg.withSeed(seed), listeners.forSeed(r, seed));
            fin[r] = tr.finalTestAccuracy();
            best[r] = tr.bestTestAccuracy();
        }
        return new Result(fin, best, (System.nanoTime() - start) / 1e9);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (n - 1); NaN for a single value, where it is undefined. */
    static double sampleStd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** {@code std} formatted by {@code format}, or "-" where it is undefined (one value). */
    static String formatStd(String format, double std) {
        return Double.isNaN(std) ? "-" : String.format(java.util.Locale.ROOT, format, std);
    }

    /** {@code std} for JSON: null where it is undefined (one value). */
    static Double jsonStd(double std) {
        return Double.isNaN(std) ? null : std;
    }
}
