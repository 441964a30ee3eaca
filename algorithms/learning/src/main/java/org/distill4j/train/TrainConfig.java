package org.distill4j.train;

import java.util.Arrays;
import java.util.Locale;
import org.distill4j.optim.Adam;
import org.distill4j.optim.Optimizer;
import org.distill4j.optim.Schedule;
import org.distill4j.optim.Sgd;

/**
 * How to train: optimiser and its settings, epochs, batch size, learning-rate schedule (stepped
 * per epoch), seed. {@code recordCorrectness} keeps, per epoch, whether each training example
 * was classified correctly when it was last presented (the forgetting method needs it).
 *
 * <p>The optimiser and the schedule are closed sets ({@link OptimizerName}, {@link ScheduleName});
 * the constructor taking their names as strings ({@code "sgd"}, {@code "cosine"}) is kept for
 * callers that have a name from a command line or a file.
 */
public record TrainConfig(OptimizerName optimizer, double learningRate, double momentum, double weightDecay,
                          boolean nesterov, int epochs, int batchSize, ScheduleName schedule, long seed,
                          boolean recordCorrectness) {

    /** The optimisers; {@link #toString} is the command-line name. */
    public enum OptimizerName {
        SGD, ADAM;

        /** {@code sgd} or {@code adam}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return cliName();
        }

        /**
         * The optimiser called {@code name}.
         *
         * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
         */
        public static OptimizerName byName(String name) {
            for (OptimizerName o : values()) {
                if (o.cliName().equals(name)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; known: sgd, adam");
        }
    }

    /** The learning-rate schedules of {@link Schedule#byName}; {@link #toString} is the command-line name. */
    public enum ScheduleName {
        NONE, STEP, MULTISTEP, COSINE;

        /** {@code none}, {@code step}, {@code multistep} or {@code cosine}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return cliName();
        }

        /**
         * The schedule called {@code name} ({@code constant} is {@code none}).
         *
         * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
         */
        public static ScheduleName byName(String name) {
            if ("constant".equals(name)) {
                return NONE;
            }
            for (ScheduleName s : values()) {
                if (s.cliName().equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown schedule '" + name + "'; known: "
                    + String.join(", ", Arrays.stream(values()).map(ScheduleName::cliName).toList()));
        }
    }

    public TrainConfig {
        if (optimizer == null || schedule == null) {
            throw new IllegalArgumentException("the optimizer and the schedule must be named");
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
    }

    /** The same, with the optimiser and the schedule by name ({@code "sgd"}, {@code "adam"}; {@code "none"}, {@code "cosine"}, ...). */
    public TrainConfig(String optimizer, double learningRate, double momentum, double weightDecay, boolean nesterov, int epochs,
                       int batchSize, String schedule, long seed, boolean recordCorrectness) {
        this(OptimizerName.byName(optimizer), learningRate, momentum, weightDecay, nesterov, epochs, batchSize,
                ScheduleName.byName(schedule), seed, recordCorrectness);
    }

    /** SGD with momentum, constant rate: the reference setting (lr 0.01, momentum 0.9, batch 128). */
    public static TrainConfig sgd(int epochs, int batchSize, double learningRate, double momentum, long seed) {
        return new TrainConfig(OptimizerName.SGD, learningRate, momentum, 0, false, epochs, batchSize, ScheduleName.NONE, seed,
                false);
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

    /** The training recipe as a run reports it: optimizer, lr, momentum, nesterov, weight_decay, schedule, batch_size. */
    public java.util.Map<String, Object> recipe() {
        java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("optimizer", optimizer.cliName());
        o.put("lr", learningRate);
        o.put("momentum", momentum);
        o.put("nesterov", nesterov);
        o.put("weight_decay", weightDecay);
        o.put("schedule", schedule.cliName());
        o.put("batch_size", batchSize);
        return o;
    }

    Optimizer newOptimizer() {
        return optimizer == OptimizerName.ADAM ? new Adam(learningRate, 0.9, 0.999, 1e-8, weightDecay)
                : new Sgd(learningRate, momentum, weightDecay, nesterov);
    }

    Schedule newSchedule() {
        return Schedule.byName(schedule.cliName(), learningRate, Math.max(1, epochs));
    }
}
