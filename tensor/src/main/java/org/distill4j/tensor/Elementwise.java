package org.distill4j.tensor;

import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.UnaryOp;

/** Elementwise ops with NumPy broadcasting. Results are new contiguous tensors. */
public final class Elementwise {
    private Elementwise() {
    }

    static void checkFloating(Tensor t, String op) {
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": expected an F32 or F64 tensor, got " + t.dtype());
        }
    }

    static void checkSameDType(Tensor a, Tensor b, String op) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ, " + a.dtype() + " vs " + b.dtype());
        }
        if (a.backend() != b.backend()) {
            throw new IllegalArgumentException(op + ": tensors on different backends, " + a.backend().name()
                    + " vs " + b.backend().name());
        }
    }

    public static Tensor unary(UnaryOp op, Tensor x, double p, double q) {
        checkFloating(x, op.name().toLowerCase());
        int[] shape = x.shape();
        Tensor out = Tensor.unfilled(x.backend(), x.dtype(), shape);
        x.backend().unary(op, p, q, shape, x.view(), out.buffer(), 0);
        return out;
    }

    public static Tensor unary(UnaryOp op, Tensor x) {
        return unary(op, x, 0, 0);
    }

    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        String name = op.name().toLowerCase();
        checkFloating(a, name);
        checkSameDType(a, b, name);
        int[] shape = Shape.broadcast(a.shape(), b.shape());
        Tensor out = Tensor.unfilled(a.backend(), a.dtype(), shape);
        a.backend().binary(op, shape, a.viewAs(shape), b.viewAs(shape), out.buffer(), 0);
        return out;
    }

    /**
     * Writes {@code op(a, b)} into {@code out}, which must be contiguous with the broadcast shape;
     * {@code out} may be {@code a} itself (the optimisers' in-place updates).
     */
    public static void binaryInto(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        String name = op.name().toLowerCase();
        checkSameDType(a, b, name);
        checkSameDType(a, out, name);
        int[] shape = Shape.broadcast(a.shape(), b.shape());
        if (!java.util.Arrays.equals(shape, out.shape()) || !out.isContiguous()) {
            throw new IllegalArgumentException(name + " into: output " + Shape.str(out.shape())
                    + " must be contiguous with shape " + Shape.str(shape));
        }
        a.backend().binary(op, shape, a.viewAs(shape), b.viewAs(shape), out.buffer(), out.offset());
    }

    /** Writes {@code op(x; p, q)} into contiguous {@code out} of the same shape (may be {@code x}). */
    public static void unaryInto(UnaryOp op, Tensor x, double p, double q, Tensor out) {
        checkSameDType(x, out, op.name().toLowerCase());
        if (!x.sameShape(out) || !out.isContiguous()) {
            throw new IllegalArgumentException(op.name().toLowerCase() + " into: output " + Shape.str(out.shape())
                    + " must be contiguous with shape " + Shape.str(x.shape()));
        }
        x.backend().unary(op, p, q, x.shape(), x.view(), out.buffer(), out.offset());
    }

    /** {@code cond != 0 ? a : b}, all three broadcast together. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        checkSameDType(a, b, "where");
        if (cond.backend() != a.backend()) {
            throw new IllegalArgumentException("where: condition on backend " + cond.backend().name()
                    + ", values on " + a.backend().name());
        }
        int[] shape = Shape.broadcast(Shape.broadcast(cond.shape(), a.shape()), b.shape());
        Tensor out = Tensor.zeros(a.backend(), a.dtype(), shape);
        a.backend().where(shape, cond.viewAs(shape), a.viewAs(shape), b.viewAs(shape), out.buffer(), 0);
        return out;
    }

    // ---- conveniences -------------------------------------------------------------------------

    public static Tensor add(Tensor a, Tensor b) {
        return binary(BinaryOp.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return binary(BinaryOp.SUB, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return binary(BinaryOp.MUL, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return binary(BinaryOp.DIV, a, b);
    }

    /** {@code scale * x + shift}. */
    public static Tensor affine(Tensor x, double scale, double shift) {
        return unary(UnaryOp.AFFINE, x, scale, shift);
    }

    /** A rank-0 tensor of {@code x}'s dtype and backend. */
    public static Tensor scalarLike(Tensor x, double value) {
        Tensor t = Tensor.zeros(x.backend(), x.dtype());
        if (value != 0) {
            x.backend().fill(t.buffer(), 0, 1, value);
        }
        return t;
    }

    /** A tensor of {@code x}'s shape, dtype and backend filled with {@code value}. */
    public static Tensor fullLike(Tensor x, double value) {
        Tensor t = Tensor.zeros(x.backend(), x.dtype(), x.shape());
        if (value != 0) {
            x.backend().fill(t.buffer(), 0, t.size(), value);
        }
        return t;
    }

    /** True when every element of {@code a} and {@code b} differ by at most {@code atol + rtol*|b|}. */
    public static boolean allClose(Tensor a, Tensor b, double rtol, double atol) {
        if (!a.sameShape(b)) {
            return false;
        }
        double[] x = a.to(DType.F64).toDoubleArray();
        double[] y = b.to(DType.F64).toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            if (!(Math.abs(x[i] - y[i]) <= atol + rtol * Math.abs(y[i]))) {
                return false;
            }
        }
        return true;
    }
}
