package org.distill4j.train;

import java.util.List;
import org.distill4j.nn.Params;

/**
 * The outcome of a training run: final parameters, per-epoch figures, final and best test
 * accuracy, throughput, and (when recorded) the per-example correctness log.
 */
public record TrainResult(Params params, List<EpochStats> epochs, double finalTestAccuracy, double bestTestAccuracy,
                          int bestEpoch, double trainSeconds, double imagesPerSecond, CorrectnessLog correctness) {
}
