package org.distill4j.nn;

import org.distill4j.autodiff.ReduceOps;
import org.distill4j.autodiff.RngOps;
import org.distill4j.autodiff.Var;

/** The parameter-free layers: ReLU, Flatten, Dropout, global average pooling. */
public final class Activations {
    private Activations() {
    }

    public static Layer relu() {
        return new Relu();
    }

    /** The ReLU layer: a class of its own so that {@link Sequential} can fold it into a norm before it. */
    static final class Relu implements Layer {
        @Override
        public int[] build(String name, int[] in, ParamSpec spec) {
            return in;
        }

        @Override
        public Var forward(Context ctx, Var x) {
            return x.relu();
        }
    }

    /** {@code [N, C, H, W] -> [N, C*H*W]}. */
    public static Layer flatten() {
        return new Layer() {
            @Override
            public int[] build(String name, int[] in, ParamSpec spec) {
                return new int[]{org.distill4j.tensor.Shape.size(in)};
            }

            @Override
            public Var forward(Context ctx, Var x) {
                return x.reshape(x.dim(0), -1);
            }
        };
    }

    /** Inverted dropout with probability {@code p}; needs the context's generator in training. */
    public static Layer dropout(double p) {
        return new Layer() {
            @Override
            public int[] build(String name, int[] in, ParamSpec spec) {
                return in;
            }

            @Override
            public Var forward(Context ctx, Var x) {
                if (ctx.training() && ctx.generator() == null) {
                    throw new IllegalStateException("dropout in training mode needs a generator");
                }
                return RngOps.dropout(x, p, ctx.generator(), ctx.training());
            }
        };
    }

    /** {@code [N, C, H, W] -> [N, C]}: the mean over each plane. */
    public static Layer globalAvgPool() {
        return new Layer() {
            @Override
            public int[] build(String name, int[] in, ParamSpec spec) {
                return new int[]{in[0]};
            }

            @Override
            public Var forward(Context ctx, Var x) {
                return ReduceOps.mean(x, new int[]{2, 3}, false);
            }
        };
    }
}
