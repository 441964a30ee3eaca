package org.distill4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * {@link LaneSum} adds the lanes in lane order, {@code ((0 + v[0]) + v[1]) + ...}, bit for bit,
 * from a vector and from its lanes stored in an array,
 * on its first calls (interpreted) and after tens of thousands (compiled by C2), on lanes whose
 * sum depends on the order.
 */
class LaneSumTest {
    private static final VectorSpecies<Float> F = VectorWidth.F32;
    private static final VectorSpecies<Double> D = VectorWidth.F64;
    private static final int VECTORS = 1000;
    /** Calls of each sum on every vector after the first: enough for C2 to compile LaneSum.of. */
    private static final int ROUNDS = 60;

    /** Random signs, magnitudes 1e-6 to 1e6: small lanes vanish or not depending on what they are added to. */
    static double mixedMagnitude(Random rnd) {
        double m = Math.pow(10, rnd.nextInt(13) - 6) * (1 + rnd.nextDouble());
        return rnd.nextBoolean() ? m : -m;
    }

    static float inOrder(float[] x) {
        float s = 0f;
        for (float v : x) {
            s += v;
        }
        return s;
    }

    static double inOrder(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s;
    }

    /** Upper half onto lower half, then again: the order JDK 25's C2 takes. */
    static float halves(float[] x) {
        float[] t = x.clone();
        for (int w = t.length / 2; w >= 1; w /= 2) {
            for (int i = 0; i < w; i++) {
                t[i] += t[i + w];
            }
        }
        return t[0];
    }

    static double halves(double[] x) {
        double[] t = x.clone();
        for (int w = t.length / 2; w >= 1; w /= 2) {
            for (int i = 0; i < w; i++) {
                t[i] += t[i + w];
            }
        }
        return t[0];
    }

    @Test
    void floatLanesAddInLaneOrderColdAndCompiled() {
        Random rnd = new Random(17);
        float[][] x = new float[VECTORS][F.length()];
        for (float[] v : x) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) mixedMagnitude(rnd);
            }
        }
        x[0][0] = -0f;  // 0 + -0 is +0: the sum of an all -0 vector is +0, as JDK 17's reduceLanes gave
        for (int i = 1; i < F.length(); i++) {
            x[0][i] = -0f;
        }
        int orderMatters = 0;
        for (float[] v : x) {
            orderMatters += Float.floatToRawIntBits(inOrder(v)) != Float.floatToRawIntBits(halves(v)) ? 1 : 0;
        }
        if (F.length() > 2) {
            assertTrue(orderMatters > VECTORS / 10, "the data must tell the orders apart: " + orderMatters);
        }
        FloatVector[] v = new FloatVector[VECTORS];
        for (int k = 0; k < VECTORS; k++) {
            v[k] = FloatVector.fromArray(F, x[k], 0);
        }
        for (int round = 0; round <= ROUNDS; round++) {
            for (int k = 0; k < VECTORS; k++) {
                float got = LaneSum.of(v[k]);
                float stored = LaneSum.of(x[k], 0);
                int kk = k;
                assertEquals(Float.floatToRawIntBits(inOrder(x[k])), Float.floatToRawIntBits(got),
                        () -> "vector " + java.util.Arrays.toString(x[kk]) + ": " + got);
                assertEquals(Float.floatToRawIntBits(inOrder(x[k])), Float.floatToRawIntBits(stored),
                        () -> "stored lanes " + java.util.Arrays.toString(x[kk]) + ": " + stored);
            }
        }
        assertEquals(0, Float.floatToRawIntBits(LaneSum.of(v[0])), "all -0 lanes sum to +0");
        assertEquals(0, Float.floatToRawIntBits(LaneSum.of(x[0], 0)), "all -0 stored lanes sum to +0");
    }

    @Test
    void doubleLanesAddInLaneOrderColdAndCompiled() {
        Random rnd = new Random(25);
        double[][] x = new double[VECTORS][D.length()];
        for (double[] v : x) {
            for (int i = 0; i < v.length; i++) {
                // Wider than float's range of magnitudes so that double rounding shows too.
                v[i] = mixedMagnitude(rnd) * (rnd.nextBoolean() ? 1e10 : 1e-10);
            }
        }
        int orderMatters = 0;
        for (double[] v : x) {
            orderMatters += Double.doubleToRawLongBits(inOrder(v)) != Double.doubleToRawLongBits(halves(v)) ? 1 : 0;
        }
        if (D.length() > 2) {
            assertTrue(orderMatters > VECTORS / 20, "the data must tell the orders apart: " + orderMatters);
        }
        DoubleVector[] v = new DoubleVector[VECTORS];
        for (int k = 0; k < VECTORS; k++) {
            v[k] = DoubleVector.fromArray(D, x[k], 0);
        }
        for (int round = 0; round <= ROUNDS; round++) {
            for (int k = 0; k < VECTORS; k++) {
                double got = LaneSum.of(v[k]);
                int kk = k;
                assertEquals(Double.doubleToRawLongBits(inOrder(x[k])), Double.doubleToRawLongBits(got),
                        () -> "vector " + java.util.Arrays.toString(x[kk]) + ": " + got);
            }
        }
    }
}
