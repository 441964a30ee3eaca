package org.distill4j.tensor;

import org.distill4j.kernels.DType;
import org.distill4j.kernels.ReduceOp;

/** Sums, maxima and minima over axes; argmax along one axis. */
public final class Reduce {
    private Reduce() {
    }

    /** Reduces over {@code axes} (all axes when empty); reduced axes are kept with size 1 when {@code keepDims}. */
    public static Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
        Elementwise.checkFloating(x, op.name().toLowerCase());
        int rank = x.rank();
        boolean[] flags = new boolean[rank];
        if (axes.length == 0) {
            java.util.Arrays.fill(flags, true);
        }
        for (int a : axes) {
            flags[Shape.axis(a, rank)] = true;
        }
        int[] shape = x.shape();
        int[] kept = shape.clone();
        int outRank = 0;
        for (int i = 0; i < rank; i++) {
            if (flags[i]) {
                if (shape[i] == 0 && op != ReduceOp.SUM) {
                    throw new IllegalArgumentException(op.name().toLowerCase() + " over empty axis " + i
                            + " of " + Shape.str(shape));
                }
                kept[i] = 1;
            } else {
                outRank++;
            }
        }
        Tensor out = Tensor.zeros(x.backend(), x.dtype(), kept);
        x.backend().reduce(op, shape, x.view(), flags, out.buffer(), 0);
        if (keepDims) {
            return out;
        }
        int[] squeezed = new int[outRank];
        for (int i = 0, j = 0; i < rank; i++) {
            if (!flags[i]) {
                squeezed[j++] = shape[i];
            }
        }
        return out.reshape(squeezed);
    }

    public static Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        return reduce(ReduceOp.SUM, x, axes, keepDims);
    }

    /** The sum of all elements, as a rank-0 tensor. */
    public static Tensor sum(Tensor x) {
        return reduce(ReduceOp.SUM, x, new int[0], false);
    }

    public static Tensor max(Tensor x, int[] axes, boolean keepDims) {
        return reduce(ReduceOp.MAX, x, axes, keepDims);
    }

    /** Sums {@code x} down to {@code shape}, undoing a broadcast from {@code shape} to {@code x.shape()}. */
    public static Tensor sumTo(Tensor x, int[] shape) {
        if (java.util.Arrays.equals(x.shape(), shape)) {
            return x;
        }
        int[] axes = Shape.broadcastAxes(shape, x.shape());
        return sum(x, axes, true).reshape(shape);
    }

    /** Index of the largest element along {@code axis} (first on ties), as an I32 tensor without that axis. */
    public static Tensor argmax(Tensor x, int axis) {
        Elementwise.checkFloating(x, "argmax");
        int a = Shape.axis(axis, x.rank());
        int[] shape = x.shape();
        int outer = 1;
        int inner = 1;
        for (int i = 0; i < a; i++) {
            outer *= shape[i];
        }
        for (int i = a + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        if (shape[a] == 0) {
            throw new IllegalArgumentException("argmax over empty axis " + a + " of " + Shape.str(shape));
        }
        Tensor c = x.contiguous();
        int[] outShape = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != a) {
                outShape[j++] = shape[i];
            }
        }
        Tensor out = Tensor.zeros(x.backend(), DType.I32, outShape);
        x.backend().argmax(outer, shape[a], inner, c.buffer(), c.offset(), out.buffer(), 0);
        return out;
    }
}
