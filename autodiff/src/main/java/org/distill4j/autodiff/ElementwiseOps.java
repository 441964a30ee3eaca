package org.distill4j.autodiff;

import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Tensor;

/**
 * Elementwise ops and their derivatives, one row each:
 *
 * <pre>
 *   op               forward            d/da                      d/db
 *   add(a, b)        a + b              g                         g
 *   sub(a, b)        a - b              g                         -g
 *   mul(a, b)        a * b              g * b                     g * a
 *   div(a, b)        a / b              g / b                     -g * a / b^2
 *   pow(a, b)        a^b                g * b * a^(b-1)           g * a^b * ln a
 *   pow(x, p)        x^p                g * p * x^(p-1)
 *   affine(x, s, t)  s * x + t          g * s
 *   neg, square, exp, log, sqrt, abs, relu, leakyRelu, sigmoid, tanh, softplus, clamp: below
 * </pre>
 *
 * Binary ops broadcast; their gradients are summed back to each input's shape. Masks (relu's step,
 * clamp's inside) are constants: their derivative is zero almost everywhere.
 */
public final class ElementwiseOps {
    private ElementwiseOps() {
    }

    /** {@code g} summed down to {@code shape} (undoing broadcasting), differentiably. */
    static Var unbroadcast(Var g, int[] shape) {
        return java.util.Arrays.equals(g.shape(), shape) ? g : ReduceOps.sumTo(g, shape);
    }

    private static Var constant(Tensor t) {
        return Var.constant(t);
    }

    public static Var add(Var a, Var b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        return Var.record("add", Elementwise.add(a.value(), b.value()),
                g -> new Var[]{unbroadcast(g, as), unbroadcast(g, bs)}, a, b);
    }

    public static Var sub(Var a, Var b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        return Var.record("sub", Elementwise.sub(a.value(), b.value()),
                g -> new Var[]{unbroadcast(g, as), b.requiresGrad() ? unbroadcast(neg(g), bs) : null}, a, b);
    }

    public static Var mul(Var a, Var b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        return Var.record("mul", Elementwise.mul(a.value(), b.value()),
                g -> new Var[]{
                        a.requiresGrad() ? unbroadcast(mul(g, b), as) : null,
                        b.requiresGrad() ? unbroadcast(mul(g, a), bs) : null}, a, b);
    }

    public static Var div(Var a, Var b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        return Var.record("div", Elementwise.div(a.value(), b.value()),
                g -> new Var[]{
                        a.requiresGrad() ? unbroadcast(div(g, b), as) : null,
                        b.requiresGrad() ? unbroadcast(neg(div(mul(g, a), square(b))), bs) : null}, a, b);
    }

    public static Var pow(Var a, Var b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        Var[] out = new Var[1];
        out[0] = Var.record("pow", Elementwise.binary(BinaryOp.POW, a.value(), b.value()),
                g -> new Var[]{
                        a.requiresGrad() ? unbroadcast(mul(g, mul(b, pow(a, add(b, Var.scalar(-1, b))))), as) : null,
                        b.requiresGrad() ? unbroadcast(mul(g, mul(out[0], log(a))), bs) : null}, a, b);
        return out[0];
    }

    public static Var pow(Var x, double p) {
        if (p == 1) {
            return x;
        }
        return Var.record("pow", Elementwise.unary(UnaryOp.POW, x.value(), p, 0),
                g -> new Var[]{mul(g, affine(pow(x, p - 1), p, 0))}, x);
    }

    /** {@code scale * x + shift}. */
    public static Var affine(Var x, double scale, double shift) {
        return Var.record("affine", Elementwise.affine(x.value(), scale, shift),
                g -> new Var[]{affine(g, scale, 0)}, x);
    }

    public static Var neg(Var x) {
        return Var.record("neg", Elementwise.unary(UnaryOp.NEG, x.value()), g -> new Var[]{neg(g)}, x);
    }

