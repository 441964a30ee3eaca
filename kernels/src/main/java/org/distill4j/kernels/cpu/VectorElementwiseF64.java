package org.distill4j.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.UnaryOp;

/**
 * Vector API inner loops of the F64 elementwise kernels, one run at a time: {@code len} outputs,
 * each input contiguous (stride 1) or repeated (stride 0). Touched only when
 * {@link VectorSupport#AVAILABLE}. The same code as {@link VectorElementwiseF32}, float replaced by double.
 *
 * <p>Tails: a run of at least one vector ends with one more full vector placed at {@code len - L}
 * (overlapping the last loop iteration), loaded before the loop so that an output aliasing its
 * input is still read unmodified; masked stores (slow on AVX2 under JDK 17) are left to runs
 * shorter than one vector. Each op has its own loop, the switch outside it: the Vector API
 * intrinsics need the operator to be a constant, and a vector flowing out of a switch or a
 * non-inlined call is boxed on the heap (measured: 10 to 20 times slower).
 */
final class VectorElementwiseF64 {
    /**
     * 256 bits where the machine has them, as in the GEMM kernels: every Vector API class of this
     * package must use one shape, or the JIT's type profiles of the shared Vector API code mix
     * Float256Vector with Float512Vector and stop compiling it to vector instructions (measured:
     * the direct convolution ran 12 times slower after 512-bit code had run in the same JVM).
     */
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256
            ? DoubleVector.SPECIES_256 : DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final DoubleVector ZERO = DoubleVector.zero(S);
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1);
    private static final DoubleVector MINUS_ONE = DoubleVector.broadcast(S, -1);

    private VectorElementwiseF64() {
    }

    /** Whether {@code op} has a vector form; POW has none (it stays with {@link Math#pow}). */
    static boolean supports(UnaryOp op) {
        return op != UnaryOp.POW;
    }

    static boolean supports(BinaryOp op) {
        return op != BinaryOp.POW;
    }

    /** Stores {@code r} at {@code y[yo]}: whole, or the lanes of {@code m} when it is not null. */
    private static void put(DoubleVector r, double[] y, int yo, VectorMask<Double> m) {
        if (m == null) {
            r.intoArray(y, yo);
        } else {
            r.intoArray(y, yo, m);
        }
    }

    // ---- unary --------------------------------------------------------------------------------

    /** {@code y[yo + i] = op(x[xo + i * xs]; p, q)} for {@code i < len}, {@code xs} 0 or 1. */
    static void unary(UnaryOp op, double p, double q, double[] x, int xo, int xs, double[] y, int yo, int len) {
        DoubleVector vp = DoubleVector.broadcast(S, p);
        DoubleVector vq = DoubleVector.broadcast(S, q);
        if (xs == 0 || len < L) {
            VectorMask<Double> m = len < L ? S.indexInRange(0, len) : null;
            DoubleVector v = xs == 0 ? DoubleVector.broadcast(S, x[xo]) : DoubleVector.fromArray(S, x, xo, m);
            unaryStore(op, v, vp, vq, y, yo, m);
            if (len > L) {
                java.util.Arrays.fill(y, yo + L, yo + len, y[yo]);
            }
            return;
        }
        int tail = len - L;
        DoubleVector last = DoubleVector.fromArray(S, x, xo + tail);
        unaryLoop(op, vp, vq, x, xo, y, yo, tail);
        unaryStore(op, last, vp, vq, y, yo + tail, null);
    }

    /**
     * The whole vectors of a contiguous run, {@code i < tail} in steps of L. One loop per op: a
     * switch this large inside the loop would not be inlined, and C2 would box every vector.
     */
    private static void unaryLoop(UnaryOp op, DoubleVector p, DoubleVector q, double[] x, int xo, double[] y, int yo, int tail) {
        switch (op) {
            case NEG -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector.fromArray(S, x, xo + i).neg().intoArray(y, yo + i);
                }
            }
            case EXP -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector.fromArray(S, x, xo + i).lanewise(VectorOperators.EXP).intoArray(y, yo + i);
                }
            }
            case LOG -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector.fromArray(S, x, xo + i).lanewise(VectorOperators.LOG).intoArray(y, yo + i);
                }
            }
            case SQRT -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector.fromArray(S, x, xo + i).sqrt().intoArray(y, yo + i);
                }
            }
            case RSQRT -> {
                for (int i = 0; i < tail; i += L) {
                    ONE.div(DoubleVector.fromArray(S, x, xo + i).sqrt()).intoArray(y, yo + i);
                }
            }
            case RECIPROCAL -> {
                for (int i = 0; i < tail; i += L) {
                    ONE.div(DoubleVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
                }
            }
            case SQUARE -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
                    v.mul(v).intoArray(y, yo + i);
                }
            }
            case ABS -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector.fromArray(S, x, xo + i).abs().intoArray(y, yo + i);
                }
            }
            case RELU -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
                    ZERO.blend(v, v.compare(VectorOperators.GT, 0)).intoArray(y, yo + i);
                }
            }
            case STEP -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
                    ZERO.blend(ONE, v.compare(VectorOperators.GT, 0)).intoArray(y, yo + i);
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
                    v.mul(p).blend(v, v.compare(VectorOperators.GT, 0)).intoArray(y, yo + i);
                }
            }
            case LEAKY_STEP -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
                    p.blend(ONE, v.compare(VectorOperators.GT, 0)).intoArray(y, yo + i);
                }
            }
            case CLAMP -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector.fromArray(S, x, xo + i).max(p).min(q).intoArray(y, yo + i);
                }
            }
            case AFFINE -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector.fromArray(S, x, xo + i).fma(p, q).intoArray(y, yo + i);
                }
            }
            case SIGN -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
                    v.blend(ONE, v.compare(VectorOperators.GT, 0)).blend(MINUS_ONE, v.compare(VectorOperators.LT, 0))
                            .intoArray(y, yo + i);
                }
            }
            case INSIDE -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
                    ZERO.blend(ONE, v.compare(VectorOperators.GT, p).and(v.compare(VectorOperators.LT, q))).intoArray(y, yo + i);
                }
            }
            case TANH -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector.fromArray(S, x, xo + i).lanewise(VectorOperators.TANH).intoArray(y, yo + i);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
                    DoubleVector e = v.abs().neg().lanewise(VectorOperators.EXP);
                    DoubleVector s = ONE.div(ONE.add(e));
                    s.mul(e).blend(s, v.compare(VectorOperators.GE, 0)).intoArray(y, yo + i);
                }
            }
            case SOFTPLUS -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
                    v.max(0).add(v.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P)).intoArray(y, yo + i);
                }
            }
            case POW -> throw new IllegalArgumentException("no vector form for " + op);
        }
    }

    private static void unaryStore(UnaryOp op, DoubleVector x, DoubleVector p, DoubleVector q,
                                   double[] y, int yo, VectorMask<Double> m) {
        switch (op) {
            case NEG -> put(x.neg(), y, yo, m);
            case EXP -> put(x.lanewise(VectorOperators.EXP), y, yo, m);
            case LOG -> put(x.lanewise(VectorOperators.LOG), y, yo, m);
            case SQRT -> put(x.sqrt(), y, yo, m);
            case RSQRT -> put(ONE.div(x.sqrt()), y, yo, m);
            case RECIPROCAL -> put(ONE.div(x), y, yo, m);
            case SQUARE -> put(x.mul(x), y, yo, m);
            case ABS -> put(x.abs(), y, yo, m);
            case SIGN -> put(x.blend(ONE, x.compare(VectorOperators.GT, 0)).blend(MINUS_ONE, x.compare(VectorOperators.LT, 0)), y, yo, m);
            case RELU -> put(ZERO.blend(x, x.compare(VectorOperators.GT, 0)), y, yo, m);
            case STEP -> put(ZERO.blend(ONE, x.compare(VectorOperators.GT, 0)), y, yo, m);
            case LEAKY_RELU -> put(x.mul(p).blend(x, x.compare(VectorOperators.GT, 0)), y, yo, m);
            case LEAKY_STEP -> put(p.blend(ONE, x.compare(VectorOperators.GT, 0)), y, yo, m);
            case SIGMOID -> {
                // e = exp(-|x|) never overflows; 1/(1+e) for x >= 0, e/(1+e) below, as in the reference.
                DoubleVector e = x.abs().neg().lanewise(VectorOperators.EXP);
                DoubleVector s = ONE.div(ONE.add(e));
                put(s.mul(e).blend(s, x.compare(VectorOperators.GE, 0)), y, yo, m);
            }
            case TANH -> put(x.lanewise(VectorOperators.TANH), y, yo, m);
            case SOFTPLUS -> put(x.max(0).add(x.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P)), y, yo, m);
            case CLAMP -> put(x.max(p).min(q), y, yo, m);
            case INSIDE -> put(ZERO.blend(ONE, x.compare(VectorOperators.GT, p).and(x.compare(VectorOperators.LT, q))), y, yo, m);
            case AFFINE -> put(x.fma(p, q), y, yo, m);
            case POW -> throw new IllegalArgumentException("no vector form for " + op);
        }
    }

    // ---- binary -------------------------------------------------------------------------------

    /**
     * A repeated input (stride 0) becomes a vector-length array holding its value, read with
     * stride 0: every loop then loads unconditionally and C2 keeps the vectors in registers.
     */
    private static double[] source(double[] a, int off, int stride) {
        if (stride != 0) {
            return a;
        }
        double[] filled = new double[L];
        java.util.Arrays.fill(filled, a[off]);
        return filled;
    }

    /** {@code y[yo + i] = op(a[ao + i * as], b[bo + i * bs])} for {@code i < len}, strides 0 or 1. */
    static void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int yo, int len) {
        double[] sa = source(a, ao, as);
        double[] sb = source(b, bo, bs);
        ao = as == 0 ? 0 : ao;
        bo = bs == 0 ? 0 : bo;
        if (len < L) {
            VectorMask<Double> m = S.indexInRange(0, len);
            binaryStore(op, DoubleVector.fromArray(S, sa, ao, m), DoubleVector.fromArray(S, sb, bo, m), y, yo, m);
            return;
        }
        int tail = len - L;
        DoubleVector lastA = DoubleVector.fromArray(S, sa, ao + tail * as);
        DoubleVector lastB = DoubleVector.fromArray(S, sb, bo + tail * bs);
        switch (op) {
            case ADD -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector.fromArray(S, sa, ao + i * as).add(DoubleVector.fromArray(S, sb, bo + i * bs)).intoArray(y, yo + i);
                }
            }
            case SUB -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector.fromArray(S, sa, ao + i * as).sub(DoubleVector.fromArray(S, sb, bo + i * bs)).intoArray(y, yo + i);
                }
            }
            case MUL -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector.fromArray(S, sa, ao + i * as).mul(DoubleVector.fromArray(S, sb, bo + i * bs)).intoArray(y, yo + i);
                }
            }
            case DIV -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector.fromArray(S, sa, ao + i * as).div(DoubleVector.fromArray(S, sb, bo + i * bs)).intoArray(y, yo + i);
                }
            }
            case MAX -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector.fromArray(S, sa, ao + i * as).max(DoubleVector.fromArray(S, sb, bo + i * bs)).intoArray(y, yo + i);
                }
            }
            case MIN -> {
                for (int i = 0; i < tail; i += L) {
                    DoubleVector.fromArray(S, sa, ao + i * as).min(DoubleVector.fromArray(S, sb, bo + i * bs)).intoArray(y, yo + i);
                }
            }
            case GT -> {
                for (int i = 0; i < tail; i += L) {
                    ZERO.blend(ONE, DoubleVector.fromArray(S, sa, ao + i * as).compare(VectorOperators.GT, DoubleVector.fromArray(S, sb, bo + i * bs))).intoArray(y, yo + i);
                }
            }
            case GE -> {
                for (int i = 0; i < tail; i += L) {
                    ZERO.blend(ONE, DoubleVector.fromArray(S, sa, ao + i * as).compare(VectorOperators.GE, DoubleVector.fromArray(S, sb, bo + i * bs))).intoArray(y, yo + i);
                }
            }
            case LT -> {
                for (int i = 0; i < tail; i += L) {
                    ZERO.blend(ONE, DoubleVector.fromArray(S, sa, ao + i * as).compare(VectorOperators.LT, DoubleVector.fromArray(S, sb, bo + i * bs))).intoArray(y, yo + i);
                }
            }
            case LE -> {
                for (int i = 0; i < tail; i += L) {
                    ZERO.blend(ONE, DoubleVector.fromArray(S, sa, ao + i * as).compare(VectorOperators.LE, DoubleVector.fromArray(S, sb, bo + i * bs))).intoArray(y, yo + i);
                }
            }
            case EQ -> {
                for (int i = 0; i < tail; i += L) {
                    ZERO.blend(ONE, DoubleVector.fromArray(S, sa, ao + i * as).compare(VectorOperators.EQ, DoubleVector.fromArray(S, sb, bo + i * bs))).intoArray(y, yo + i);
                }
            }
            case POW -> throw new IllegalArgumentException("no vector form for " + op);
        }
        binaryStore(op, lastA, lastB, y, yo + tail, null);
    }

    private static void binaryStore(BinaryOp op, DoubleVector a, DoubleVector b, double[] y, int yo, VectorMask<Double> m) {
        switch (op) {
            case ADD -> put(a.add(b), y, yo, m);
            case SUB -> put(a.sub(b), y, yo, m);
            case MUL -> put(a.mul(b), y, yo, m);
            case DIV -> put(a.div(b), y, yo, m);
            case MAX -> put(a.max(b), y, yo, m);
            case MIN -> put(a.min(b), y, yo, m);
            case GT -> put(ZERO.blend(ONE, a.compare(VectorOperators.GT, b)), y, yo, m);
            case GE -> put(ZERO.blend(ONE, a.compare(VectorOperators.GE, b)), y, yo, m);
            case LT -> put(ZERO.blend(ONE, a.compare(VectorOperators.LT, b)), y, yo, m);
            case LE -> put(ZERO.blend(ONE, a.compare(VectorOperators.LE, b)), y, yo, m);
            case EQ -> put(ZERO.blend(ONE, a.compare(VectorOperators.EQ, b)), y, yo, m);
            case POW -> throw new IllegalArgumentException("no vector form for " + op);
        }
    }

    // ---- where --------------------------------------------------------------------------------

    /** {@code y[yo + i] = c[co + i * cs] != 0 ? a[ao + i * as] : b[bo + i * bs]}, strides 0 or 1. */
    static void where(double[] c, int co, int cs, double[] a, int ao, int as, double[] b, int bo, int bs,
                      double[] y, int yo, int len) {
        double[] sc = source(c, co, cs);
        double[] sa = source(a, ao, as);
        double[] sb = source(b, bo, bs);
        co = cs == 0 ? 0 : co;
        ao = as == 0 ? 0 : ao;
        bo = bs == 0 ? 0 : bo;
        if (len < L) {
            VectorMask<Double> m = S.indexInRange(0, len);
            DoubleVector vc = DoubleVector.fromArray(S, sc, co, m);
            DoubleVector.fromArray(S, sb, bo, m).blend(DoubleVector.fromArray(S, sa, ao, m), vc.compare(VectorOperators.NE, 0))
                    .intoArray(y, yo, m);
            return;
        }
        int tail = len - L;
        DoubleVector lastC = DoubleVector.fromArray(S, sc, co + tail * cs);
        DoubleVector lastA = DoubleVector.fromArray(S, sa, ao + tail * as);
        DoubleVector lastB = DoubleVector.fromArray(S, sb, bo + tail * bs);
        for (int i = 0; i < tail; i += L) {
            DoubleVector vc = DoubleVector.fromArray(S, sc, co + i * cs);
            DoubleVector.fromArray(S, sb, bo + i * bs).blend(DoubleVector.fromArray(S, sa, ao + i * as),
                    vc.compare(VectorOperators.NE, 0)).intoArray(y, yo + i);
        }
        lastB.blend(lastA, lastC.compare(VectorOperators.NE, 0)).intoArray(y, yo + tail);
    }
}
