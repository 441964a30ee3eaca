package org.distill4j.optim;

import java.util.Arrays;

/**
 * A learning rate as a function of the time step (an epoch or an iteration, as the caller
 * decides): constant, step decay, multi-step decay, or cosine annealing (Loshchilov and Hutter 2017).
 */
@FunctionalInterface
public interface Schedule {
    double rate(int t);

    static Schedule constant(double base) {
        return t -> base;
    }

    /** {@code base * gamma^floor(t / every)}. */
    static Schedule step(double base, int every, double gamma) {
        if (every <= 0) {
            throw new IllegalArgumentException("step schedule period must be positive, got " + every);
        }
        return t -> base * Math.pow(gamma, t / every);
    }

    /** {@code base * gamma^(number of milestones <= t)}. */
    static Schedule multiStep(double base, int[] milestones, double gamma) {
        int[] sorted = milestones.clone();
        Arrays.sort(sorted);
        return t -> {
            int passed = 0;
            for (int m : sorted) {
                if (t >= m) {
                    passed++;
                }
            }
            return base * Math.pow(gamma, passed);
        };
    }

    /** {@code min + (base - min) (1 + cos(pi t / total)) / 2}, constant at {@code min} after {@code total}. */
    static Schedule cosine(double base, int total, double min) {
        if (total <= 0) {
            throw new IllegalArgumentException("cosine schedule length must be positive, got " + total);
        }
        return t -> t >= total ? min : min + (base - min) * (1 + Math.cos(Math.PI * t / total)) / 2;
    }

    /** A schedule by name: none, step (x0.1 every third of the run), multistep (x0.1 at 50% and 75%), cosine. */
    static Schedule byName(String name, double base, int total) {
        return switch (name) {
            case "none", "constant" -> constant(base);
            case "step" -> step(base, Math.max(1, total / 3), 0.1);
            case "multistep" -> multiStep(base, new int[]{total / 2, total * 3 / 4}, 0.1);
            case "cosine" -> cosine(base, total, 0);
            default -> throw new IllegalArgumentException("unknown schedule '" + name + "'; known: none, step, multistep, cosine");
        };
    }
}