    public static Var square(Var x) {
        return Var.record("square", Elementwise.unary(UnaryOp.SQUARE, x.value()),
                g -> new Var[]{mul(g, affine(x, 2, 0))}, x);
    }

    public static Var exp(Var x) {
        Var[] y = new Var[1];
        y[0] = Var.record("exp", Elementwise.unary(UnaryOp.EXP, x.value()), g -> new Var[]{mul(g, y[0])}, x);
        return y[0];
    }

    public static Var log(Var x) {
        return Var.record("log", Elementwise.unary(UnaryOp.LOG, x.value()), g -> new Var[]{div(g, x)}, x);
    }

    public static Var sqrt(Var x) {
        Var[] y = new Var[1];
        y[0] = Var.record("sqrt", Elementwise.unary(UnaryOp.SQRT, x.value()),
                g -> new Var[]{div(affine(g, 0.5, 0), y[0])}, x);
        return y[0];
    }

    public static Var abs(Var x) {
        return Var.record("abs", Elementwise.unary(UnaryOp.ABS, x.value()),
                g -> new Var[]{mul(g, constant(Elementwise.unary(UnaryOp.SIGN, x.value())))}, x);
    }

    public static Var relu(Var x) {
        Tensor input = x.value();
        return Var.record("relu", Elementwise.unary(UnaryOp.RELU, input), g -> new Var[]{reluBackward(g, input)}, x);
    }

    /**
     * {@code g * step(x)} in one pass ({@code BinaryOp.MUL_STEP}): relu's backward, with the bits
     * of {@code mul(g, step(x))}. The mask is a constant (its derivative is zero almost
     * everywhere), so the backward of this is itself, applied to the incoming gradient.
     */
    static Var reluBackward(Var g, Tensor x) {
        return Var.record("reluBackward", Elementwise.binary(BinaryOp.MUL_STEP, g.value(), x),
                gg -> new Var[]{reluBackward(gg, x)}, g);
    }

    public static Var leakyRelu(Var x, double slope) {
        return Var.record("leakyRelu", Elementwise.unary(UnaryOp.LEAKY_RELU, x.value(), slope, 0),
                g -> new Var[]{mul(g, constant(Elementwise.unary(UnaryOp.LEAKY_STEP, x.value(), slope, 0)))}, x);
    }

    public static Var sigmoid(Var x) {
        Var[] y = new Var[1];
        // d sigmoid = y (1 - y)
        y[0] = Var.record("sigmoid", Elementwise.unary(UnaryOp.SIGMOID, x.value()),
                g -> new Var[]{mul(g, mul(y[0], affine(y[0], -1, 1)))}, x);
        return y[0];
    }

    public static Var tanh(Var x) {
        Var[] y = new Var[1];
        // d tanh = 1 - y^2
        y[0] = Var.record("tanh", Elementwise.unary(UnaryOp.TANH, x.value()),
                g -> new Var[]{mul(g, affine(square(y[0]), -1, 1))}, x);
        return y[0];
    }

    public static Var softplus(Var x) {
        return Var.record("softplus", Elementwise.unary(UnaryOp.SOFTPLUS, x.value()),
                g -> new Var[]{mul(g, sigmoid(x))}, x);
    }

    public static Var clamp(Var x, double lo, double hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("clamp: lower bound " + lo + " above upper bound " + hi);
        }
        return Var.record("clamp", Elementwise.unary(UnaryOp.CLAMP, x.value(), lo, hi),
                g -> new Var[]{mul(g, constant(Elementwise.unary(UnaryOp.INSIDE, x.value(), lo, hi)))}, x);
    }

    /** {@code cond != 0 ? a : b} with a constant condition. */
    public static Var where(Tensor cond, Var a, Var b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        return Var.record("where", Elementwise.where(cond, a.value(), b.value()),
                g -> {
                    Var zero = Var.scalar(0, g);
                    return new Var[]{
                            a.requiresGrad() ? unbroadcast(where(cond, g, zero), as) : null,
                            b.requiresGrad() ? unbroadcast(where(cond, zero, g), bs) : null};
                }, a, b);
    }
}
