package org.distill4j.train;

/** Progress callbacks; the CLI turns them into a progress bar. All default to doing nothing. */
public interface TrainListener {
    /** After each batch: 1-based epoch and batch, running mean loss and accuracy of the epoch so far. */
    default void onBatch(int epoch, int batch, int batches, double loss, double accuracy, double imagesPerSecond) {
    }

    /** After an epoch's training pass, before its test pass (only when there is a test set). */
    default void onTestStart(int epoch) {
    }

    /** After the epoch's test pass, or its training pass when there is no test set. */
    default void onEpoch(EpochStats stats) {
    }

    TrainListener NONE = new TrainListener() {
    };
}
