package org.distill4j.nn;

import org.distill4j.autodiff.PoolOps;
import org.distill4j.autodiff.Var;

/** Max or average pooling over square windows. */
public final class Pool2d implements Layer {
    private final boolean max;
    private final int kernel;
    private final int stride;
    private final int padding;

    private Pool2d(boolean max, int kernel, int stride, int padding) {
        this.max = max;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    public static Pool2d max(int kernel, int stride, int padding) {
        return new Pool2d(true, kernel, stride, padding);
    }

    public static Pool2d avg(int kernel, int stride, int padding) {
        return new Pool2d(false, kernel, stride, padding);
    }

    @Override
    public int[] build(String name, int[] in, ParamSpec spec) {
        if (in.length != 3) {
            throw new IllegalArgumentException(name + ": pooling expects [C, H, W] input, got " + java.util.Arrays.toString(in));
        }
        return new int[]{in[0], (in[1] + 2 * padding - kernel) / stride + 1, (in[2] + 2 * padding - kernel) / stride + 1};
    }

    @Override
    public Var forward(Context ctx, Var x) {
        return max ? PoolOps.maxPool2d(x, kernel, stride, padding) : PoolOps.avgPool2d(x, kernel, stride, padding);
    }
}
