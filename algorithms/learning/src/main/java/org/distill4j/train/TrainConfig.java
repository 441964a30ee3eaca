package org.distill4j.train;

import org.distill4j.optim.Adam;
import org.distill4j.optim.Optimizer;
import org.distill4j.optim.Schedule;
import org.distill4j.optim.Sgd;

/**
 * How to train: optimiser and its settings, epochs, batch size, learning-rate schedule (stepped
 * per epoch), seed. {@code recordCorrectness} keeps, per epoch, whether each training example
 * was classified correctly when it was last presented (the forgetting method needs it).
 */
public record TrainConfig(String optimizer, double learningRate, double momentum, double weightDecay,
                          boolean nesterov, int epochs, int batchSize, String schedule, long seed,
                          boolean recordCorrectness) {

    public TrainConfig {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (!optimizer.equals("sgd") && !optimizer.equals("adam")) {
            throw new IllegalArgumentException("unknown optimizer '" + optimizer + "'; known: sgd, adam");
        }
        Schedule.byName(schedule, learningRate, Math.max(1, epochs));
    }

    /** SGD with momentum, constant rate: the reference setting (lr 0.01, momentum 0.9, batch 128). */
    public static TrainConfig sgd(int epochs, int batchSize, double learningRate, double momentum, long seed) {
        return new TrainConfig("sgd", learningRate, momentum, 0, false, epochs, batchSize, "none", seed, false);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(optimizer, learningRate, momentum, weightDecay, nesterov, e, batchSize, schedule, seed,
                recordCorrectness);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(optimizer, learningRate, momentum, weightDecay, nesterov, epochs, batchSize, schedule, s,
                recordCorrectness);
    }

    public TrainConfig recordingCorrectness() {
        return new TrainConfig(optimizer, learningRate, momentum, weightDecay, nesterov, epochs, batchSize, schedule, seed,
                true);
    }

    Optimizer newOptimizer() {
        return optimizer.equals("adam") ? new Adam(learningRate, 0.9, 0.999, 1e-8, weightDecay)
                : new Sgd(learningRate, momentum, weightDecay, nesterov);
    }

    Schedule newSchedule() {
        return Schedule.byName(schedule, learningRate, Math.max(1, epochs));
    }
}
