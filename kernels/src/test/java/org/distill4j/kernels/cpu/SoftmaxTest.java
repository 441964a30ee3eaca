package org.distill4j.kernels.cpu;

import static org.distill4j.kernels.cpu.Fixtures.assertClose;
import static org.distill4j.kernels.cpu.Fixtures.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.distill4j.kernels.DType;
import org.junit.jupiter.api.Test;

/** Softmax rows against their reference. */
class SoftmaxTest {
    static final int[][] ROWS_COLS = {{1, 1}, {1, 7}, {3, 17}, {256, 10}, {5, 63}, {2, 129}, {7, 3000}, {2, 5000}};

    @Test
    void softmaxMatchesReference() {
        Random rnd = new Random(41);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            double tol = dtype == DType.F32 ? 2e-6 : 1e-13;
            for (int[] rc : ROWS_COLS) {
                int n = rc[0] * rc[1];
                CpuBuffer x = Fixtures.random(dtype, n + 2, rnd);
                for (boolean log : new boolean[] {false, true}) {
                    CpuBuffer expected = CpuBuffer.allocate(dtype, n + 1);
                    Softmax.softmaxReference(log, rc[0], rc[1], x, 2, expected, 1);
                    for (boolean simd : ElementwiseTest.simdModes()) {
                        CpuBuffer actual = CpuBuffer.allocate(dtype, n + 1);
                        Softmax.softmax(log, rc[0], rc[1], x, 2, actual, 1, simd);
                        String what = (log ? "log-softmax " : "softmax ") + dtype + " " + rc[0] + "x" + rc[1] + " simd=" + simd;
                        if (simd) {
                            assertClose(expected, actual, 1, n, tol, tol, what);
                        } else {
                            assertIdentical(expected, actual, 1, n, what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void softmaxInPlaceAndLargeLogits() {
        for (boolean simd : ElementwiseTest.simdModes()) {
            for (boolean log : new boolean[] {false, true}) {
                // Logits far beyond exp's range: the max shift keeps them finite.
                float[] x = {1000, 1001, 999, -1000, 1000, 1000, 1000, 1000, 1000, 1002};
                CpuBuffer in = CpuBuffer.wrap(x.clone());
                CpuBuffer expected = CpuBuffer.allocate(DType.F32, x.length);
                Softmax.softmaxReference(log, 1, x.length, CpuBuffer.wrap(x), 0, expected, 0);
                Softmax.softmax(log, 1, x.length, in, 0, in, 0, simd);
                assertClose(expected, in, 0, x.length, 2e-6, 2e-6, "in-place " + (log ? "log-" : "") + "softmax simd=" + simd);
            }
        }
    }

    @Test
    void handComputedSoftmaxOfZeroAndLnTwo() {
        // softmax([0, ln 2]) = [1/3, 2/3]; log-softmax = [-ln 3, ln 2 - ln 3].
        double[] x = {0, Math.log(2)};
        for (boolean simd : ElementwiseTest.simdModes()) {
            CpuBuffer y = CpuBuffer.allocate(DType.F64, 2);
            Softmax.softmax(false, 1, 2, CpuBuffer.wrap(x), 0, y, 0, simd);
            assertEquals(1.0 / 3, y.d[0], 1e-15);
            assertEquals(2.0 / 3, y.d[1], 1e-15);
            Softmax.softmax(true, 1, 2, CpuBuffer.wrap(x), 0, y, 0, simd);
            assertEquals(-Math.log(3), y.d[0], 1e-15);
            assertEquals(Math.log(2) - Math.log(3), y.d[1], 1e-15);
        }
    }
}
