package org.distill4j.nn;

import org.distill4j.autodiff.ConvOps;
import org.distill4j.autodiff.Var;
import org.distill4j.tensor.Shape;

/** A square-kernel 2-d convolution, weight {@code [out, in, k, k]}, optional bias. */
public final class Conv2d implements Layer {
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean bias;
    private String name;

    public Conv2d(int out, int kernel, int stride, int padding, boolean bias) {
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.bias = bias;
    }

    public Conv2d(int out, int kernel, int padding) {
        this(out, kernel, 1, padding, true);
    }

    @Override
    public int[] build(String name, int[] in, ParamSpec spec) {
        if (in.length != 3) {
            throw new IllegalArgumentException(name + ": Conv2d expects [C, H, W] input, got " + Shape.str(in));
        }
        this.name = name;
        int oh = (in[1] + 2 * padding - kernel) / stride + 1;
        int ow = (in[2] + 2 * padding - kernel) / stride + 1;
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(name + ": kernel " + kernel + " does not fit input " + Shape.str(in));
        }
        spec.weight(name + ".weight", out, in[0], kernel, kernel);
        if (bias) {
            spec.bias(name + ".bias", in[0] * kernel * kernel, out);
        }
        return new int[]{out, oh, ow};
    }

    @Override
    public Var forward(Context ctx, Var x) {
        Var b = bias ? ctx.params().get(name + ".bias") : null;
        return ConvOps.conv2d(x, ctx.params().get(name + ".weight"), b, stride, padding);
    }
}
