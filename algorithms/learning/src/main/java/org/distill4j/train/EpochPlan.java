package org.distill4j.train;

import org.distill4j.autodiff.Var;
import org.distill4j.data.WeightedSubset;
import org.distill4j.nn.Params;

/**
 * What each epoch of a {@link Trainer} run trains on, decided at the epoch's start from the model
 * as it is then, and how each batch's loss is formed: the hook of adaptive coreset selection
 * (CRAIG, GradMatch, Glister re-selecting every few epochs) and of dynamic pruning (InfoBatch,
 * which also reads every example's loss). A plan keeps state across epochs; use one per run.
 *
 * <p>The trainer calls, per epoch: {@link #trains}; then, inside the epoch's timed training pass (so
 * that the time a selection takes is counted in the epoch's seconds), {@link #subset}; then, for
 * each batch, {@link #loss}.
 */
public interface EpochPlan {
    /**
     * Whether epoch {@code epoch} (0-based) trains at all. An epoch that does not is skipped
     * whole: no steps, no test pass, no {@link EpochStats}; the learning-rate schedule still counts
     * it (CORDS's warm start skips epochs so that its full-data epochs cost what subset epochs would).
     */
    default boolean trains(int epoch) {
        return true;
    }

    /**
     * The examples of the training set epoch {@code epoch} (0-based) trains on, with their
     * weights, or null for the whole training set. {@code params} are the live parameters, as
     * trained so far: read them, do not change them.
     */
    WeightedSubset subset(int epoch, Params params);

    /**
     * The loss to minimise on one batch of the epoch's subset.
     *
     * @param perExample the unweighted cross-entropy of each example of the batch, {@code [B]}
     * @param positions  the batch's positions in the subset {@link #subset} returned for this epoch
     *                   (in the whole training set when it returned null)
     */
    Var loss(int epoch, Var perExample, int[] positions);

    /** {@code sum(w * l) / sum(w)} over the batch, or the plain mean when {@code weights} is null: the trainer's own loss. */
    static Var weightedMean(Var perExample, double[] weights, int[] positions) {
        return Trainer.weightedMean(perExample, weights, positions);
    }
}
