package org.distill4j.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API reductions of one contiguous F64 run, used by {@link Reduce}, {@link Norm} and
 * {@link Softmax}; touched only when {@link VectorSupport#AVAILABLE}. The same code as {@link VectorReduceF32},
 * float replaced by double.
 *
 * <p>Sums are blocked: {@link #BLOCK} elements go into four vector accumulators in a fixed order,
 * each block total is added to a double. So rounding error grows with the block, not the run,
 * and the result depends only on the data and the run length. A run that does not fill its last
 * vector ends with a full vector placed at {@code len - L}, its already-counted lanes blended to
 * zero (or, for max and min, counted twice, which is harmless); runs shorter than one vector use
 * a masked load.
 */
final class VectorReduceF64 {
    /**
     * The package's one vector shape ({@link VectorWidth}), as in the GEMM kernels: every Vector API class of this
     * package must use one shape, or the JIT's type profiles of the shared Vector API code mix
     * Float256Vector with Float512Vector and stop compiling it to vector instructions (measured:
     * the direct convolution ran 12 times slower after 512-bit code had run in the same JVM).
     */
    private static final VectorSpecies<Double> S = VectorWidth.F64;
    private static final int L = S.length();
    private static final TailMasks<Double> MASKS = new TailMasks<>(S);
    /** Elements per block summed in vector accumulators: a multiple of 4 vectors on every width. */
    static final int BLOCK = 1024;

    private VectorReduceF64() {
    }

    /** The lanes at or above {@code k}. */
    private static VectorMask<Double> lanesFrom(int k) {
        return MASKS.from(k);
    }

    /** The tail vector of a run of {@code len >= L}: its last L elements, lanes already seen zeroed. */
    private static DoubleVector tail(double[] x, int end, int rem) {
        DoubleVector v = DoubleVector.fromArray(S, x, end - L);
        return rem == 0 ? DoubleVector.zero(S) : DoubleVector.zero(S).blend(v, lanesFrom(L - rem));
    }

    /** Sum of {@code x[off, off + len)}. */
    static double sum(double[] x, int off, int len) {
        if (len < L) {
            return LaneSum.of(DoubleVector.fromArray(S, x, off, MASKS.first(len)));
        }
        double total = 0;
        int i = 0;
        for (; i + BLOCK <= len; i += BLOCK) {
            DoubleVector a0 = DoubleVector.zero(S);
            DoubleVector a1 = DoubleVector.zero(S);
            DoubleVector a2 = DoubleVector.zero(S);
            DoubleVector a3 = DoubleVector.zero(S);
            for (int k = off + i; k < off + i + BLOCK; k += 4 * L) {
                a0 = a0.add(DoubleVector.fromArray(S, x, k));
                a1 = a1.add(DoubleVector.fromArray(S, x, k + L));
                a2 = a2.add(DoubleVector.fromArray(S, x, k + 2 * L));
                a3 = a3.add(DoubleVector.fromArray(S, x, k + 3 * L));
            }
            total += LaneSum.of(a0.add(a1).add(a2.add(a3)));
        }
        if (i < len) {
            DoubleVector a = DoubleVector.zero(S);
            int full = i + (len - i) / L * L;
            for (; i < full; i += L) {
                a = a.add(DoubleVector.fromArray(S, x, off + i));
            }
            a = a.add(tail(x, off + len, len - full));
            total += LaneSum.of(a);
        }
        return total;
    }

    /** Largest of {@code x[off, off + len)}, NaN if any is NaN, as {@link Math#max} folds. */
    static double max(double[] x, int off, int len) {
        if (len < L) {
            DoubleVector v = DoubleVector.fromArray(S, x, off, MASKS.first(len));
            return DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY).blend(v, MASKS.first(len))
                    .reduceLanes(VectorOperators.MAX);
        }
        DoubleVector a = DoubleVector.fromArray(S, x, off + len - L);
        for (int i = 0; i < len - L; i += L) {
            a = a.max(DoubleVector.fromArray(S, x, off + i));
        }
        return a.reduceLanes(VectorOperators.MAX);
    }

    static double min(double[] x, int off, int len) {
        if (len < L) {
            DoubleVector v = DoubleVector.fromArray(S, x, off, MASKS.first(len));
            return DoubleVector.broadcast(S, Double.POSITIVE_INFINITY).blend(v, MASKS.first(len))
                    .reduceLanes(VectorOperators.MIN);
        }
        DoubleVector a = DoubleVector.fromArray(S, x, off + len - L);
        for (int i = 0; i < len - L; i += L) {
            a = a.min(DoubleVector.fromArray(S, x, off + i));
        }
        return a.reduceLanes(VectorOperators.MIN);
    }

    /**
     * Adds {@code sum(x - m)} to {@code acc[0]} and {@code sum((x - m)^2)} to {@code acc[1]} over
     * the run, blocked like {@link #sum}: the second pass of a two-pass variance.
     */
    static void deviations(double[] x, int off, int len, double m, double[] acc) {
        DoubleVector mv = DoubleVector.broadcast(S, m);
        if (len < L) {
            VectorMask<Double> in = MASKS.first(len);
            DoubleVector d = DoubleVector.fromArray(S, x, off, in).sub(mv).blend(0, in.not());
            acc[0] += LaneSum.of(d);
            acc[1] += LaneSum.of(d.mul(d));
            return;
        }
        int i = 0;
        while (i < len) {
            int end = Math.min(len, i + BLOCK);
            DoubleVector s = DoubleVector.zero(S);
            DoubleVector q = DoubleVector.zero(S);
            int full = i + (end - i) / L * L;
            for (; i < full; i += L) {
                DoubleVector d = DoubleVector.fromArray(S, x, off + i).sub(mv);
                s = s.add(d);
                q = d.fma(d, q);
            }
            if (i < end) {
                int rem = end - i;
                DoubleVector d = DoubleVector.fromArray(S, x, off + end - L).sub(mv).blend(0, lanesFrom(L - rem).not());
                s = s.add(d);
                q = d.fma(d, q);
                i = end;
            }
            acc[0] += LaneSum.of(s);
            acc[1] += LaneSum.of(q);
        }
    }
}
