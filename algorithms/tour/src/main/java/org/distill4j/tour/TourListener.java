package org.distill4j.tour;

import java.util.List;
import org.distill4j.train.TrainListener;

/**
 * What a {@link Tour} reports as it goes, in this order; every method defaults to doing nothing.
 * Stage 1 is the reference LeNet, stage 2 the coresets (per run: selected, trained, tested),
 * stage 3 the distillation.
 */
public interface TourListener {
    /** The data set is about to be loaded (only when the tour loads it). */
    default void onLoading(String dataset) {
    }

    /** The reference LeNet is about to be trained on {@code examples} images for {@code epochs} epochs. */
    default void onBaselineStart(int examples, int epochs) {
    }

    /** Progress of the reference LeNet's training. */
    default TrainListener baselineTraining() {
        return TrainListener.NONE;
    }

    default void onBaseline(TourResult.Baseline baseline) {
    }

    /** The selection model's embeddings and softmax outputs took {@code seconds}. */
    default void onSelectionContext(double seconds) {
    }

    /** {@code runs} coreset runs start: each method at each fraction, smallest fraction first; {@code subsetEpochs} up to 1%. */
    default void onCoresetsStart(List<String> methods, List<Double> fractions, int subsetEpochs, int runs) {
    }

    /** {@code run}'s method selected {@code selected} examples in {@code seconds}; training on them starts. */
    default void onSelected(TourRun run, int selected, double seconds) {
    }

    /** Progress of the training on {@code run}'s selection. */
    default TrainListener coresetTraining(TourRun run) {
        return TrainListener.NONE;
    }

    /** {@code run}'s network is trained; its test starts. */
    default void onTesting(TourRun run) {
    }

    default void onCoreset(TourRun run, TourResult.CoresetRow row) {
    }

    /** The distillation of {@code images} images over {@code iterations} iterations starts. */
    default void onDistillStart(int images, int iterations) {
    }

    /** After each distillation iteration: the outer loss, and the seconds since the distillation started. */
    default void onDistillIteration(int iteration, int iterations, double loss, double elapsedSeconds) {
    }

    /** The distilled images are made and evaluated. */
    default void onDistilled(TourResult.Distilled distilled) {
    }
}
