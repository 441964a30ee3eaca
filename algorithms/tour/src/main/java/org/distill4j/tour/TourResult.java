package org.distill4j.tour;

import java.nio.file.Path;
import java.util.List;
import org.distill4j.data.Normalization;
import org.distill4j.distill.DistillConfig;
import org.distill4j.distill.DistilledEvaluation;
import org.distill4j.distill.DistilledSet;

/**
 * What a {@link Tour} made: the reference LeNet's figures, one row per (fraction, method) in the
 * order they ran (smallest fraction first), the distilled set and its evaluation, and timings.
 *
 * @param contextSeconds the selection model's embeddings and softmax outputs, shared by every method
 *                       and counted in none of their selection times
 * @param totalSeconds   the whole call, loading the data included when the tour loaded them
 */
public record TourResult(Baseline baseline, List<CoresetRow> coresets, Distilled distilled, double contextSeconds,
                         double totalSeconds) {
    public TourResult {
        coresets = List.copyOf(coresets);
    }

    /** LeNet trained {@code epochs} epochs on all {@code examples} training images: the reference, and the selection model. */
    public record Baseline(int examples, int epochs, double testAccuracy, double trainSeconds) {
    }

    /**
     * One coreset: {@code method} chose {@code selected} examples ({@code fraction} of the training set)
     * in {@code selectionSeconds}, written to {@code file} and read back from it; a fresh LeNet trained
     * on them {@code epochs} epochs in {@code trainSeconds} tests at {@code testAccuracy} (tested in {@code testSeconds}).
     */
    public record CoresetRow(String method, double fraction, int selected, double selectionSeconds, Path file, int epochs,
                             double trainSeconds, double testAccuracy, double testSeconds) {
    }

    /**
     * The distilled images, as {@link org.distill4j.distill.UnrolledDistiller} made them with
     * {@code config} in {@code seconds}; {@code norm} is the data's normalisation (to show the images),
     * {@code evaluation} their replay on the fixed initialisation and their ordinary training
     * ({@link TourConfig#DISTILLED_TRAIN_EPOCHS} epochs), one network each.
     */
    public record Distilled(DistilledSet set, Normalization norm, DistillConfig config, DistilledEvaluation.Result evaluation,
                            double seconds) {
        public double replayAccuracy() {
            return evaluation.replay().mean();
        }

        public double ordinaryAccuracy() {
            return evaluation.ordinaryTraining().mean();
        }
    }
}
