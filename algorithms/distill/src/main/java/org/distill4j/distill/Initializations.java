package org.distill4j.distill;

import org.distill4j.kernels.DType;
import org.distill4j.nn.Init;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Generator;

/**
 * The network initialisations of a run, all Xavier-normal with zero biases (the reference code's
 * {@code init_weights} with {@code --init xavier}), drawn from separate streams of the seed so that
 * the kept initialisations, those sampled during training and those used for evaluation never
 * coincide.
 */
public final class Initializations {
    private static final long FIXED = 1;
    private static final long TRAINING = 2;
    private static final long EVALUATION = 3;

    private Initializations() {
    }

    /** The i-th kept initialisation of a fixed-init run. */
    public static Params fixed(Model model, long seed, int i, DType dtype) {
        return model.init(new Generator(seed).fork(FIXED).fork(i), dtype, Init.XAVIER_NORMAL);
    }

    /** The i-th network sampled at outer iteration {@code iteration} of a random-init run. */
    public static Params training(Model model, long seed, long iteration, int i, DType dtype) {
        return model.init(new Generator(seed).fork(TRAINING).fork(iteration).fork(i), dtype, Init.XAVIER_NORMAL);
    }

    /** The i-th unseen initialisation for evaluation. */
    public static Params evaluation(Model model, long seed, int i, DType dtype) {
        return model.init(new Generator(seed).fork(EVALUATION).fork(i), dtype, Init.XAVIER_NORMAL);
    }
}
