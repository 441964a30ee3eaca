package org.distill4j.autodiff;

import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/**
 * Ops that move elements without arithmetic, and their adjoints:
 *
 * <pre>
 *   reshape(x, s)           d/dx = reshape(g, x.shape)
 *   permute(x, order)       d/dx = permute(g, inverse order)
 *   expand(x, s)            d/dx = sumTo(g, x.shape)
 *   slice(x, axis, ...)     d/dx = indexAdd(zeros, axis, positions, g)   (IndexingOps)
 *   concat(axis, xs)        d/dx_i = slice(g, axis, offset_i, offset_i + n_i)
 * </pre>
 */
public final class ShapeOps {
    private ShapeOps() {
    }

    public static Var reshape(Var x, int... shape) {
        int[] from = x.shape();
        Tensor out = x.value().reshape(shape);
        if (java.util.Arrays.equals(out.shape(), from)) {
            return x;
        }
        return Var.record("reshape", out, g -> new Var[]{reshape(g, from)}, x);
    }

    public static Var permute(Var x, int... order) {
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[Shape.axis(order[i], order.length)] = i;
        }
        return Var.record("permute", x.value().permute(order), g -> new Var[]{permute(g, inverse)}, x);
    }

    public static Var transpose(Var x, int a, int b) {
        int[] order = new int[x.rank()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int p = Shape.axis(a, order.length);
        int q = Shape.axis(b, order.length);
        order[p] = q;
        order[q] = p;
        return permute(x, order);
    }

    public static Var expand(Var x, int... shape) {
        int[] from = x.shape();
        if (java.util.Arrays.equals(from, shape)) {
            return x;
        }
        return Var.record("expand", x.value().expand(shape), g -> new Var[]{ReduceOps.sumTo(g, from)}, x);
    }

    public static Var unsqueeze(Var x, int axis) {
        int[] from = x.shape();
        return Var.record("unsqueeze", x.value().unsqueeze(axis), g -> new Var[]{reshape(g, from)}, x);
    }

    public static Var squeeze(Var x, int axis) {
        int[] from = x.shape();
        return Var.record("squeeze", x.value().squeeze(axis), g -> new Var[]{reshape(g, from)}, x);
    }

    public static Var slice(Var x, int axis, int start, int end, int step) {
        int[] from = x.shape();
        int a = Shape.axis(axis, from.length);
        Tensor out = x.value().slice(a, start, end, step);
        int count = out.dim(a);
        return Var.record("slice", out, g -> {
            int[] positions = new int[count];
            for (int j = 0; j < count; j++) {
                positions[j] = start + j * step;
            }
            return new Var[]{IndexingOps.indexAdd(from, a, Tensor.of(g.value().backend().upload(positions), count), g)};
        }, x);
    }

    /** The sub-tensor at {@code index} along {@code axis}, with that axis removed. */
    public static Var select(Var x, int axis, int index) {
        return squeeze(slice(x, axis, index, index + 1, 1), axis);
    }

    public static Var concat(int axis, Var... parts) {
        Tensor[] values = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = parts[i].value();
        }
        Tensor out = Indexing.concat(axis, values);
        int a = Shape.axis(axis, out.rank());
        return Var.record("concat", out, g -> {
            Var[] grads = new Var[parts.length];
            int offset = 0;
            for (int i = 0; i < parts.length; i++) {
                int len = parts[i].dim(a);
                grads[i] = parts[i].requiresGrad() ? slice(g, a, offset, offset + len, 1) : null;
                offset += len;
            }
            return grads;
        }, parts);
    }

    public static Var stack(int axis, Var... parts) {
        Var[] expanded = new Var[parts.length];
        for (int i = 0; i < parts.length; i++) {
            expanded[i] = unsqueeze(parts[i], axis);
        }
        return concat(axis, expanded);
    }
}
