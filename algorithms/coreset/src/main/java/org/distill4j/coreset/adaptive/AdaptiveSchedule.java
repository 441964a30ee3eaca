package org.distill4j.coreset.adaptive;

/**
 * Which epochs of an adaptive run train on what, as CORDS's {@code AdaptiveDSSDataLoader} decides
 * it, with its warm start {@code kappa}: with {@code E} epochs and fraction {@code f}, the first
 * {@code selectAfter = int(kappa * E)} epochs are the warm start; of them the first
 * {@code warm = round(selectAfter * f)} train on the whole training split and the others are
 * skipped (no training: the warm start costs what {@code selectAfter} subset epochs would). From
 * epoch {@code selectAfter} on, every epoch trains on the subset, which is re-selected at epochs
 * {@code selectAfter}, {@code selectAfter + R}, {@code selectAfter + 2R}, ... (0-based).
 *
 * <p>Two details follow CORDS: without a warm start the first subset (epoch 0) is a uniform random
 * draw, not a selection from the untrained model; and the subset keeps its size whatever the
 * method. One differs: CORDS counts re-selections from epoch 0 ({@code (epoch - 1) % R == 0},
 * 1-based), so after a warm start of 150 epochs with R = 20 it trains on the initial random subset
 * until epoch 160; here the first subset epoch after a warm start selects from the warm model.
 */
public record AdaptiveSchedule(int epochs, double fraction, double warmStart, int selectEvery) {
    /** What one epoch does. */
    public enum Phase {
        /** The whole training split, weight 1 (warm start). */
        FULL,
        /** Nothing: skipped (warm start). */
        SKIP,
        /** The selected subset. */
        SUBSET
    }

    public AdaptiveSchedule {
        if (epochs < 1 || selectEvery < 1 || !(fraction > 0 && fraction <= 1) || !(warmStart >= 0 && warmStart < 1)) {
            throw new IllegalArgumentException("adaptive schedule needs epochs >= 1, select every >= 1, fraction in (0, 1] and"
                    + " warm start in [0, 1), got " + epochs + ", " + selectEvery + ", " + fraction + ", " + warmStart);
        }
    }

    public static AdaptiveSchedule of(AdaptiveSettings s, int epochs) {
        return new AdaptiveSchedule(epochs, s.fraction(), s.warmStart(), s.selectEvery());
    }

    /** The first subset epoch (0-based): {@code int(kappa * epochs)}. */
    public int selectAfter() {
        return (int) (warmStart * epochs);
    }

    /** The warm start's full-data epochs: {@code round(selectAfter * fraction)}, rounding half to even as Python does. */
    public int fullEpochs() {
        return (int) Math.rint(selectAfter() * fraction);
    }

    public Phase phase(int epoch) {
        if (epoch < fullEpochs()) {
            return Phase.FULL;
        }
        return epoch < selectAfter() ? Phase.SKIP : Phase.SUBSET;
    }

    /** Whether epoch {@code epoch} starts with a new subset: a subset epoch at {@code selectAfter + i * R}. */
    public boolean reselects(int epoch) {
        return phase(epoch) == Phase.SUBSET && (epoch - selectAfter()) % selectEvery == 0;
    }

    /** Whether the subset of {@code epoch} is the initial uniform draw (no warm start, epoch 0) rather than a selection. */
    public boolean initialRandom(int epoch) {
        return epoch == 0 && selectAfter() == 0;
    }
}
