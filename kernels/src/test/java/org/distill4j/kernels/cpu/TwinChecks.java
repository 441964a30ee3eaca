package org.distill4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/**
 * Inputs and comparisons for the F32/F64 twin tests ({@link F32F64TwinsTest},
 * {@link GemmF32F64TwinsTest}): the F32 kernel runs on floats, its F64 twin on the same values
 * widened to double, and the F32 result is compared with the F64 result rounded to float.
 */
final class TwinChecks {
    /** Written around every output before a call, so a write past the end shows as a difference. */
    static final float SENTINEL = 12345.25f;

    /**
     * Run lengths: every length from 0 to 65, which is more than three vectors plus one at every
     * width the kernels use (at most 256 bits: 8 floats, 4 doubles), so the vector body, the tail
     * vector and the shorter-than-a-vector path are all taken; the sizes around one reduction
     * block (1024); and one that spans several parallel chunks.
     */
    static final int[] LENGTHS = lengths();

    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, 0.25f, 1.5f, -0.75f, 0.5f, 1e-3f, 30f, -30f, 100f,
        -100f, 1e30f, -1e30f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE};

    private TwinChecks() {
    }

    private static int[] lengths() {
        int[] tail = {63, 64, 65, 1023, 1024, 1025, 2049, 70_001};
        int[] out = new int[66 + tail.length];
        for (int i = 0; i < 66; i++) {
            out[i] = i;
        }
        System.arraycopy(tail, 0, out, 66, tail.length);
        return out;
    }

    /** Gaussian values with, every fifth element, a special one (signed zeros, huge, infinite, NaN, p, q). */
    static float[] mixed(Random rnd, int n) {
        float[] x = gaussian(rnd, n);
        for (int i = 0; i < n; i += 5) {
            x[i] = SPECIAL[rnd.nextInt(SPECIAL.length)];
        }
        return x;
    }

    static float[] gaussian(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * 2);
        }
        return x;
    }

    /**
     * Multiples of 1/4 in [-4, 4]. Every sum, product and dot product the tests take of these
     * (up to a few hundred thousand terms) is exactly representable in float, so the result does
     * not depend on the order of the additions and the F32 twin must match the F64 one bit for bit:
     * a lost, doubled or misplaced element cannot hide inside a rounding tolerance.
     */
    static float[] dyadic(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (rnd.nextInt(33) - 16) / 4f;
        }
        return x;
    }

    /** Overwrites the floats of {@code b} with multiples of 1/4 (see {@link #dyadic}). */
    static void makeDyadic(CpuBuffer b, Random rnd) {
        float[] d = dyadic(rnd, b.f.length);
        System.arraycopy(d, 0, b.f, 0, d.length);
    }

    static float[] sentinels(int n) {
        float[] x = new float[n];
        java.util.Arrays.fill(x, SENTINEL);
        return x;
    }

    static double[] widen(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    /** An F64 buffer holding the values of the F32 buffer {@code b}. */
    static CpuBuffer widen(CpuBuffer b) {
        return CpuBuffer.wrap(widen(b.f));
    }

    /**
     * Fails unless every element of {@code f32} is within {@code ulps} floats of the matching
     * element of {@code f64} rounded to float; with {@code ulps == 0} the bits must be equal (so
     * -0 differs from 0). NaN matches NaN only.
     */
    static void assertTwin(float[] f32, double[] f64, int ulps, String what) {
        if (f32.length != f64.length) {
            fail(what + ": lengths " + f32.length + " and " + f64.length);
        }
        for (int i = 0; i < f32.length; i++) {
            float a = f32[i];
            float e = (float) f64[i];
            boolean same = ulps == 0
                    ? Float.floatToIntBits(a) == Float.floatToIntBits(e)
                    : Float.isNaN(a) ? Float.isNaN(e) : !Float.isNaN(e) && distance(a, e) <= ulps;
            if (!same) {
                fail(what + ": element " + i + " is " + a + " in F32, " + e + " in F64 (" + f64[i]
                        + " before rounding), allowed " + ulps + " ulp");
            }
        }
    }

    /** Fails unless {@code |f32 - f64| <= tol}, NaN matching NaN, infinities matching exactly. */
    static void assertWithin(double f32, double f64, double tol, String what) {
        boolean same = Double.isNaN(f32) || Double.isNaN(f64) || Double.isInfinite(f32) || Double.isInfinite(f64)
                ? Double.compare(f32, f64) == 0 || Double.isNaN(f32) && Double.isNaN(f64)
                : Math.abs(f32 - f64) <= tol;
        if (!same) {
            fail(what + ": F32 gives " + f32 + ", F64 " + f64 + " (difference " + Math.abs(f32 - f64)
                    + ", allowed " + tol + ")");
        }
    }

    /** Floats strictly between {@code a} and {@code b}, plus one; 0 and -0 count as the same float. */
    static long distance(float a, float b) {
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(float x) {
        int bits = Float.floatToIntBits(x);
        return bits >= 0 ? bits : (long) Integer.MIN_VALUE - bits;
    }
}
