package org.distill4j.distill;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of a Dataset Distillation run, with the reference code's defaults: rates start at 0.02,
 * Adam (lr 0.01, betas 0.5/0.999) on images and rates, the outer rate halved every 40 epochs of
 * the real data, real batches of 1024.
 *
 * @param fixedInit  true: {@code nNets} initialisations sampled once and kept ("known init");
 *                   false: fresh Xavier-normal initialisations every iteration ("unknown init")
 * @param evalEvery  test accuracy every this many iterations (0: only at the end)
 */
public record DistillConfig(int ipc, int steps, int epochs, int iterations, int nNets, int batchReal, long seed,
                            boolean fixedInit, UnrolledTraining.Memory memory, boolean softLabels, double lr0,
                            double outerLr, int decayEpochs, double decayFactor, int evalEvery, int evalModels) {

    public DistillConfig {
        positive("ipc", ipc);
        positive("steps", steps);
        positive("epochs", epochs);
        positive("iterations", iterations);
        positive("n-nets", nNets);
        positive("batch-real", batchReal);
        positive("eval-models", evalModels);
        if (evalEvery < 0) {
            throw new IllegalArgumentException("--eval-every must be >= 0, got " + evalEvery);
        }
        if (!(lr0 > 0) || !(outerLr > 0)) {
            throw new IllegalArgumentException("learning rates must be positive, got " + lr0 + " and " + outerLr);
        }
    }

    /** The reference defaults for the given shape of run. */
    public static DistillConfig defaults(int ipc, int steps, int epochs, int iterations, boolean fixedInit) {
        return new DistillConfig(ipc, steps, epochs, iterations, 1, 1024, 0, fixedInit, UnrolledTraining.Memory.KEEP,
                false, 0.02, 0.01, 40, 0.5, 0, 3);
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException("--" + name + " must be positive, got " + v);
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ipc", ipc);
        m.put("steps", steps);
        m.put("epochs", epochs);
        m.put("iterations", iterations);
        m.put("n_nets", nNets);
        m.put("batch_real", batchReal);
        m.put("seed", seed);
        m.put("init", fixedInit ? "fixed" : "random");
        m.put("memory", memory.name().toLowerCase());
        m.put("soft_labels", softLabels);
        m.put("lr0", lr0);
        m.put("outer_lr", outerLr);
        m.put("outer_betas", new double[]{0.5, 0.999});
        m.put("decay_epochs", decayEpochs);
        m.put("decay_factor", decayFactor);
        return m;
    }
}
