package org.distill4j.distill;

import org.distill4j.data.Dataset;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.train.Evaluator;
import org.distill4j.train.SampleStats;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainListener;
import org.distill4j.train.Trainer;

/**
 * How good a distilled (or baseline) set is: test accuracy after replaying its T steps with its
 * rates on fresh networks, and after training a network on its images the ordinary way.
 */
public final class DistilledEvaluation {
    /** A set's test accuracy over the networks: after replaying its steps, and after ordinary training on its images. */
    public record Result(SampleStats replay, SampleStats ordinaryTraining) {
        /** As results record one evaluated set: {@code method}, {@code replay}, {@code ordinary_training}. */
        public java.util.Map<String, Object> toMap(String method) {
            java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("method", method);
            row.put("replay", replay.toMap());
            row.put("ordinary_training", ordinaryTraining.toMap());
            return row;
        }
    }

    /** The rate of ordinary SGD training on a set's images (momentum 0.9, batches of up to 256). */
    public static final double ORDINARY_LR = 0.01;

    private DistilledEvaluation() {
    }

    /** The initialisations a set is evaluated on: the kept ones for fixed init, unseen ones otherwise. */
    public static Params[] evaluationInits(Model model, boolean fixedInit, long seed, int models, DType dtype) {
        Params[] out = new Params[models];
        for (int i = 0; i < models; i++) {
            out[i] = fixedInit ? Initializations.fixed(model, seed, i, dtype) : Initializations.evaluation(model, seed, i, dtype);
        }
        return out;
    }

    /**
     * The initialisations a saved set is evaluated on: the {@code n_nets} kept ones of a fixed-init
     * set (its seed), or {@code models} unseen ones of a random-init set, in float32.
     */
    public static Params[] evaluationInits(Model model, DistilledSet set, int models) {
        if (models < 1) {
            throw new IllegalArgumentException("models must be >= 1, got " + models);
        }
        boolean fixed = set.init() == DistillConfig.Init.FIXED;
        return evaluationInits(model, fixed, set.seed().orElse(0), fixed ? set.nNets() : models, DType.F32);
    }

    /**
     * Replay and ordinary training ({@code trainEpochs} epochs at {@link #ORDINARY_LR}, seeds
     * {@code seed}, {@code seed + 1}, ...) from each of {@code inits}.
     */
    public static Result evaluate(Model model, DistilledSet set, Dataset test, Params[] inits, int trainEpochs, long seed) {
        if (trainEpochs < 0) {
            throw new IllegalArgumentException("trainEpochs must be >= 0, got " + trainEpochs);
        }
        SampleStats replay = replay(model, set, test, inits);
        return new Result(replay, trainOrdinary(model, set, test, inits, trainEpochs, ORDINARY_LR, seed));
    }

    /** Replays the set's steps and rates from each initialisation; test accuracy of the results. */
    public static SampleStats replay(Model model, DistilledSet set, Dataset test, Params[] inits) {
        DistilledLeaves leaves = set.leaves(inits[0].dtype());
        double[] acc = new double[inits.length];
        for (int i = 0; i < inits.length; i++) {
            acc[i] = Evaluator.accuracy(model, UnrolledTraining.train(model, inits[i], leaves), test);
        }
        return new SampleStats(acc);
    }

    /** Ordinary training on the set's images (hard labels, SGD with momentum, shuffled mini-batches). */
    public static SampleStats trainOrdinary(Model model, DistilledSet set, Dataset test, Params[] inits, int epochs, double lr,
                                      long seed) {
        Dataset data = new Dataset("distilled", set.flatImages().copy(DType.F32), set.flatHardLabels(),
                model.classes());
        int batch = Math.min(256, data.size());
        double[] acc = new double[inits.length];
        for (int i = 0; i < inits.length; i++) {
            TrainConfig cfg = TrainConfig.sgd(epochs, batch, lr, 0.9, seed + i);
            Params p = inits[i].copy();
            Trainer.train(model, p, data, null, null, cfg, TrainListener.NONE);
            acc[i] = Evaluator.accuracy(model, p, test);
        }
        return new SampleStats(acc);
    }
}
