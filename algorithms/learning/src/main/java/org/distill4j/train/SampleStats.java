package org.distill4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Accuracies (or any figures) of several runs: their mean and sample standard deviation (n - 1).
 * The sample std of one value is undefined, so it is empty rather than NaN or 0.
 */
public record SampleStats(double[] values) {
    public SampleStats {
        if (values.length == 0) {
            throw new IllegalArgumentException("statistics need at least one value");
        }
        values = values.clone();
    }

    public static SampleStats of(double... values) {
        return new SampleStats(values);
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    public int n() {
        return values.length;
    }

    public double mean() {
        double s = 0;
        for (double x : values) {
            s += x;
        }
        return s / values.length;
    }

    /** Sample standard deviation (divides by n - 1); empty for a single value, where it is undefined. */
    public OptionalDouble sampleStd() {
        if (values.length < 2) {
            return OptionalDouble.empty();
        }
        double m = mean();
        double s = 0;
        for (double x : values) {
            s += (x - m) * (x - m);
        }
        return OptionalDouble.of(Math.sqrt(s / (values.length - 1)));
    }

    /** The sample std for JSON: null where one value leaves it undefined. */
    public Double sampleStdOrNull() {
        OptionalDouble std = sampleStd();
        return std.isPresent() ? std.getAsDouble() : null;
    }

    /** As results record it: {@code mean}, {@code sample_std} (null for one value) and {@code n}. */
    public Map<String, Object> toMap() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("mean", mean());
        o.put("sample_std", sampleStdOrNull());
        o.put("n", n());
        return o;
    }
}
