package org.distill4j.nn;

import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;

/**
 * Weight initialisers, all drawn from the seeded Philox generator. Fans follow PyTorch: for a
 * weight {@code [out, in, k...]}, fanIn = in * prod(k), fanOut = out * prod(k).
 */
public enum Init {
    /** Glorot and Bengio (2010): N(0, 2 / (fanIn + fanOut)). */
    XAVIER_NORMAL,
    /** U(-a, a) with a = sqrt(6 / (fanIn + fanOut)). */
    XAVIER_UNIFORM,
    /** He et al. (2015), fan-in mode, ReLU gain: N(0, 2 / fanIn). */
    KAIMING_NORMAL,
    /** U(-a, a) with a = sqrt(6 / fanIn). */
    KAIMING_UNIFORM,
    /** PyTorch's Linear/Conv default: kaiming_uniform(a = sqrt 5), i.e. U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
    PYTORCH_DEFAULT;

    static int fanIn(int[] shape) {
        int receptive = 1;
        for (int i = 2; i < shape.length; i++) {
            receptive *= shape[i];
        }
        return shape.length < 2 ? shape[0] : shape[1] * receptive;
    }

    static int fanOut(int[] shape) {
        int receptive = 1;
        for (int i = 2; i < shape.length; i++) {
            receptive *= shape[i];
        }
        return shape[0] * receptive;
    }

    /** A weight of {@code shape} drawn with this rule. */
    public Tensor weight(Generator gen, DType dtype, int... shape) {
        double in = fanIn(shape);
        double out = fanOut(shape);
        return switch (this) {
            case XAVIER_NORMAL -> Tensor.normal(gen, dtype, 0, Math.sqrt(2 / (in + out)), shape);
            case XAVIER_UNIFORM -> uniform(gen, dtype, Math.sqrt(6 / (in + out)), shape);
            case KAIMING_NORMAL -> Tensor.normal(gen, dtype, 0, Math.sqrt(2 / in), shape);
            case KAIMING_UNIFORM -> uniform(gen, dtype, Math.sqrt(6 / in), shape);
            case PYTORCH_DEFAULT -> uniform(gen, dtype, 1 / Math.sqrt(in), shape);
        };
    }

    /** PyTorch's default bias for a layer with this fan-in: U(-1/sqrt(fanIn), 1/sqrt(fanIn)); zeros otherwise. */
    public Tensor bias(Generator gen, DType dtype, int fanIn, int size) {
        if (this == PYTORCH_DEFAULT) {
            return uniform(gen, dtype, 1 / Math.sqrt(fanIn), size);
        }
        return Tensor.zeros(dtype, size);
    }

    private static Tensor uniform(Generator gen, DType dtype, double bound, int... shape) {
        return Tensor.uniform(gen, dtype, -bound, bound, shape);
    }
}
