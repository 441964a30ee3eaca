package org.distill4j.coreset.protocol;

import java.util.Arrays;
import java.util.List;
import org.distill4j.train.TrainConfig;

/**
 * How a selection is evaluated, by name: the recipe that trains the selection model and the final
 * model on the selection, and where their seeds come from.
 *
 * <ul>
 *   <li>{@link #SIMPLE}: this project's first recipe, which every results folder made before
 *       protocols had names used: SGD with momentum 0.9, learning rate 0.01, constant, no weight
 *       decay, batches of 128, for both models; the final model starts from the same seed as the
 *       selection model (so from the same initialisation), and a method that averages over several
 *       selection models (GraNd, EL2N) gets them from seeds {@code s + 1, s + 2, ...}, shared by
 *       neighbouring bench seeds.</li>
 *   <li>{@link #DEEPCORE}: DeepCore's recipe (Guo, Zhao and Bai 2022; {@code PatrickZH/DeepCore}
 *       {@code main.py}): the final model by SGD with Nesterov momentum 0.9, weight decay 5e-4,
 *       learning rate 0.1 on a cosine schedule (stepped per epoch here, per iteration there),
 *       batches of 128 (the paper's and the README's commands; {@code main.py}'s own default is
 *       256); the selection model as DeepCore's {@code EarlyTrain} trains it: the same optimiser
 *       at a constant 0.1. The final model's seed is drawn from the bench seed independently of
 *       the selection model's, so it starts from a fresh initialisation, and each bench seed's
 *       selection models (ensembles included) come from seeds no other bench seed uses.</li>
 * </ul>
 */
public enum Protocol {
    SIMPLE("simple", 0.01, 0.9, 128, 0, false, "none"),
    DEEPCORE("deepcore", 0.1, 0.9, 128, 5e-4, true, "cosine");

    private final String cliName;
    private final double lr;
    private final double momentum;
    private final int batchSize;
    private final double weightDecay;
    private final boolean nesterov;
    private final String schedule;

    Protocol(String cliName, double lr, double momentum, int batchSize, double weightDecay, boolean nesterov, String schedule) {
        this.cliName = cliName;
        this.lr = lr;
        this.momentum = momentum;
        this.batchSize = batchSize;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.schedule = schedule;
    }

    /** Every name, in the order above. */
    public static final List<String> NAMES = Arrays.stream(values()).map(Protocol::cliName).toList();

    /**
     * The protocol called {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public static Protocol byName(String name) {
        for (Protocol p : values()) {
            if (p.cliName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + name + "'; known: " + String.join(", ", NAMES));
    }

    /** The command-line name, {@code simple} or {@code deepcore}. */
    public String cliName() {
        return cliName;
    }

    /** The default learning rate of both models. */
    public double learningRate() {
        return lr;
    }

    /** The default (SGD) momentum of both models. */
    public double momentum() {
        return momentum;
    }

    /** The default batch size of both models. */
    public int batchSize() {
        return batchSize;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public boolean nesterov() {
        return nesterov;
    }

    /** The final model's learning-rate schedule ({@code none} or {@code cosine}); the selection model's is constant. */
    public String schedule() {
        return schedule;
    }

    /** How the final model is trained on a selection, from {@code seed} (an {@link #evaluationSeed}). */
    public TrainConfig training(int epochs, int batchSize, double lr, double momentum, long seed) {
        return new TrainConfig("sgd", lr, momentum, weightDecay, nesterov, epochs, batchSize, schedule, seed, false);
    }

    /** How the selection model is trained on the full set, from {@code seed} (a {@link #selectionSeed}): a constant rate. */
    public TrainConfig selection(int epochs, int batchSize, double lr, double momentum, long seed) {
        return new TrainConfig("sgd", lr, momentum, weightDecay, nesterov, epochs, batchSize, "none", seed, false);
    }

    /** The selection model's seed for bench seed {@code s}: {@code s} (simple), or one drawn from it (deepcore). */
    public long selectionSeed(long s) {
        return this == SIMPLE ? s : mix(s, 0x5e1ec7L);
    }

    /** The final model's seed for bench seed {@code s}: {@code s} (simple: the selection model's), or one drawn independently (deepcore). */
    public long evaluationSeed(long s) {
        return this == SIMPLE ? s : mix(s, 0xe7a1L);
    }

    /** SplitMix64 of {@code s} in stream {@code stream}, made non-negative: seeds far apart for neighbouring {@code s}. */
    static long mix(long s, long stream) {
        long z = s * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return z >>> 1;
    }
}
