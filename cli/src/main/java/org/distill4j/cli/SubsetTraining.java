package org.distill4j.cli;

import org.distill4j.train.SampleStats;

/**
 * What is left of the CLI's multi-seed training (now {@link org.distill4j.train.MultiSeedTraining}):
 * the mean and sample-std helpers that the coreset-bench files still call. They go when those
 * files use {@link SampleStats} and {@link Figures}.
 */
final class SubsetTraining {
    private SubsetTraining() {
    }

    static double mean(double[] v) {
        return SampleStats.of(v).mean();
    }

    /** Sample standard deviation (n - 1); NaN for a single value, where it is undefined. */
    static double sampleStd(double[] v) {
        return SampleStats.of(v).sampleStd().orElse(Double.NaN);
    }

    /** {@code std} formatted by {@code format}, or "-" where it is undefined (one value). */
    static String formatStd(String format, double std) {
        return Double.isNaN(std) ? "-" : String.format(java.util.Locale.ROOT, format, std);
    }
}
