package org.distill4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API loops of row standardisation for {@link Norm}: the forward {@code y = (x - m) * r}
 * and the first-order backward {@code gx = (g - mean(g) - y * mean(g * y)) * r}, each one pass
 * over a row instead of a chain of broadcast ops with a temporary each. Touched only when
 * {@link VectorSupport#AVAILABLE}. Rows of at least one vector end with a full vector placed at
 * {@code len - L}; it recomputes a few outputs from the same inputs (the output never aliases an
 * input), so no lane is left to scalar code.
 */
final class VectorNormF32 {
    /** The one vector shape of this package ({@link VectorWidth}). */
    private static final VectorSpecies<Float> S = VectorWidth.F32;
    private static final int L = S.length();
    private static final TailMasks<Float> MASKS = new TailMasks<>(S);

    private VectorNormF32() {
    }

    /** {@code y[yOff + i] = (x[xOff + i] - m) * r} for {@code i < len}. */
    static void standardize(float[] x, int xOff, int len, float m, float r, float[] y, int yOff) {
        FloatVector mv = FloatVector.broadcast(S, m);
        FloatVector rv = FloatVector.broadcast(S, r);
        if (len < L) {
            VectorMask<Float> in = MASKS.first(len);
            FloatVector.fromArray(S, x, xOff, in).sub(mv).mul(rv).intoArray(y, yOff, in);
            return;
        }
        for (int i = 0; i < len; i += L) {
            int at = Math.min(i, len - L);
            FloatVector.fromArray(S, x, xOff + at).sub(mv).mul(rv).intoArray(y, yOff + at);
        }
    }

    /** {@code gx[gxOff + i] = (g[gOff + i] - mg - y[yOff + i] * mgy) * r} for {@code i < len}. */
    static void backward(float[] g, int gOff, float[] y, int yOff, int len, float mg, float mgy, float r,
                         float[] gx, int gxOff) {
        FloatVector mgv = FloatVector.broadcast(S, mg);
        FloatVector mgyv = FloatVector.broadcast(S, -mgy);
        FloatVector rv = FloatVector.broadcast(S, r);
        if (len < L) {
            VectorMask<Float> in = MASKS.first(len);
            FloatVector gv = FloatVector.fromArray(S, g, gOff, in).sub(mgv);
            FloatVector.fromArray(S, y, yOff, in).fma(mgyv, gv).mul(rv).intoArray(gx, gxOff, in);
            return;
        }
        for (int i = 0; i < len; i += L) {
            int at = Math.min(i, len - L);
            FloatVector gv = FloatVector.fromArray(S, g, gOff + at).sub(mgv);
            FloatVector.fromArray(S, y, yOff + at).fma(mgyv, gv).mul(rv).intoArray(gx, gxOff + at);
        }
    }
}
