package org.distill4j.nn;

import org.distill4j.autodiff.Var;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;

/**
 * A classifier in functional form: parameters are created by {@link #init} and passed to every
 * call, so the same model can run on parameters that are themselves functions of other variables
 * (unrolled training in dataset distillation).
 */
public interface Model {
    String name();

    /** Input shape without the batch axis, {@code [C, H, W]} or {@code [F]}. */
    int[] inputShape();

    int classes();

    /** Parameters initialised with the model's default rule (PyTorch's defaults). */
    Params init(Generator gen, DType dtype);

    Params init(Generator gen, DType dtype, Init rule);

    /** Logits {@code [N, classes]}. The generator feeds dropout in training and may be null otherwise. */
    Var forward(Params params, Var x, Mode mode, Generator gen);

    default Var forward(Params params, Var x, Mode mode) {
        return forward(params, x, mode, null);
    }

    /** The penultimate features {@code [N, embeddingSize()]}: the input of the last linear layer. */
    Var embed(Params params, Var x, Mode mode);

    int embeddingSize();

    /** Names of the last linear layer's weight {@code [classes, embeddingSize]} and bias (null if none). */
    String lastWeightName();

    String lastBiasName();

    int parameterCount();
}
