package org.distill4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The same inputs give the same bits before and after the JIT compiles a kernel: every Vector API
 * kernel that sums lanes, called once and then tens of thousands of times, on data whose sums
 * depend on the order of the additions. (The Vector API leaves the order of
 * {@code reduceLanes(ADD)} open; JDK 25's C2 took another order than its interpreter, and the same
 * seed trained different LeNets run to run.) The first call is interpreted only when this class
 * runs before other tests warm the kernels; the lane models below hold either way.
 */
class ReductionOrderTest {
    private static final int L = VectorWidth.F32.length();
    /** Calls after the first: past C2's thresholds for every kernel here (15,000 calls with loops). */
    private static final int CALLS = 30_000;

    static float[] floats(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) LaneSumTest.mixedMagnitude(rnd);
        }
        return x;
    }

    static double[] doubles(Random rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = LaneSumTest.mixedMagnitude(rnd) * (rnd.nextBoolean() ? 1e9 : 1e-9);
        }
        return x;
    }

    static long[] bits(double... v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Double.doubleToRawLongBits(v[i]);
        }
        return b;
    }

    static long[] bits(float[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    @Test
    void kernelsGiveTheSameBitsInterpretedAndCompiled() {
        Random rnd = new Random(2026);
        float[] x = floats(rnd, 1500);
        float[] y = floats(rnd, 1500);
        double[] xd = doubles(rnd, 1500);
        int n = 203;                       // not a multiple of the lanes: the tails too
        int stride = 208;
        float[] a = floats(rnd, 7 * stride);
        float[] b = floats(rnd, 9 * stride);
        double[] w = doubles(rnd, 6 * 37);
        double[] h = doubles(rnd, 37);
        double[] bias = doubles(rnd, 6);
        float[] g = floats(rnd, 6);
        int weights = 25;
        float[] lanes = floats(rnd, VectorConv.laneLength(weights));

        Map<String, Supplier<long[]>> kernels = new LinkedHashMap<>();
        for (int len : new int[] {L - 3, 203, 1500}) {
            kernels.put("VectorReduceF32.sum " + len, () -> bits(VectorReduceF32.sum(x, 0, len)));
            kernels.put("VectorReduceF32.dot " + len, () -> bits(VectorReduceF32.dot(x, 0, y, 0, len)));
            kernels.put("VectorReduceF32.deviations " + len, () -> {
                double[] acc = new double[2];
                VectorReduceF32.deviations(x, 0, len, 0.25f, acc);
                return bits(acc);
            });
            kernels.put("VectorReduceF64.sum " + len, () -> bits(VectorReduceF64.sum(xd, 0, len)));
            kernels.put("VectorReduceF64.deviations " + len, () -> {
                double[] acc = new double[2];
                VectorReduceF64.deviations(xd, 0, len, 0.25, acc);
                return bits(acc);
            });
            kernels.put("VectorBlas1.dot " + len, () -> bits(VectorBlas1.dot(x, 0, y, 0, len)));
        }
        kernels.put("VectorBlas1.dots", () -> {
            double[] out = new double[7 * 9];
            VectorBlas1.dots(a, 0, 7, b, 0, 9, stride, n, out);
            return bits(out);
        });
        kernels.put("VectorBlas1.dots5x4", () -> {
            double[] out = new double[7 * 9];
            VectorBlas1.dots5x4(a, 0, 7, b, 0, 9, stride, n, out);
            return bits(out);
        });
        kernels.put("VectorBlas1.dotAffine", () -> bits(VectorBlas1.dotAffine(g, 0, bias, w, 6, 37, h, 0)));
        kernels.put("VectorConv.sumLanes", () -> {
            float[] gw = new float[weights];
            VectorConv.sumLanes(lanes, weights, gw, 0);
            return bits(gw);
        });

        Map<String, long[]> first = new LinkedHashMap<>();
        kernels.forEach((name, kernel) -> first.put(name, kernel.get()));
        Map<String, Integer> changed = new LinkedHashMap<>();  // kernel -> the first call that differed
        for (int call = 1; call <= CALLS; call++) {
            for (Map.Entry<String, Supplier<long[]>> k : kernels.entrySet()) {
                if (!changed.containsKey(k.getKey()) && !Arrays.equals(first.get(k.getKey()), k.getValue().get())) {
                    changed.put(k.getKey(), call);
                }
            }
        }
        assertEquals(Map.of(), changed, "kernels whose result bits changed after the first call (at that call)");
    }

    /** Lanes of a float vector accumulator summed in lane order, as LaneSum does. */
    static float laneOrder(float[] lanes) {
        return LaneSumTest.inOrder(lanes);
    }

    /**
     * {@link VectorBlas1#dot} written out lane by lane in plain Java: two FMA accumulators over the
     * pairs of vectors, one over a leftover vector, their lanewise sum added up in lane order, then
     * the elements past the last whole vector in double.
     */
    @Test
    void blas1DotIsItsLaneModel() {
        Random rnd = new Random(3);
        for (int n : new int[] {5, 3 * L, 5 * L + 3, 1000 + 3}) {
            float[] x = floats(rnd, n);
            float[] y = floats(rnd, n);
            float[] s0 = new float[L];
            float[] s1 = new float[L];
            int i = 0;
            for (; i + 2 * L <= n; i += 2 * L) {
                for (int l = 0; l < L; l++) {
                    s0[l] = Math.fma(x[i + l], y[i + l], s0[l]);
                    s1[l] = Math.fma(x[i + L + l], y[i + L + l], s1[l]);
                }
            }
            for (; i + L <= n; i += L) {
                for (int l = 0; l < L; l++) {
                    s0[l] = Math.fma(x[i + l], y[i + l], s0[l]);
                }
            }
            float[] s = new float[L];
            for (int l = 0; l < L; l++) {
                s[l] = s0[l] + s1[l];
            }
            double expected = laneOrder(s);
            for (; i < n; i++) {
                expected += (double) x[i] * y[i];
            }
            for (int call = 0; call < 3000; call++) {
                assertEquals(expected, VectorBlas1.dot(x, 0, y, 0, n), "n " + n + " call " + call);
            }
        }
    }

    /**
     * {@link VectorReduceF32#dot} of whole vectors within one block, lane by lane: one FMA
     * accumulator, its lanes added up in lane order.
     */
    @Test
    void reduceDotIsItsLaneModel() {
        Random rnd = new Random(4);
        for (int n : new int[] {L, 7 * L, 64 * L}) {
            float[] x = floats(rnd, n);
            float[] y = floats(rnd, n);
            float[] s = new float[L];
            for (int i = 0; i < n; i += L) {
                for (int l = 0; l < L; l++) {
                    s[l] = Math.fma(x[i + l], y[i + l], s[l]);
                }
            }
            double expected = 0.0 + laneOrder(s);
            for (int call = 0; call < 3000; call++) {
                assertEquals(expected, VectorReduceF32.dot(x, 0, y, 0, n), "n " + n + " call " + call);
            }
        }
    }
}
