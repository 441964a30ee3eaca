package org.distill4j.train;

/** Progress callbacks; the CLI turns them into a progress bar. Both default to doing nothing. */
public interface TrainListener {
    /** After each batch: 1-based epoch and batch, running mean loss and accuracy of the epoch so far. */
    default void onBatch(int epoch, int batch, int batches, double loss, double accuracy, double imagesPerSecond) {
    }

    default void onEpoch(EpochStats stats) {
    }

    TrainListener NONE = new TrainListener() {
    };
}
