package org.distill4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API loops of row standardisation for {@link Norm}: the forward {@code y = (x - m) * r}
 * and the first-order backward {@code gx = (g - mean(g) - y * mean(g * y)) * r}, each one pass
 * over a row instead of a chain of broadcast ops with a temporary each; and of the per-channel
 * affine that follows it ({@code y = x * gamma + beta}, with the ReLU after it or not, and its backward). Touched only when
 * {@link VectorSupport#AVAILABLE}. Rows of at least one vector end with a full vector placed at
 * {@code len - L}; it recomputes a few outputs from the same inputs (the output never aliases an
 * input), so no lane is left to scalar code.
 */
final class VectorNormF32 {
    /** The one vector shape of this package ({@link VectorWidth}). */
    private static final VectorSpecies<Float> S = VectorWidth.F32;
    private static final int L = S.length();
    private static final TailMasks<Float> MASKS = new TailMasks<>(S);
    private static final FloatVector ZERO = FloatVector.zero(S);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

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

    /** {@code y[yOff + i] = x[xOff + i] * gamma + beta} for {@code i < len}, the product rounded first; then ReLU'd with {@code relu}. */
    static void affine(float[] x, int xOff, int len, float gamma, float beta, boolean relu, float[] y, int yOff) {
        FloatVector gv = FloatVector.broadcast(S, gamma);
        FloatVector bv = FloatVector.broadcast(S, beta);
        if (len < L) {
            VectorMask<Float> in = MASKS.first(len);
            FloatVector v = FloatVector.fromArray(S, x, xOff, in).mul(gv).add(bv);
            (relu ? ZERO.blend(v, v.compare(VectorOperators.GT, 0)) : v).intoArray(y, yOff, in);
            return;
        }
        for (int i = 0; i < len; i += L) {
            int at = Math.min(i, len - L);
            FloatVector v = FloatVector.fromArray(S, x, xOff + at).mul(gv).add(bv);
            (relu ? ZERO.blend(v, v.compare(VectorOperators.GT, 0)) : v).intoArray(y, yOff + at);
        }
    }

    /**
     * {@link #standardize} then {@link #affine} of one row in one pass: {@code y = ((x - m) * r) *
     * gamma + beta}, then ReLU'd with {@code relu}, each operation rounded as the two kernels round it.
     */
    static void standardizeAffine(float[] x, int xOff, int len, float m, float r, float gamma, float beta, boolean relu,
                                  float[] y, int yOff) {
        FloatVector mv = FloatVector.broadcast(S, m);
        FloatVector rv = FloatVector.broadcast(S, r);
        FloatVector gv = FloatVector.broadcast(S, gamma);
        FloatVector bv = FloatVector.broadcast(S, beta);
        if (len < L) {
            VectorMask<Float> in = MASKS.first(len);
            FloatVector v = FloatVector.fromArray(S, x, xOff, in).sub(mv).mul(rv).mul(gv).add(bv);
            (relu ? ZERO.blend(v, v.compare(VectorOperators.GT, 0)) : v).intoArray(y, yOff, in);
            return;
        }
        for (int i = 0; i < len; i += L) {
            int at = Math.min(i, len - L);
            FloatVector v = FloatVector.fromArray(S, x, xOff + at).sub(mv).mul(rv).mul(gv).add(bv);
            (relu ? ZERO.blend(v, v.compare(VectorOperators.GT, 0)) : v).intoArray(y, yOff + at);
        }
    }

    /** {@code g[gi..]}, times {@code step(mask[mi..])} ({@code MUL_STEP}'s bits) unless {@code mask} is null. */
    private static FloatVector gradient(float[] g, int gi, float[] mask, int mi) {
        FloatVector v = FloatVector.fromArray(S, g, gi);
        return mask == null ? v : v.mul(ZERO.blend(ONE, FloatVector.fromArray(S, mask, mi).compare(VectorOperators.GT, 0)));
    }

    /**
     * One piece (at most {@link Reduce#PIECE} elements) of the per-channel affine's backward, with
     * {@code g' = g * step(mask)} where {@code mask} (the forward's ReLU output) is not null, else
     * {@code g' = g}: {@code gx[gxOff + i] = g'[i] * gamma} for {@code i < len}, and, unless
     * {@code sums} is null, {@code sums[0]} = the sum of the products {@code g' * x} and
     * {@code sums[1]} = the sum of {@code g'}, each added exactly as {@link VectorReduceF32#sum}
     * adds a run of them (blocks of {@link VectorReduceF32#BLOCK} in four accumulators, then one
     * accumulator, the last vector placed at {@code len - L} with its counted lanes blended to
     * zero): the bits of the products stored and summed, without storing them.
     */
    static void affineBackward(float[] g, int gOff, float[] x, int xOff, float[] mask, int mOff, int len, float gamma,
                               float[] gx, int gxOff, double[] sums) {
        FloatVector gm = FloatVector.broadcast(S, gamma);
        if (len < L) {
            VectorMask<Float> in = MASKS.first(len);
            FloatVector gv = FloatVector.fromArray(S, g, gOff, in);
            if (mask != null) {
                gv = gv.mul(ZERO.blend(ONE, FloatVector.fromArray(S, mask, mOff, in).compare(VectorOperators.GT, 0)));
            }
            gv.mul(gm).intoArray(gx, gxOff, in);
            if (sums != null) {
                sums[0] = LaneSum.of(gv.mul(FloatVector.fromArray(S, x, xOff, in)));
                sums[1] = LaneSum.of(gv);
            }
            return;
        }
        if (sums == null) {
            for (int i = 0; i < len; i += L) {
                int at = Math.min(i, len - L);
                gradient(g, gOff + at, mask, mOff + at).mul(gm).intoArray(gx, gxOff + at);
            }
            return;
        }
        final int block = VectorReduceF32.BLOCK;
        double totalGx = 0;
        double totalG = 0;
        int i = 0;
        for (; i + block <= len; i += block) {
            FloatVector p0 = FloatVector.zero(S);
            FloatVector p1 = p0;
            FloatVector p2 = p0;
            FloatVector p3 = p0;
            FloatVector s0 = p0;
            FloatVector s1 = p0;
            FloatVector s2 = p0;
            FloatVector s3 = p0;
            for (int k = i; k < i + block; k += 4 * L) {
                FloatVector g0 = gradient(g, gOff + k, mask, mOff + k);
                FloatVector g1 = gradient(g, gOff + k + L, mask, mOff + k + L);
                FloatVector g2 = gradient(g, gOff + k + 2 * L, mask, mOff + k + 2 * L);
                FloatVector g3 = gradient(g, gOff + k + 3 * L, mask, mOff + k + 3 * L);
                p0 = p0.add(g0.mul(FloatVector.fromArray(S, x, xOff + k)));
                p1 = p1.add(g1.mul(FloatVector.fromArray(S, x, xOff + k + L)));
                p2 = p2.add(g2.mul(FloatVector.fromArray(S, x, xOff + k + 2 * L)));
                p3 = p3.add(g3.mul(FloatVector.fromArray(S, x, xOff + k + 3 * L)));
                s0 = s0.add(g0);
                s1 = s1.add(g1);
                s2 = s2.add(g2);
                s3 = s3.add(g3);
                g0.mul(gm).intoArray(gx, gxOff + k);
                g1.mul(gm).intoArray(gx, gxOff + k + L);
                g2.mul(gm).intoArray(gx, gxOff + k + 2 * L);
                g3.mul(gm).intoArray(gx, gxOff + k + 3 * L);
            }
            totalGx += LaneSum.of(p0.add(p1).add(p2.add(p3)));
            totalG += LaneSum.of(s0.add(s1).add(s2.add(s3)));
        }
        if (i < len) {
            FloatVector p = FloatVector.zero(S);
            FloatVector s = p;
            int full = i + (len - i) / L * L;
            for (; i < full; i += L) {
                FloatVector gv = gradient(g, gOff + i, mask, mOff + i);
                p = p.add(gv.mul(FloatVector.fromArray(S, x, xOff + i)));
                s = s.add(gv);
                gv.mul(gm).intoArray(gx, gxOff + i);
            }
            int rem = len - full;
            if (rem == 0) {
                p = p.add(FloatVector.zero(S));
                s = s.add(FloatVector.zero(S));
            } else {
                VectorMask<Float> unseen = MASKS.from(L - rem);
                FloatVector gv = gradient(g, gOff + len - L, mask, mOff + len - L);
                p = p.add(FloatVector.zero(S).blend(gv.mul(FloatVector.fromArray(S, x, xOff + len - L)), unseen));
                s = s.add(FloatVector.zero(S).blend(gv, unseen));
                gv.mul(gm).intoArray(gx, gxOff + len - L);
            }
            totalGx += LaneSum.of(p);
            totalG += LaneSum.of(s);
        }
        sums[0] = totalGx;
        sums[1] = totalG;
    }
}
