package org.distill4j.coreset.adaptive;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The adaptive selection methods by command-line name, as CORDS (decile-team/cords) runs them:
 * each re-selects the subset during training from the model being trained.
 */
public enum AdaptiveMethod {
    /** The baseline: every epoch on the whole training split (the validation split held out all the same). */
    FULL("full", false, false),
    /** CRAIG per class: facility location over the current last-layer gradients, weights = cluster sizes. */
    CRAIG("craig", false, false),
    /** CRAIG over mini-batches: facility location over the batches' mean logit gradients; whole batches. */
    CRAIG_PB("craig-pb", true, false),
    /** GradMatch per class: matching pursuit of the class's gradient sum by current last-layer gradients. */
    GRADMATCH("gradmatch", false, false),
    /** GradMatch over mini-batches: matching pursuit of the full gradient by batch mean gradients; whole batches. */
    GRADMATCH_PB("gradmatch-pb", true, false),
    /** Glister: greedy one-step validation-loss reduction on the held-out validation split (CORDS's online variant). */
    GLISTER("glister", false, true),
    /** A new uniform random subset every epoch. */
    RANDOM_ONLINE("random-online", false, false),
    /** A new uniform random subset at each of the schedule's re-selections (every R epochs). */
    ADAPTIVE_RANDOM("adaptive-random", false, false);

    private final String cliName;
    private final boolean perBatch;
    private final boolean usesValidation;

    AdaptiveMethod(String cliName, boolean perBatch, boolean usesValidation) {
        this.cliName = cliName;
        this.perBatch = perBatch;
        this.usesValidation = usesValidation;
    }

    /** The command-line name, e.g. {@code gradmatch-pb}. */
    public String cliName() {
        return cliName;
    }

    /** Whether it selects whole mini-batches rather than examples. */
    public boolean perBatch() {
        return perBatch;
    }

    /** Whether it reads the held-out validation split. */
    public boolean usesValidation() {
        return usesValidation;
    }

    /** Every name, in the order above. */
    public static final List<String> NAMES = Arrays.stream(values()).map(AdaptiveMethod::cliName).toList();

    /**
     * The method called {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public static AdaptiveMethod byName(String name) {
        for (AdaptiveMethod m : values()) {
            if (m.cliName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown adaptive method '" + name + "'; known: " + String.join(", ", NAMES));
    }

    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }
}
