package org.distill4j.kernels.cpu;

import java.util.Arrays;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.kernels.View;

/**
 * Elementwise kernels: fill, copy, unary, binary, where. The fast paths walk the shape as runs of
 * the innermost axis ({@link Segments}) in parallel over fixed chunks; a run whose inputs are each
 * contiguous or repeated goes to the Vector API loops ({@link VectorUnaryF32},
 * {@link VectorBinaryF32} and their F64 twins) when {@code simd} is set, any other run to
 * {@link PlainElementwise}. Inputs whose dtype differs from the output's take the reference path.
 */
final class Elementwise {
    private Elementwise() {
    }

    static double apply(UnaryOp op, double x, double p, double q) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case RECIPROCAL -> 1.0 / x;
            case SQUARE -> x * x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case RELU -> x > 0 ? x : 0.0;
            case STEP -> x > 0 ? 1.0 : 0.0;
            case LEAKY_RELU -> x > 0 ? x : p * x;
            case LEAKY_STEP -> x > 0 ? 1.0 : p;
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            case TANH -> Math.tanh(x);
            // ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|): no overflow for large |x|.
            case SOFTPLUS -> Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
            case CLAMP -> Math.min(Math.max(x, p), q);
            case INSIDE -> x > p && x < q ? 1.0 : 0.0;
            case POW -> Math.pow(x, p);
            case AFFINE -> p * x + q;
        };
    }

    static double apply(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case GT -> a > b ? 1.0 : 0.0;
            case GE -> a >= b ? 1.0 : 0.0;
            case LT -> a < b ? 1.0 : 0.0;
            case LE -> a <= b ? 1.0 : 0.0;
            case EQ -> a == b ? 1.0 : 0.0;
            case MUL_STEP -> a * (b > 0 ? 1.0 : 0.0);
        };
    }

    // ---- fast paths ---------------------------------------------------------------------------

    static void fill(CpuBuffer out, int offset, int n, double value) {
        int chunks = (n + Segments.CHUNK - 1) / Segments.CHUNK;
        Parallel.forRange(chunks, 1, (c0, c1) -> {
            int from = offset + c0 * Segments.CHUNK;
            int to = offset + Math.min(n, c1 * Segments.CHUNK);
            if (out.f != null) {
                Arrays.fill(out.f, from, to, (float) value);
            } else if (out.d != null) {
                Arrays.fill(out.d, from, to, value);
            } else {
                Arrays.fill(out.i, from, to, (int) value);
            }
        });
    }

    static void copy(int[] shape, View x, CpuBuffer out, int outOffset) {
        CpuBuffer xb = Access.cpu(x.buffer());
        Segments walk = Segments.of(shape, x);
        int xs = walk.innerStride(0);
        walk.runParallel((x0, x1, x2, pos, len) -> PlainElementwise.copy(xb, x0, xs, out, outOffset + pos, len));
    }

    private static boolean unitOrZero(int stride) {
        return stride == 0 || stride == 1;
    }

    /**
     * Ops computed with {@code Math} per element even on the SIMD path. The Vector API's lanewise
     * EXP/LOG/TANH give the SVML intrinsic's result in C2-compiled code but {@code Math}'s in the
     * interpreter and C1, so their output would depend on JIT state (and so on thread count and
     * timing); {@code Math}'s intrinsics give the same bits in every tier.
     */
    static boolean scalarOnly(UnaryOp op) {
        return switch (op) {
            case POW, EXP, LOG, TANH, SIGMOID, SOFTPLUS -> true;
            default -> false;
        };
    }

    static void unary(UnaryOp op, double p, double q, int[] shape, View x, CpuBuffer out, int outOffset, boolean simd) {
        CpuBuffer xb = Access.cpu(x.buffer());
        if (xb.dtype() != out.dtype()) {
            unaryReference(op, p, q, shape, x, out, outOffset);
            return;
        }
        Segments walk = Segments.of(shape, x);
        int xs = walk.innerStride(0);
        boolean vector = simd && unitOrZero(xs) && !scalarOnly(op);
        if (out.f != null) {
            float[] xa = xb.f;
            float[] y = out.f;
            float pf = (float) p;
            float qf = (float) q;
            walk.runParallel(vector
                    ? (x0, x1, x2, pos, len) -> VectorUnaryF32.unary(op, pf, qf, xa, x0, xs, y, outOffset + pos, len)
                    : (x0, x1, x2, pos, len) -> PlainElementwise.unary(op, p, q, xa, x0, xs, y, outOffset + pos, len));
        } else {
            double[] xa = xb.d;
            double[] y = out.d;
            walk.runParallel(vector
                    ? (x0, x1, x2, pos, len) -> VectorUnaryF64.unary(op, p, q, xa, x0, xs, y, outOffset + pos, len)
                    : (x0, x1, x2, pos, len) -> PlainElementwise.unary(op, p, q, xa, x0, xs, y, outOffset + pos, len));
        }
    }

    static void binary(BinaryOp op, int[] shape, View a, View b, CpuBuffer out, int outOffset, boolean simd) {
        CpuBuffer ab = Access.cpu(a.buffer());
        CpuBuffer bb = Access.cpu(b.buffer());
        if (ab.dtype() != out.dtype() || bb.dtype() != out.dtype()) {
            binaryReference(op, shape, a, b, out, outOffset);
            return;
        }
        Segments walk = Segments.of(shape, a, b);
        int as = walk.innerStride(0);
        int bs = walk.innerStride(1);
        boolean vector = simd && unitOrZero(as) && unitOrZero(bs) && op != BinaryOp.POW;
        if (out.f != null) {
            float[] av = ab.f;
            float[] bv = bb.f;
            float[] y = out.f;
            walk.runParallel(vector
                    ? (x0, x1, x2, pos, len) -> VectorBinaryF32.binary(op, av, x0, as, bv, x1, bs, y, outOffset + pos, len)
                    : (x0, x1, x2, pos, len) -> PlainElementwise.binary(op, av, x0, as, bv, x1, bs, y, outOffset + pos, len));
        } else {
            double[] av = ab.d;
            double[] bv = bb.d;
            double[] y = out.d;
            walk.runParallel(vector
                    ? (x0, x1, x2, pos, len) -> VectorBinaryF64.binary(op, av, x0, as, bv, x1, bs, y, outOffset + pos, len)
                    : (x0, x1, x2, pos, len) -> PlainElementwise.binary(op, av, x0, as, bv, x1, bs, y, outOffset + pos, len));
        }
    }

    static void where(int[] shape, View cond, View a, View b, CpuBuffer out, int outOffset, boolean simd) {
        CpuBuffer cb = Access.cpu(cond.buffer());
        CpuBuffer ab = Access.cpu(a.buffer());
        CpuBuffer bb = Access.cpu(b.buffer());
        if (ab.dtype() != out.dtype() || bb.dtype() != out.dtype()) {
            whereReference(shape, cond, a, b, out, outOffset);
            return;
        }
        Segments walk = Segments.of(shape, cond, a, b);
        int cs = walk.innerStride(0);
        int as = walk.innerStride(1);
        int bs = walk.innerStride(2);
        boolean vector = simd && cb.dtype() == out.dtype() && unitOrZero(cs) && unitOrZero(as) && unitOrZero(bs);
        if (!vector) {
            walk.runParallel((x0, x1, x2, pos, len) ->
                    PlainElementwise.where(cb, x0, cs, ab, x1, as, bb, x2, bs, out, outOffset + pos, len));
        } else if (out.f != null) {
            walk.runParallel((x0, x1, x2, pos, len) ->
                    VectorBinaryF32.where(cb.f, x0, cs, ab.f, x1, as, bb.f, x2, bs, out.f, outOffset + pos, len));
        } else {
            walk.runParallel((x0, x1, x2, pos, len) ->
                    VectorBinaryF64.where(cb.d, x0, cs, ab.d, x1, as, bb.d, x2, bs, out.d, outOffset + pos, len));
        }
    }

    // ---- scalar references --------------------------------------------------------------------

    static void copyReference(int[] shape, View x, CpuBuffer out, int outOffset) {
        CpuBuffer xb = Access.cpu(x.buffer());
        int n = Access.size(shape);
        for (int i = 0; i < n; i++) {
            Access.set(out, outOffset + i, Access.get(xb, Access.offset(i, shape, x)));
        }
    }

    static void unaryReference(UnaryOp op, double p, double q, int[] shape, View x, CpuBuffer out, int outOffset) {
        CpuBuffer xb = Access.cpu(x.buffer());
        int n = Access.size(shape);
        for (int i = 0; i < n; i++) {
            Access.set(out, outOffset + i, apply(op, Access.get(xb, Access.offset(i, shape, x)), p, q));
        }
    }

    static void binaryReference(BinaryOp op, int[] shape, View a, View b, CpuBuffer out, int outOffset) {
        CpuBuffer ab = Access.cpu(a.buffer());
        CpuBuffer bb = Access.cpu(b.buffer());
        int n = Access.size(shape);
        for (int i = 0; i < n; i++) {
            double av = Access.get(ab, Access.offset(i, shape, a));
            double bv = Access.get(bb, Access.offset(i, shape, b));
            Access.set(out, outOffset + i, apply(op, av, bv));
        }
    }

    static void whereReference(int[] shape, View cond, View a, View b, CpuBuffer out, int outOffset) {
        CpuBuffer cb = Access.cpu(cond.buffer());
        CpuBuffer ab = Access.cpu(a.buffer());
        CpuBuffer bb = Access.cpu(b.buffer());
        int n = Access.size(shape);
        for (int i = 0; i < n; i++) {
            boolean c = Access.get(cb, Access.offset(i, shape, cond)) != 0;
            double v = c ? Access.get(ab, Access.offset(i, shape, a)) : Access.get(bb, Access.offset(i, shape, b));
            Access.set(out, outOffset + i, v);
        }
    }
}
