package org.distill4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API 2x2, stride-2 max pooling of F32 planes with arg-max, for {@link Pool}; touched only
 * when {@link VectorSupport#AVAILABLE}. Scalar max pooling is bound by mispredicted branches on
 * real data (about 17 ns per output measured); here L outputs take four loads, an even/odd split
 * of each row pair and three compare-and-blend steps. The steps follow the reference's scan
 * (top-left, top-right, bottom-left, bottom-right; replace only when strictly greater), so the
 * first of equal values wins and NaNs land exactly where the reference puts them.
 */
final class VectorPool {
    /**
     * 256 bits where the machine has them: the shape of every Vector API class of this package
     * (see {@link VectorUnaryF32}); with 16 lanes the 14-output rows of a 28x28 plane would
     * all take the slow masked path, with 8 they take one block and one overlapping one.
     */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256
            ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final int HALF = L / 2;
    /** Evens to the low half, odds to the high half: {@code [0, 2, .., 1, 3, ..]}. */
    private static final VectorShuffle<Float> EVENS_LOW = VectorShuffle.fromOp(S,
            lane -> lane < HALF ? 2 * lane : 2 * (lane - HALF) + 1);
    /** Odds to the low half, evens to the high half: {@code [1, 3, .., 0, 2, ..]}. */
    private static final VectorShuffle<Float> ODDS_LOW = VectorShuffle.fromOp(S,
            lane -> lane < HALF ? 2 * lane + 1 : 2 * (lane - HALF));
    private static final VectorMask<Float> HIGH = S.indexInRange(-HALF, HALF);
    /** {@code 2 * lane}: the input column offset of each output lane. */
    private static final IntVector TWICE_LANE = IntVector.zero(I).addIndex(2);

    private VectorPool() {
    }

    /** Whether this class can serve {@code w}-wide planes (int lanes must match float lanes). */
    static boolean supports() {
        return I.length() == L;
    }

    /**
     * Pools {@code planes} planes of {@code h x w} starting at {@code x[xOff]} into
     * {@code y[yOff]} and {@code am[aOff]} ({@code h/2 x w/2} each).
     */
    static void maxPool2x2(float[] x, int xOff, int h, int w, int planes, float[] y, int yOff, int[] am, int aOff) {
        int oh = h / 2;
        int ow = w / 2;
        for (int pl = 0; pl < planes; pl++) {
            int xb = xOff + pl * h * w;
            int ob = pl * oh * ow;
            for (int p = 0; p < oh; p++) {
                int top = 2 * p * w;
                int dst = ob + p * ow;
                if (ow < L) {
                    shortRow(x, xb, top, w, ow, y, yOff + dst, am, aOff + dst);
                    continue;
                }
                for (int q = 0; q < ow - L; q += L) {
                    block(x, xb, top, w, q, y, yOff + dst + q, am, aOff + dst + q);
                }
                // The last L outputs of the row, overlapping the loop's last block if ow % L != 0.
                block(x, xb, top, w, ow - L, y, yOff + dst + ow - L, am, aOff + dst + ow - L);
            }
        }
    }

    /**
     * The even lanes of the pair {@code (a, b)} as one vector. JDK 17 does not compile the
     * two-vector {@code rearrange} to shuffles (measured 20 times slower); one-vector shuffles and
     * a blend are fast.
     */
    private static FloatVector evens(FloatVector a, FloatVector b) {
        return a.rearrange(EVENS_LOW).blend(b.rearrange(ODDS_LOW), HIGH);
    }

    private static FloatVector odds(FloatVector a, FloatVector b) {
        return a.rearrange(ODDS_LOW).blend(b.rearrange(EVENS_LOW), HIGH);
    }

    /** L outputs from column {@code 2q} of the row pair starting at plane offset {@code top}. */
    private static void block(float[] x, int xb, int top, int w, int q, float[] y, int yo, int[] am, int ao) {
        int i = xb + top + 2 * q;
        FloatVector t0 = FloatVector.fromArray(S, x, i);
        FloatVector t1 = FloatVector.fromArray(S, x, i + L);
        FloatVector b0 = FloatVector.fromArray(S, x, i + w);
        FloatVector b1 = FloatVector.fromArray(S, x, i + w + L);
        FloatVector te = evens(t0, t1);
        FloatVector to = odds(t0, t1);
        FloatVector be = evens(b0, b1);
        FloatVector bo = odds(b0, b1);
        IntVector left = TWICE_LANE.add(top + 2 * q);
        // The reference's scan: each later cell replaces the best so far only if strictly greater.
        VectorMask<Float> m1 = to.compare(VectorOperators.GT, te);
        FloatVector best = te.blend(to, m1);
        IntVector index = left.blend(left.add(1), m1.cast(I));
        VectorMask<Float> m2 = be.compare(VectorOperators.GT, best);
        best = best.blend(be, m2);
        index = index.blend(left.add(w), m2.cast(I));
        VectorMask<Float> m3 = bo.compare(VectorOperators.GT, best);
        best = best.blend(bo, m3);
        index = index.blend(left.add(w + 1), m3.cast(I));
        best.intoArray(y, yo);
        index.intoArray(am, ao);
    }

    /** The same for a row of {@code ow < L} outputs: masked loads and stores. */
    private static void shortRow(float[] x, int xb, int top, int w, int ow, float[] y, int yo, int[] am, int ao) {
        int i = xb + top;
        int n = 2 * ow;
        FloatVector t0 = FloatVector.fromArray(S, x, i, S.indexInRange(0, n));
        FloatVector t1 = FloatVector.fromArray(S, x, i + L, S.indexInRange(L, n));
        FloatVector b0 = FloatVector.fromArray(S, x, i + w, S.indexInRange(0, n));
        FloatVector b1 = FloatVector.fromArray(S, x, i + w + L, S.indexInRange(L, n));
        FloatVector te = evens(t0, t1);
        FloatVector to = odds(t0, t1);
        FloatVector be = evens(b0, b1);
        FloatVector bo = odds(b0, b1);
        IntVector left = TWICE_LANE.add(top);
        // The reference's scan: each later cell replaces the best so far only if strictly greater.
        VectorMask<Float> m1 = to.compare(VectorOperators.GT, te);
        FloatVector best = te.blend(to, m1);
        IntVector index = left.blend(left.add(1), m1.cast(I));
        VectorMask<Float> m2 = be.compare(VectorOperators.GT, best);
        best = best.blend(be, m2);
        index = index.blend(left.add(w), m2.cast(I));
        VectorMask<Float> m3 = bo.compare(VectorOperators.GT, best);
        best = best.blend(bo, m3);
        index = index.blend(left.add(w + 1), m3.cast(I));
        VectorMask<Float> m = S.indexInRange(0, ow);
        best.intoArray(y, yo, m);
        index.intoArray(am, ao, m.cast(I));
    }
}
