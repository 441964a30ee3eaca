package org.distill4j.train;

/** One epoch's figures; {@code testAccuracy} is NaN when no test set was given. */
public record EpochStats(int epoch, double loss, double trainAccuracy, double testAccuracy, double seconds,
                         double imagesPerSecond, double learningRate) {
}
