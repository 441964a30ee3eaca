package org.distill4j.spark;

import java.io.Serializable;

/**
 * One row of the data a job selects from: its id (its position in the data set, which the
 * selection file records), its label (0 when the data have none and no class balance is asked),
 * its feature vector, and optionally a given score and given class probabilities.
 */
public final class Example implements Serializable {
    private static final long serialVersionUID = 1L;

    final long id;
    final int label;
    final float[] features;
    /** NaN when not given. */
    final double score;
    /** null when not given. */
    final float[] probabilities;

    public Example(long id, int label, float[] features, double score, float[] probabilities) {
        this.id = id;
        this.label = label;
        this.features = features;
        this.score = score;
        this.probabilities = probabilities;
    }

    public long id() {
        return id;
    }

    public int label() {
        return label;
    }
}
