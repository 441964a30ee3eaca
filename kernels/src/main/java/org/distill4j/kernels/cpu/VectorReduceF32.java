package org.distill4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API reductions of one contiguous F32 run, used by {@link Reduce}, {@link Norm} and
 * {@link Softmax}; touched only when {@link VectorSupport#AVAILABLE}. {@link VectorReduceF64} is
 * the same file for doubles.
 *
 * <p>Sums are blocked: {@link #BLOCK} elements go into four vector accumulators in a fixed order,
 * each block total is added to a double. So rounding error grows with the block, not the run,
 * and the result depends only on the data and the run length. A run that does not fill its last
 * vector ends with a full vector placed at {@code len - L}, its already-counted lanes blended to
 * zero (or, for max and min, counted twice, which is harmless); runs shorter than one vector use
 * a masked load.
 */
final class VectorReduceF32 {
    /**
     * The package's one vector shape ({@link VectorWidth}), as in the GEMM kernels: every Vector API class of this
     * package must use one shape, or the JIT's type profiles of the shared Vector API code mix
     * Float256Vector with Float512Vector and stop compiling it to vector instructions (measured:
     * the direct convolution ran 12 times slower after 512-bit code had run in the same JVM).
     */
    private static final VectorSpecies<Float> S = VectorWidth.F32;
    private static final int L = S.length();
    private static final TailMasks<Float> MASKS = new TailMasks<>(S);
    /** Elements per block summed in vector accumulators: a multiple of 4 vectors on every width. */
    static final int BLOCK = 1024;

    private VectorReduceF32() {
    }

    /** The lanes at or above {@code k}. */
    private static VectorMask<Float> lanesFrom(int k) {
        return MASKS.from(k);
    }

    /** The tail vector of a run of {@code len >= L}: its last L elements, lanes already seen zeroed. */
    private static FloatVector tail(float[] x, int end, int rem) {
        FloatVector v = FloatVector.fromArray(S, x, end - L);
        return rem == 0 ? FloatVector.zero(S) : FloatVector.zero(S).blend(v, lanesFrom(L - rem));
    }

    /** Sum of {@code x[off, off + len)}. */
    static double sum(float[] x, int off, int len) {
        if (len < L) {
            return LaneSum.of(FloatVector.fromArray(S, x, off, MASKS.first(len)));
        }
        double total = 0;
        int i = 0;
        for (; i + BLOCK <= len; i += BLOCK) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            for (int k = off + i; k < off + i + BLOCK; k += 4 * L) {
                a0 = a0.add(FloatVector.fromArray(S, x, k));
                a1 = a1.add(FloatVector.fromArray(S, x, k + L));
                a2 = a2.add(FloatVector.fromArray(S, x, k + 2 * L));
                a3 = a3.add(FloatVector.fromArray(S, x, k + 3 * L));
            }
            total += LaneSum.of(a0.add(a1).add(a2.add(a3)));
        }
        if (i < len) {
            FloatVector a = FloatVector.zero(S);
            int full = i + (len - i) / L * L;
            for (; i < full; i += L) {
                a = a.add(FloatVector.fromArray(S, x, off + i));
            }
            a = a.add(tail(x, off + len, len - full));
            total += LaneSum.of(a);
        }
        return total;
    }

    /** {@code sum(a[aOff + i] * b[bOff + i])} for {@code i < len}, blocked like {@link #sum}. */
    static double dot(float[] a, int aOff, float[] b, int bOff, int len) {
        if (len < L) {
            VectorMask<Float> in = MASKS.first(len);
            return LaneSum.of(FloatVector.fromArray(S, a, aOff, in).mul(FloatVector.fromArray(S, b, bOff, in)));
        }
        double total = 0;
        int i = 0;
        while (i < len) {
            int end = Math.min(len, i + BLOCK);
            FloatVector s = FloatVector.zero(S);
            int full = i + (end - i) / L * L;
            for (; i < full; i += L) {
                s = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s);
            }
            if (i < end) {
                s = tail(a, aOff + end, end - i).fma(FloatVector.fromArray(S, b, bOff + end - L), s);
                i = end;
            }
            total += LaneSum.of(s);
        }
        return total;
    }

    /** Largest of {@code x[off, off + len)}, NaN if any is NaN, as {@link Math#max} folds. */
    static double max(float[] x, int off, int len) {
        if (len < L) {
            FloatVector v = FloatVector.fromArray(S, x, off, MASKS.first(len));
            return FloatVector.broadcast(S, Float.NEGATIVE_INFINITY).blend(v, MASKS.first(len))
                    .reduceLanes(VectorOperators.MAX);
        }
        FloatVector a = FloatVector.fromArray(S, x, off + len - L);
        for (int i = 0; i < len - L; i += L) {
            a = a.max(FloatVector.fromArray(S, x, off + i));
        }
        return a.reduceLanes(VectorOperators.MAX);
    }

    static double min(float[] x, int off, int len) {
        if (len < L) {
            FloatVector v = FloatVector.fromArray(S, x, off, MASKS.first(len));
            return FloatVector.broadcast(S, Float.POSITIVE_INFINITY).blend(v, MASKS.first(len))
                    .reduceLanes(VectorOperators.MIN);
        }
        FloatVector a = FloatVector.fromArray(S, x, off + len - L);
        for (int i = 0; i < len - L; i += L) {
            a = a.min(FloatVector.fromArray(S, x, off + i));
        }
        return a.reduceLanes(VectorOperators.MIN);
    }

    /**
     * Adds {@code sum(x - m)} to {@code acc[0]} and {@code sum((x - m)^2)} to {@code acc[1]} over
     * the run, blocked like {@link #sum}: the second pass of a two-pass variance.
     */
    static void deviations(float[] x, int off, int len, float m, double[] acc) {
        FloatVector mv = FloatVector.broadcast(S, m);
        if (len < L) {
            VectorMask<Float> in = MASKS.first(len);
            FloatVector d = FloatVector.fromArray(S, x, off, in).sub(mv).blend(0, in.not());
            acc[0] += LaneSum.of(d);
            acc[1] += LaneSum.of(d.mul(d));
            return;
        }
        int i = 0;
        while (i < len) {
            int end = Math.min(len, i + BLOCK);
            FloatVector s = FloatVector.zero(S);
            FloatVector q = FloatVector.zero(S);
            int full = i + (end - i) / L * L;
            for (; i < full; i += L) {
                FloatVector d = FloatVector.fromArray(S, x, off + i).sub(mv);
                s = s.add(d);
                q = d.fma(d, q);
            }
            if (i < end) {
                int rem = end - i;
                FloatVector d = FloatVector.fromArray(S, x, off + end - L).sub(mv).blend(0, lanesFrom(L - rem).not());
                s = s.add(d);
                q = d.fma(d, q);
                i = end;
            }
            acc[0] += LaneSum.of(s);
            acc[1] += LaneSum.of(q);
        }
    }
}
