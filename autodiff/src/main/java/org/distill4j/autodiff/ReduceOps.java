package org.distill4j.autodiff;

import org.distill4j.kernels.BinaryOp;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Reduce;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/**
 * Reductions and their derivatives:
 *
 * <pre>
 *   sum(x, axes)    d/dx = expand(g)
 *   mean(x, axes)   d/dx = expand(g) / count
 *   max(x, axes)    d/dx = expand(g) * [x == max] / (number of maxima)   (ties share the gradient)
 *   sumTo(x, shape) d/dx = expand(g)                                     (the adjoint of broadcasting)
 * </pre>
 */
public final class ReduceOps {
    private ReduceOps() {
    }

    /** The shape of {@code shape} reduced over {@code axes} (all when empty) with reduced axes kept as 1. */
    static int[] keptShape(int[] shape, int[] axes) {
        int[] kept = shape.clone();
        if (axes.length == 0) {
            java.util.Arrays.fill(kept, 1);
        }
        for (int a : axes) {
            kept[Shape.axis(a, shape.length)] = 1;
        }
        return kept;
    }

    public static Var sum(Var x, int[] axes, boolean keepDims) {
        int[] shape = x.shape();
        int[] kept = keptShape(shape, axes);
        return Var.record("sum", Reduce.sum(x.value(), axes, keepDims),
                g -> new Var[]{ShapeOps.expand(ShapeOps.reshape(g, kept), shape)}, x);
    }

    public static Var mean(Var x, int[] axes, boolean keepDims) {
        int[] shape = x.shape();
        int count = Shape.size(shape) / Math.max(1, Shape.size(keptShape(shape, axes)));
        return ElementwiseOps.affine(sum(x, axes, keepDims), 1.0 / Math.max(1, count), 0);
    }

    public static Var max(Var x, int[] axes, boolean keepDims) {
        int[] shape = x.shape();
        int[] kept = keptShape(shape, axes);
        Tensor maxKept = Reduce.max(x.value(), axes, true);
        Tensor mask = Elementwise.binary(BinaryOp.EQ, x.value(), maxKept);
        Tensor share = Elementwise.div(mask, Reduce.sum(mask, axes, true));
        Tensor out = keepDims ? maxKept : maxKept.reshape(Reduce.max(x.value(), axes, false).shape());
        return Var.record("max", out,
                g -> new Var[]{ElementwiseOps.mul(ShapeOps.expand(ShapeOps.reshape(g, kept), shape), Var.constant(share))}, x);
    }

    /** Sums {@code x} down to {@code shape}: the adjoint of broadcasting {@code shape} to {@code x.shape()}. */
    public static Var sumTo(Var x, int[] shape) {
        if (java.util.Arrays.equals(x.shape(), shape)) {
            return x;
        }
        int[] axes = Shape.broadcastAxes(shape, x.shape());
        return ShapeOps.reshape(sum(x, axes, true), shape);
    }
}
