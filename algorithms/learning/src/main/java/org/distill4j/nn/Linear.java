package org.distill4j.nn;

import org.distill4j.autodiff.GemmOps;
import org.distill4j.autodiff.Var;
import org.distill4j.tensor.Shape;

/** {@code y = x w^T + b}, with {@code w} of shape {@code [out, in]} as in PyTorch. */
public final class Linear implements Layer {
    private final int out;
    private final boolean bias;
    private String name;

    public Linear(int out, boolean bias) {
        this.out = out;
        this.bias = bias;
    }

    public Linear(int out) {
        this(out, true);
    }

    @Override
    public int[] build(String name, int[] in, ParamSpec spec) {
        if (in.length != 1) {
            throw new IllegalArgumentException(name + ": Linear expects a flat input, got " + Shape.str(in)
                    + " (add a Flatten before it)");
        }
        this.name = name;
        spec.weight(name + ".weight", out, in[0]);
        if (bias) {
            spec.bias(name + ".bias", in[0], out);
        }
        return new int[]{out};
    }

    public String weightName() {
        return name + ".weight";
    }

    public String biasName() {
        return bias ? name + ".bias" : null;
    }

    @Override
    public Var forward(Context ctx, Var x) {
        return GemmOps.linear(x, ctx.params().get(name + ".weight"), bias ? ctx.params().get(name + ".bias") : null);
    }
}
