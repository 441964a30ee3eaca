package org.distill4j.kernels.cpu;

import java.util.Arrays;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.UnaryOp;

/**
 * Plain-Java inner loops of the elementwise kernels, one run at a time, inputs at any stride.
 * They serve strided runs, ops without a vector form, and JVMs without the Vector API. Values go
 * through {@link Elementwise#apply} in double and are rounded once, exactly as the reference does;
 * the four arithmetic ops get contiguous loops of their own, which C2 auto-vectorises (a float sum
 * rounded from double equals the float sum, so they still match the reference bit for bit).
 */
final class PlainElementwise {
    private PlainElementwise() {
    }

    // ---- copy ---------------------------------------------------------------------------------

    /** {@code out[oo + i] = x[xo + i * xs]} for {@code i < len}, converting between dtypes. */
    static void copy(CpuBuffer x, int xo, int xs, CpuBuffer out, int oo, int len) {
        if (x.dtype() == out.dtype()) {
            Object src = x.f != null ? x.f : x.d != null ? x.d : x.i;
            Object dst = out.f != null ? out.f : out.d != null ? out.d : out.i;
            if (xs == 1) {
                System.arraycopy(src, xo, dst, oo, len);
                return;
            }
            if (xs == 0) {
                if (out.f != null) {
                    Arrays.fill(out.f, oo, oo + len, x.f[xo]);
                } else if (out.d != null) {
                    Arrays.fill(out.d, oo, oo + len, x.d[xo]);
                } else {
                    Arrays.fill(out.i, oo, oo + len, x.i[xo]);
                }
                return;
            }
        }
        if (out.f != null && x.d != null) {
            float[] y = out.f;
            double[] a = x.d;
            for (int i = 0; i < len; i++) {
                y[oo + i] = (float) a[xo + i * xs];
            }
        } else if (out.d != null && x.f != null) {
            double[] y = out.d;
            float[] a = x.f;
            for (int i = 0; i < len; i++) {
                y[oo + i] = a[xo + i * xs];
            }
        } else if (out.f != null) {
            float[] y = out.f;
            for (int i = 0; i < len; i++) {
                y[oo + i] = (float) Access.get(x, xo + i * xs);
            }
        } else if (out.d != null) {
            double[] y = out.d;
            for (int i = 0; i < len; i++) {
                y[oo + i] = Access.get(x, xo + i * xs);
            }
        } else {
            int[] y = out.i;
            for (int i = 0; i < len; i++) {
                y[oo + i] = (int) Access.get(x, xo + i * xs);
            }
        }
    }

    // ---- unary --------------------------------------------------------------------------------

    /** The common cheap ops get loops of their own (C2 does not hoist the op switch out of the loop). */
    static void unary(UnaryOp op, double p, double q, float[] x, int xo, int xs, float[] y, int yo, int len) {
        switch (op) {
            case NEG -> {
                for (int i = 0; i < len; i++) {
                    y[yo + i] = -x[xo + i * xs];
                }
            }
            case SQUARE -> {
                for (int i = 0; i < len; i++) {
                    float v = x[xo + i * xs];
                    y[yo + i] = v * v;
                }
            }
            case RELU -> {
                for (int i = 0; i < len; i++) {
                    float v = x[xo + i * xs];
                    y[yo + i] = v > 0 ? v : 0f;
                }
            }
            case STEP -> {
                for (int i = 0; i < len; i++) {
                    y[yo + i] = x[xo + i * xs] > 0 ? 1f : 0f;
                }
            }
            case AFFINE -> {
                for (int i = 0; i < len; i++) {
                    y[yo + i] = (float) (p * x[xo + i * xs] + q);
                }
            }
            default -> {
                for (int i = 0; i < len; i++) {
                    y[yo + i] = (float) Elementwise.apply(op, x[xo + i * xs], p, q);
                }
            }
        }
    }

