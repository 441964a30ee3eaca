package org.distill4j.kernels.cpu;

import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.kernels.View;

/** Elementwise kernels: fill, copy, unary, binary, where. */
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
        };
    }

    // ---- scalar references --------------------------------------------------------------------

    static void fillReference(CpuBuffer out, int offset, int n, double value) {
        for (int i = 0; i < n; i++) {
            Access.set(out, offset + i, value);
        }
    }

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
