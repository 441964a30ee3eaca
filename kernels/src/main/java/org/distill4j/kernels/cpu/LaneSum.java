package org.distill4j.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * The sum of a vector's lanes in lane order, {@code (((0 + v[0]) + v[1]) + ...) + v[L-1]}, the
 * same bits on every JDK, compiled or not. Every float sum over lanes in this package goes through
 * here instead of {@code reduceLanes(VectorOperators.ADD)}, whose order the Vector API leaves
 * unspecified for floating point: JDK 17 adds the lanes in order both in its Java fallback and in
 * C2's code, but JDK 25's C2 adds them pairwise (upper half onto lower half) while the fallback
 * still goes in order, so a sum changed when its method got compiled and the same seed trained
 * different parameters in different runs. Here the lanes are read out one by one ({@code lane(i)}
 * moves bits) and added in float or double arithmetic, which IEEE 754 defines exactly. The order is
 * the one JDK 17 used, so results computed there are unchanged.
 *
 * <p>Measured against {@code reduceLanes}, twelve FMA accumulators over 256 floats each, then twelve
 * sums: 82 ns against 68 on JDK 17, 82 against 65 on JDK 25. The same order built from
 * {@code rearrange} (lane k to lane 0, then a lanewise add) took 204 ns on JDK 17 (99 on 25).
 */
final class LaneSum {
    private static final int FL = VectorWidth.F32.length();
    private static final int DL = VectorWidth.F64.length();

    static {
        if (FL != 2 && FL != 4 && FL != 8 && FL != 16 || DL != 1 && DL != 2 && DL != 4 && DL != 8) {
            throw new IllegalStateException("LaneSum handles 2 to 16 float lanes and 1 to 8 double lanes, not "
                    + FL + " and " + DL);
        }
    }

    private LaneSum() {
    }

    /**
     * {@code (((0 + v[0]) + v[1]) + ...) + v[L-1]} in float arithmetic, for a vector of the
     * package's one shape ({@link VectorWidth}).
     * Constant lane numbers, each behind a test of the constant length: C2 compiles a lane read
     * with a constant index to one or two instructions, and drops the tests.
     */
    static float of(FloatVector v) {
        // The leading 0 + v[0] is JDK 17's: it turns a -0 lane 0 into +0.
        float s = 0f + v.lane(0);
        s += v.lane(1);
        if (FL > 2) {
            s += v.lane(2);
            s += v.lane(3);
        }
        if (FL > 4) {
            s += v.lane(4);
            s += v.lane(5);
            s += v.lane(6);
            s += v.lane(7);
        }
        if (FL > 8) {
            s += v.lane(8);
            s += v.lane(9);
            s += v.lane(10);
            s += v.lane(11);
            s += v.lane(12);
            s += v.lane(13);
            s += v.lane(14);
            s += v.lane(15);
        }
        return s;
    }

    /** {@code (((0 + v[0]) + v[1]) + ...) + v[L-1]} in double arithmetic. */
    static double of(DoubleVector v) {
        double s = 0.0 + v.lane(0);
        if (DL > 1) {
            s += v.lane(1);
        }
        if (DL > 2) {
            s += v.lane(2);
            s += v.lane(3);
        }
        if (DL > 4) {
            s += v.lane(4);
            s += v.lane(5);
            s += v.lane(6);
            s += v.lane(7);
        }
        return s;
    }

    /**
     * {@code (((0 + a[off]) + a[off + 1]) + ...) + a[off + L-1]}: the same sum of a float vector's
     * lanes after {@code intoArray(a, off)}, for kernels that end with many accumulators at once
     * (one vector store each and scalar loads cost less than reading each lane out of a register).
     */
    static float of(float[] a, int off) {
        float s = 0f + a[off];
        s += a[off + 1];
        if (FL > 2) {
            s += a[off + 2];
            s += a[off + 3];
        }
        if (FL > 4) {
            s += a[off + 4];
            s += a[off + 5];
            s += a[off + 6];
            s += a[off + 7];
        }
        if (FL > 8) {
            for (int i = 8; i < 16; i++) {
                s += a[off + i];
            }
        }
        return s;
    }
}
