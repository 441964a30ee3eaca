package org.distill4j.kernels.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.distill4j.kernels.BinaryOp;

/**
 * Vector API loops of the F32 binary and where kernels, one run at a time: {@code len}
 * outputs from inputs that are each contiguous (stride 1) or repeated (stride 0). Touched only
 * when {@link VectorSupport#AVAILABLE}. {@link VectorBinaryF64} is the same code for doubles.
 *
 * <p>Laid out like {@link VectorUnaryF32}: a loop method per op, no vector crossing a method
 * boundary, the last {@code L} inputs of a run copied aside and computed as one more vector. A
 * repeated input is read from a vector-length array filled with its value, at stride 0, so every
 * loop loads unconditionally.
 */
final class VectorBinaryF32 {
    /**
     * The package's one vector shape ({@link VectorWidth}), as in the GEMM kernels: every Vector API class of this
     * package must use one shape, or the JIT's type profiles of the shared Vector API code mix
     * 256- and 512-bit vector classes and stop compiling it to vector instructions (measured: the
     * direct convolution ran 12 times slower after 512-bit code had run in the same JVM).
     */
    private static final VectorSpecies<Float> S = VectorWidth.F32;
    private static final int L = S.length();
    private static final FloatVector ZERO = FloatVector.zero(S);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1);

    private VectorBinaryF32() {
    }

    /** The last (or only) {@code L} inputs of a run, zero-padded, or the repeated value {@code L} times. */
    private static float[] lastVector(float[] a, int off, int stride, int len) {
        float[] v = new float[L];
        if (stride == 0) {
            Arrays.fill(v, a[off]);
        } else {
            int n = Math.min(L, len);
            System.arraycopy(a, off + len - n, v, 0, n);
        }
        return v;
    }

    /**
     * {@code y[yo + i] = op(a[ao + i * as], b[bo + i * bs])} for {@code i < len}, strides 0 or 1;
     * POW has no vector form.
     */
    static void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
                       float[] y, int yo, int len) {
        float[] lastA = lastVector(a, ao, as, len);
        float[] lastB = lastVector(b, bo, bs, len);
        if (len < L) {
            float[] out = new float[L];
            loop(op, lastA, 0, 1, lastB, 0, 1, out, 0, 1);
            System.arraycopy(out, 0, y, yo, len);
            return;
        }
        // A repeated input is read at stride 0 from its filled vector.
        float[] sa = as == 0 ? lastA : a;
        float[] sb = bs == 0 ? lastB : b;
        loop(op, sa, as == 0 ? 0 : ao, as, sb, bs == 0 ? 0 : bo, bs, y, yo, len - L);
        loop(op, lastA, 0, 1, lastB, 0, 1, y, yo + len - L, 1);
    }

    /** The vectors starting at {@code i = 0, L, 2L, ...} below {@code end}. */
    private static void loop(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
                             float[] y, int yo, int end) {
        switch (op) {
            case ADD -> add(a, ao, as, b, bo, bs, y, yo, end);
            case SUB -> sub(a, ao, as, b, bo, bs, y, yo, end);
            case MUL -> mul(a, ao, as, b, bo, bs, y, yo, end);
            case DIV -> div(a, ao, as, b, bo, bs, y, yo, end);
            case MAX -> max(a, ao, as, b, bo, bs, y, yo, end);
            case MIN -> min(a, ao, as, b, bo, bs, y, yo, end);
            case GT -> gt(a, ao, as, b, bo, bs, y, yo, end);
            case GE -> ge(a, ao, as, b, bo, bs, y, yo, end);
            case LT -> lt(a, ao, as, b, bo, bs, y, yo, end);
            case LE -> le(a, ao, as, b, bo, bs, y, yo, end);
            case EQ -> eq(a, ao, as, b, bo, bs, y, yo, end);
            case MUL_STEP -> mulStep(a, ao, as, b, bo, bs, y, yo, end);
            case POW -> throw new IllegalArgumentException("no vector form for " + op);
        }
    }

    private static void add(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i * as);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i * bs);
            va.add(vb).intoArray(y, yo + i);
        }
    }

    private static void sub(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i * as);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i * bs);
            va.sub(vb).intoArray(y, yo + i);
        }
    }

    private static void mul(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i * as);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i * bs);
            va.mul(vb).intoArray(y, yo + i);
        }
    }

    private static void div(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i * as);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i * bs);
            va.div(vb).intoArray(y, yo + i);
        }
    }

    private static void max(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i * as);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i * bs);
            va.max(vb).intoArray(y, yo + i);
        }
    }

    private static void min(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i * as);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i * bs);
            va.min(vb).intoArray(y, yo + i);
        }
    }

    private static void gt(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i * as);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i * bs);
            ZERO.blend(ONE, va.compare(VectorOperators.GT, vb)).intoArray(y, yo + i);
        }
    }

    private static void ge(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i * as);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i * bs);
            ZERO.blend(ONE, va.compare(VectorOperators.GE, vb)).intoArray(y, yo + i);
        }
    }

    private static void lt(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i * as);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i * bs);
            ZERO.blend(ONE, va.compare(VectorOperators.LT, vb)).intoArray(y, yo + i);
        }
    }

    private static void le(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i * as);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i * bs);
            ZERO.blend(ONE, va.compare(VectorOperators.LE, vb)).intoArray(y, yo + i);
        }
    }

    private static void eq(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i * as);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i * bs);
            ZERO.blend(ONE, va.compare(VectorOperators.EQ, vb)).intoArray(y, yo + i);
        }
    }

    /** {@code a * (b > 0 ? 1 : 0)}: the same mask as {@code UnaryOp.STEP}, the same product as {@link #mul}. */
    private static void mulStep(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ao + i * as);
            FloatVector vb = FloatVector.fromArray(S, b, bo + i * bs);
            va.mul(ZERO.blend(ONE, vb.compare(VectorOperators.GT, 0))).intoArray(y, yo + i);
        }
    }

    /** {@code y[yo + i] = c[co + i * cs] != 0 ? a[ao + i * as] : b[bo + i * bs]}, strides 0 or 1. */
    static void where(float[] c, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs,
                      float[] y, int yo, int len) {
        float[] lastC = lastVector(c, co, cs, len);
        float[] lastA = lastVector(a, ao, as, len);
        float[] lastB = lastVector(b, bo, bs, len);
        if (len < L) {
            float[] out = new float[L];
            select(lastC, 0, 1, lastA, 0, 1, lastB, 0, 1, out, 0, 1);
            System.arraycopy(out, 0, y, yo, len);
            return;
        }
        select(cs == 0 ? lastC : c, cs == 0 ? 0 : co, cs, as == 0 ? lastA : a, as == 0 ? 0 : ao, as,
                bs == 0 ? lastB : b, bs == 0 ? 0 : bo, bs, y, yo, len - L);
        select(lastC, 0, 1, lastA, 0, 1, lastB, 0, 1, y, yo + len - L, 1);
    }

    private static void select(float[] c, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs,
                               float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector vc = FloatVector.fromArray(S, c, co + i * cs);
            FloatVector va = FloatVector.fromArray(S, a, ao + i * as);
            FloatVector.fromArray(S, b, bo + i * bs).blend(va, vc.compare(VectorOperators.NE, 0)).intoArray(y, yo + i);
        }
    }
}
