package org.distill4j.train;

import java.util.List;
import org.distill4j.nn.Params;

/**
 * The outcome of a training run: final parameters, per-epoch figures, final and best test
 * accuracy, throughput, and (when recorded) the per-example correctness log.
 */
public record TrainResult(Params params, List<EpochStats> epochs, double finalTestAccuracy, double bestTestAccuracy,
                          int bestEpoch, double trainSeconds, double imagesPerSecond, CorrectnessLog correctness) {
    /** As a run reports it: test_accuracy (final), best_test_accuracy, train_seconds, images_per_second. */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("test_accuracy", finalTestAccuracy);
        o.put("best_test_accuracy", bestTestAccuracy);
        o.put("train_seconds", trainSeconds);
        o.put("images_per_second", imagesPerSecond);
        return o;
    }
}
