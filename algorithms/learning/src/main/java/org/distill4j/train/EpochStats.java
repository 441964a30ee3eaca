package org.distill4j.train;

/**
 * One epoch's figures; {@code testAccuracy} is NaN when no test set was given. {@code seconds} is the
 * training pass alone; {@code testSeconds} the test pass after it (0 without a test set).
 */
public record EpochStats(int epoch, double loss, double trainAccuracy, double testAccuracy, double seconds,
                         double imagesPerSecond, double learningRate, double testSeconds) {
}
