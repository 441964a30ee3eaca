package org.distill4j.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in lane order, {@code (((0 + v[0]) + v[1]) + ...) + v[L-1]}, the
 * same bits on every JDK, compiled or not. Every float sum over lanes in this package goes through
 * here instead of {@code reduceLanes(VectorOperators.ADD)}, whose order the Vector API leaves
 * unspecified for floating point: JDK 17 adds the lanes in order both in its Java fallback and in
 * C2's code, but JDK 25's C2 adds them pairwise (upper half onto lower half) while the fallback
 * still goes in order, so a sum changed when its method got compiled and the same seed trained
 * different parameters in different runs. Here each step is a lane move ({@code rearrange}) and a
 * lanewise add, which IEEE 754 defines exactly; lane 0 of the running vector carries the sum, the
 * other lanes are ignored. The order is the one JDK 17 used, so results computed there are
 * unchanged.
 *
 * <p>The vectors must be of the package's one shape (256 bits where the machine has them, see
 * {@link VectorReduceF32}); a shuffle of another species throws.
 */
final class LaneSum {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256
            ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256
            ? DoubleVector.SPECIES_256 : DoubleVector.SPECIES_PREFERRED;
    private static final int FL = F.length();
    private static final int DL = D.length();

    /*
     * F_k (D_k) moves lane k to lane 0. One named constant each, not an array: C2 treats a static
     * final field as a constant but not an array element, and a shuffle it must load was 1.7 times
     * slower (a loop over an array of shuffles, JDK 17 and 25).
     */
    private static final VectorShuffle<Float> F1 = toLaneZero(F, 1);
    private static final VectorShuffle<Float> F2 = toLaneZero(F, 2);
    private static final VectorShuffle<Float> F3 = toLaneZero(F, 3);
    private static final VectorShuffle<Float> F4 = toLaneZero(F, 4);
    private static final VectorShuffle<Float> F5 = toLaneZero(F, 5);
    private static final VectorShuffle<Float> F6 = toLaneZero(F, 6);
    private static final VectorShuffle<Float> F7 = toLaneZero(F, 7);
    private static final VectorShuffle<Double> D1 = toLaneZero(D, 1);
    private static final VectorShuffle<Double> D2 = toLaneZero(D, 2);
    private static final VectorShuffle<Double> D3 = toLaneZero(D, 3);

    static {
        if (FL != 2 && FL != 4 && FL != 8 || DL != 1 && DL != 2 && DL != 4) {
            throw new IllegalStateException("LaneSum handles 2, 4 or 8 float lanes and 1, 2 or 4 double lanes, not "
                    + FL + " and " + DL);
        }
    }

    private LaneSum() {
    }

    private static <E> VectorShuffle<E> toLaneZero(VectorSpecies<E> s, int k) {
        return VectorShuffle.fromOp(s, i -> (i + k) % s.length());
    }

    /** {@code (((0 + v[0]) + v[1]) + ...) + v[L-1]} in float arithmetic. */
    static float of(FloatVector v) {
        // The leading 0 + v[0] is JDK 17's: it turns a -0 lane 0 into +0.
        FloatVector acc = FloatVector.zero(F).add(v);
        acc = acc.add(v.rearrange(F1));
        if (FL > 2) {
            acc = acc.add(v.rearrange(F2));
            acc = acc.add(v.rearrange(F3));
        }
        if (FL > 4) {
            acc = acc.add(v.rearrange(F4));
            acc = acc.add(v.rearrange(F5));
            acc = acc.add(v.rearrange(F6));
            acc = acc.add(v.rearrange(F7));
        }
        return acc.lane(0);
    }

    /** {@code (((0 + v[0]) + v[1]) + ...) + v[L-1]} in double arithmetic. */
    static double of(DoubleVector v) {
        DoubleVector acc = DoubleVector.zero(D).add(v);
        if (DL > 1) {
            acc = acc.add(v.rearrange(D1));
        }
        if (DL > 2) {
            acc = acc.add(v.rearrange(D2));
            acc = acc.add(v.rearrange(D3));
        }
        return acc.lane(0);
    }
}
