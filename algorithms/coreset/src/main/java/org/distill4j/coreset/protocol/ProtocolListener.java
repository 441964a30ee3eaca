package org.distill4j.coreset.protocol;

import java.io.IOException;
import java.util.List;
import org.distill4j.train.TrainListener;

/**
 * What a {@link CoresetProtocol} run reports as it goes; every method defaults to doing nothing.
 * With more than one job, the per-run methods are called from the jobs' threads, side by side.
 */
public interface ProtocolListener {
    /** The folder is ready and {@code results} holds the rows found there (none for a new folder); nothing is made yet. */
    default void onStart(ProtocolResults results) {
    }

    /** Seed {@code seed} has runs to do: its selection model ({@code model}) is about to be trained. */
    default void onSeedStart(long seed, String model, List<ProtocolRun> pending) {
    }

    /** Progress of the training of seed {@code seed}'s selection model. */
    default TrainListener selectionModelTraining(long seed) {
        return TrainListener.NONE;
    }

    /**
     * Progress of the training of member {@code member} (from 0) of seed {@code seed}'s score-model
     * ensemble (GraNd's and EL2N's models, {@code epochs} epochs each).
     */
    default TrainListener scoreModelTraining(long seed, int member, int epochs) {
        return TrainListener.NONE;
    }

    /** The selection model's embeddings and softmax outputs took {@code seconds} (not counted as any method's selection). */
    default void onFeatures(long seed, double seconds) {
    }

    /** {@code run}'s method selected {@code selected} examples in {@code seconds}; training on them starts. */
    default void onSelected(ProtocolRun run, int selected, double seconds) {
    }

    /** Progress of the training on {@code run}'s selection. */
    default TrainListener training(ProtocolRun run) {
        return TrainListener.NONE;
    }

    /** {@code row} is made and written to {@code results.csv}. */
    default void onRow(ProtocolRow row) {
    }

    /** Every run of seed {@code seed} is in {@code results} (e.g. to redraw a table or a plot). */
    default void onSeedDone(long seed, ProtocolResults results) throws IOException {
    }
}
