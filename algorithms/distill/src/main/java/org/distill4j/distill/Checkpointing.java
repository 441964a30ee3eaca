package org.distill4j.distill;

import java.nio.file.Path;

/**
 * Where and how often a matching distiller (DC, MTT) saves its state, so that a run of hours can be
 * interrupted and resumed: a run that finds a checkpoint of the same method, settings and data at
 * {@code dir} continues from it (a checkpoint with other settings is refused, or with
 * {@code restart} ignored and replaced). The iteration count is not a pinned setting: a finished run
 * can be extended by resuming it with more iterations.
 *
 * @param dir          the checkpoint folder (null: no checkpoints)
 * @param everySeconds seconds between checkpoints (one is also written after the last iteration)
 * @param restart      start afresh even where a checkpoint of other settings is found
 */
public record Checkpointing(Path dir, double everySeconds, boolean restart) {
    /** No checkpoints. */
    public static final Checkpointing NONE = new Checkpointing(null, Double.POSITIVE_INFINITY, false);

    public Checkpointing {
        if (!(everySeconds > 0)) {
            throw new IllegalArgumentException("checkpoint interval must be positive, got " + everySeconds + " s");
        }
    }

    /** Checkpoints at {@code dir} every {@code minutes} minutes. */
    public static Checkpointing every(Path dir, double minutes) {
        return new Checkpointing(dir, minutes * 60, false);
    }

    public Checkpointing restarting() {
        return new Checkpointing(dir, everySeconds, true);
    }

    public boolean enabled() {
        return dir != null;
    }
}
