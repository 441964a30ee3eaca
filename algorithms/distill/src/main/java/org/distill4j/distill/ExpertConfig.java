package org.distill4j.distill;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of the expert trajectories of trajectory matching (MTT). {@link #builder()} holds the
 * reference code's defaults (GeorgeCazenavette/mtt-distillation {@code buffer.py}): 100 experts,
 * 50 epochs each, SGD with rate 0.01, no momentum, no weight decay, batches of 256, no rate decay
 * (with {@code decay}, the rate drops to a tenth after epoch {@code epochs / 2 + 1}, as there).
 *
 * @param experts     networks trained (each from its own initialisation and shuffles)
 * @param epochs      epochs per expert: E + 1 parameter snapshots (the start and after every epoch)
 * @param lr          SGD rate ({@code lr_teacher})
 * @param momentum    SGD momentum ({@code mom})
 * @param weightDecay SGD weight decay ({@code l2})
 * @param batchTrain  batch size
 * @param decay       a tenth of the rate after epoch {@code epochs / 2 + 1}
 * @param seed        seed of the initialisations, shuffles and augmentations
 */
public record ExpertConfig(int experts, int epochs, double lr, double momentum, double weightDecay, int batchTrain,
                           boolean decay, long seed) {

    public ExpertConfig {
        if (experts < 1 || epochs < 1 || batchTrain < 1) {
            throw new IllegalArgumentException("experts, epochs and batch must be >= 1, got " + experts + ", " + epochs + " and "
                    + batchTrain);
        }
        if (!(lr > 0) || !Double.isFinite(lr) || !(momentum >= 0) || !(momentum < 1) || !(weightDecay >= 0)
                || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("expert rate must be positive, momentum in [0, 1) and weight decay >= 0, got "
                    + lr + ", " + momentum + " and " + weightDecay);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The settings an expert folder pins (all but the number of experts, which a rerun may raise). */
    public Map<String, Object> pinned() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", epochs);
        m.put("lr_teacher", lr);
        m.put("momentum", momentum);
        m.put("l2", weightDecay);
        m.put("batch_train", batchTrain);
        m.put("decay", decay);
        m.put("seed", seed);
        return m;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experts", experts);
        m.putAll(pinned());
        return m;
    }

    public static final class Builder {
        private int experts = 100;
        private int epochs = 50;
        private double lr = 0.01;
        private double momentum = 0;
        private double weightDecay = 0;
        private int batchTrain = 256;
        private boolean decay = false;
        private long seed = 0;

        private Builder() {
        }

        public Builder experts(int v) {
            experts = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder lr(double v) {
            lr = v;
            return this;
        }

        public Builder momentum(double v) {
            momentum = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder batchTrain(int v) {
            batchTrain = v;
            return this;
        }

        public Builder decay(boolean v) {
            decay = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public ExpertConfig build() {
            return new ExpertConfig(experts, epochs, lr, momentum, weightDecay, batchTrain, decay, seed);
        }
    }
}