    static void unary(UnaryOp op, double p, double q, double[] x, int xo, int xs, double[] y, int yo, int len) {
        switch (op) {
            case NEG -> {
                for (int i = 0; i < len; i++) {
                    y[yo + i] = -x[xo + i * xs];
                }
            }
            case SQUARE -> {
                for (int i = 0; i < len; i++) {
                    double v = x[xo + i * xs];
                    y[yo + i] = v * v;
                }
            }
            case RELU -> {
                for (int i = 0; i < len; i++) {
                    double v = x[xo + i * xs];
                    y[yo + i] = v > 0 ? v : 0.0;
                }
            }
            case STEP -> {
                for (int i = 0; i < len; i++) {
                    y[yo + i] = x[xo + i * xs] > 0 ? 1.0 : 0.0;
                }
            }
            case AFFINE -> {
                for (int i = 0; i < len; i++) {
                    y[yo + i] = p * x[xo + i * xs] + q;
                }
            }
            default -> {
                for (int i = 0; i < len; i++) {
                    y[yo + i] = Elementwise.apply(op, x[xo + i * xs], p, q);
                }
            }
        }
    }

    // ---- binary -------------------------------------------------------------------------------

    static void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int len) {
        if (as == 1 && bs == 1 && op == BinaryOp.ADD) {
            for (int i = 0; i < len; i++) {
                y[yo + i] = a[ao + i] + b[bo + i];
            }
        } else if (as == 1 && bs == 1 && op == BinaryOp.SUB) {
            for (int i = 0; i < len; i++) {
                y[yo + i] = a[ao + i] - b[bo + i];
            }
        } else if (as == 1 && bs == 1 && op == BinaryOp.MUL) {
            for (int i = 0; i < len; i++) {
                y[yo + i] = a[ao + i] * b[bo + i];
            }
        } else if (as == 1 && bs == 1 && op == BinaryOp.DIV) {
            for (int i = 0; i < len; i++) {
                y[yo + i] = a[ao + i] / b[bo + i];
            }
        } else {
            for (int i = 0; i < len; i++) {
                y[yo + i] = (float) Elementwise.apply(op, a[ao + i * as], b[bo + i * bs]);
            }
        }
    }

    static void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int yo, int len) {
        if (as == 1 && bs == 1 && op == BinaryOp.ADD) {
            for (int i = 0; i < len; i++) {
                y[yo + i] = a[ao + i] + b[bo + i];
            }
        } else if (as == 1 && bs == 1 && op == BinaryOp.SUB) {
            for (int i = 0; i < len; i++) {
                y[yo + i] = a[ao + i] - b[bo + i];
            }
        } else if (as == 1 && bs == 1 && op == BinaryOp.MUL) {
            for (int i = 0; i < len; i++) {
                y[yo + i] = a[ao + i] * b[bo + i];
            }
        } else if (as == 1 && bs == 1 && op == BinaryOp.DIV) {
            for (int i = 0; i < len; i++) {
                y[yo + i] = a[ao + i] / b[bo + i];
            }
        } else {
            for (int i = 0; i < len; i++) {
                y[yo + i] = Elementwise.apply(op, a[ao + i * as], b[bo + i * bs]);
            }
        }
    }

    // ---- where --------------------------------------------------------------------------------

    /** {@code out[oo + i] = c != 0 ? a : b}; {@code c} may have any dtype, {@code a}, {@code b} that of {@code out}. */
    static void where(CpuBuffer c, int co, int cs, CpuBuffer a, int ao, int as, CpuBuffer b, int bo, int bs,
                      CpuBuffer out, int oo, int len) {
        if (out.f != null) {
            for (int i = 0; i < len; i++) {
                out.f[oo + i] = Access.get(c, co + i * cs) != 0 ? a.f[ao + i * as] : b.f[bo + i * bs];
            }
        } else {
            for (int i = 0; i < len; i++) {
                out.d[oo + i] = Access.get(c, co + i * cs) != 0 ? a.d[ao + i * as] : b.d[bo + i * bs];
            }
        }
    }
}
