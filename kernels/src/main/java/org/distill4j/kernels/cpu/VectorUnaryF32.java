package org.distill4j.kernels.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.distill4j.kernels.UnaryOp;

/**
 * Vector API loops of the F32 unary kernels, one run at a time: {@code len} outputs from
 * an input that is contiguous (stride 1) or repeated (stride 0). Touched only when
 * {@link VectorSupport#AVAILABLE}. {@link VectorUnaryF64} is the same code for doubles.
 *
 * <p>Each op has a loop method of its own, and no vector crosses a method boundary: the Vector
 * API intrinsics need constant operators, and a method holding many vector loops behind a switch
 * was compiled with some loops boxing every vector once a second op had run (measured 10 to 35
 * times slower). Tails never run scalar: the last {@code L} inputs of a run are copied aside first
 * (so an output aliasing its input is still read unmodified) and computed as one more vector
 * written at {@code len - L}; a run shorter than a vector is computed in a zero-padded copy.
 */
final class VectorUnaryF32 {
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
    private static final FloatVector MINUS_ONE = FloatVector.broadcast(S, -1);

    private VectorUnaryF32() {
    }

    /**
     * {@code y[yo + i] = op(x[xo + i * xs]; p, q)} for {@code i < len}, {@code xs} 0 or 1; POW has
     * no vector form.
     */
    static void unary(UnaryOp op, float p, float q, float[] x, int xo, int xs, float[] y, int yo, int len) {
        if (xs == 0 || len < L) {
            float[] in = new float[L];
            float[] out = new float[L];
            if (xs == 0) {
                Arrays.fill(in, x[xo]);
            } else {
                System.arraycopy(x, xo, in, 0, len);
            }
            loop(op, p, q, in, 0, out, 0, 1);
            if (xs == 0) {
                Arrays.fill(y, yo, yo + len, out[0]);
            } else {
                System.arraycopy(out, 0, y, yo, len);
            }
            return;
        }
        int tail = len - L;
        float[] last = Arrays.copyOfRange(x, xo + tail, xo + len);
        loop(op, p, q, x, xo, y, yo, tail);
        loop(op, p, q, last, 0, y, yo + tail, 1);
    }

    /** The vectors starting at {@code i = 0, L, 2L, ...} below {@code end}. */
    private static void loop(UnaryOp op, float p, float q, float[] x, int xo, float[] y, int yo, int end) {
        switch (op) {
            case NEG -> neg(x, xo, y, yo, end);
            case SQRT -> sqrt(x, xo, y, yo, end);
            case RSQRT -> rsqrt(x, xo, y, yo, end);
            case RECIPROCAL -> reciprocal(x, xo, y, yo, end);
            case SQUARE -> square(x, xo, y, yo, end);
            case ABS -> abs(x, xo, y, yo, end);
            case SIGN -> sign(x, xo, y, yo, end);
            case RELU -> relu(x, xo, y, yo, end);
            case STEP -> step(x, xo, y, yo, end);
            case LEAKY_RELU -> leakyRelu(p, x, xo, y, yo, end);
            case LEAKY_STEP -> leakyStep(p, x, xo, y, yo, end);
            case CLAMP -> clamp(p, q, x, xo, y, yo, end);
            case INSIDE -> inside(p, q, x, xo, y, yo, end);
            case AFFINE -> affine(p, q, x, xo, y, yo, end);
            case POW, EXP, LOG, SIGMOID, TANH, SOFTPLUS ->
                    throw new IllegalArgumentException("no vector form for " + op + " (see Elementwise.scalarOnly)");
        }
    }

    private static void neg(float[] x, int xo, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.neg().intoArray(y, yo + i);
        }
    }

    private static void sqrt(float[] x, int xo, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.sqrt().intoArray(y, yo + i);
        }
    }

    private static void rsqrt(float[] x, int xo, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            ONE.div(v.sqrt()).intoArray(y, yo + i);
        }
    }

    private static void reciprocal(float[] x, int xo, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            ONE.div(v).intoArray(y, yo + i);
        }
    }

    private static void square(float[] x, int xo, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(v).intoArray(y, yo + i);
        }
    }

    private static void abs(float[] x, int xo, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.abs().intoArray(y, yo + i);
        }
    }

    private static void sign(float[] x, int xo, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.blend(ONE, v.compare(VectorOperators.GT, 0)).blend(MINUS_ONE, v.compare(VectorOperators.LT, 0))
                    .intoArray(y, yo + i);
        }
    }

    private static void relu(float[] x, int xo, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            ZERO.blend(v, v.compare(VectorOperators.GT, 0)).intoArray(y, yo + i);
        }
    }

    private static void step(float[] x, int xo, float[] y, int yo, int end) {
        for (int i = 0; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            ZERO.blend(ONE, v.compare(VectorOperators.GT, 0)).intoArray(y, yo + i);
        }
    }

    private static void leakyRelu(float p, float[] x, int xo, float[] y, int yo, int end) {
        FloatVector vp = FloatVector.broadcast(S, p);
        for (int i = 0; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(vp).blend(v, v.compare(VectorOperators.GT, 0)).intoArray(y, yo + i);
        }
    }

    private static void leakyStep(float p, float[] x, int xo, float[] y, int yo, int end) {
        FloatVector vp = FloatVector.broadcast(S, p);
        for (int i = 0; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            vp.blend(ONE, v.compare(VectorOperators.GT, 0)).intoArray(y, yo + i);
        }
    }

    private static void clamp(float p, float q, float[] x, int xo, float[] y, int yo, int end) {
        FloatVector vp = FloatVector.broadcast(S, p);
        FloatVector vq = FloatVector.broadcast(S, q);
        for (int i = 0; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.max(vp).min(vq).intoArray(y, yo + i);
        }
    }

    private static void inside(float p, float q, float[] x, int xo, float[] y, int yo, int end) {
        FloatVector vp = FloatVector.broadcast(S, p);
        FloatVector vq = FloatVector.broadcast(S, q);
        for (int i = 0; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            ZERO.blend(ONE, v.compare(VectorOperators.GT, vp).and(v.compare(VectorOperators.LT, vq)))
                    .intoArray(y, yo + i);
        }
    }

    private static void affine(float p, float q, float[] x, int xo, float[] y, int yo, int end) {
        FloatVector vp = FloatVector.broadcast(S, p);
        FloatVector vq = FloatVector.broadcast(S, q);
        for (int i = 0; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.fma(vp, vq).intoArray(y, yo + i);
        }
    }
}
