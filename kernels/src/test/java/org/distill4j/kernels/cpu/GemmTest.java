package org.distill4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.distill4j.kernels.cpu.GemmChecks.Case;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The public entry points against the scalar references, on every case of {@link GemmChecks}. */
class GemmTest {
    static Stream<Case> cases() {
        return GemmChecks.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sgemmMatchesReference(Case q) {
        SplittableRandom rng = new SplittableRandom(q.hashCode());
        float[] a = GemmChecks.floats(rng, q.rowsA(), q.colsA(), q.offA(), q.lda(), false);
        float[] b = GemmChecks.floats(rng, q.rowsB(), q.colsB(), q.offB(), q.ldb(), false);
        float[] c = GemmChecks.floats(rng, q.m(), q.n(), q.offC(), q.ldc(), q.beta() == 0);
        float[] expected = c.clone();
        Gemm.sgemmReference(q.transA(), q.transB(), q.m(), q.n(), q.k(), (float) q.alpha(), a, q.offA(), q.lda(),
                b, q.offB(), q.ldb(), (float) q.beta(), expected, q.offC(), q.ldc());
        float[] actual = c.clone();
        Gemm.sgemm(q.transA(), q.transB(), q.m(), q.n(), q.k(), (float) q.alpha(), a, q.offA(), q.lda(),
                b, q.offB(), q.ldb(), (float) q.beta(), actual, q.offC(), q.ldc());
        GemmChecks.assertClose(q, GemmChecks.widen(a), GemmChecks.widen(b), GemmChecks.widen(c),
                GemmChecks.widen(expected), GemmChecks.widen(actual), Math.ulp(1f));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void dgemmMatchesReference(Case q) {
        SplittableRandom rng = new SplittableRandom(q.hashCode());
        double[] a = GemmChecks.doubles(rng, q.rowsA(), q.colsA(), q.offA(), q.lda(), false);
        double[] b = GemmChecks.doubles(rng, q.rowsB(), q.colsB(), q.offB(), q.ldb(), false);
        double[] c = GemmChecks.doubles(rng, q.m(), q.n(), q.offC(), q.ldc(), q.beta() == 0);
        double[] expected = c.clone();
        Gemm.dgemmReference(q.transA(), q.transB(), q.m(), q.n(), q.k(), q.alpha(), a, q.offA(), q.lda(),
                b, q.offB(), q.ldb(), q.beta(), expected, q.offC(), q.ldc());
        double[] actual = c.clone();
        Gemm.dgemm(q.transA(), q.transB(), q.m(), q.n(), q.k(), q.alpha(), a, q.offA(), q.lda(),
                b, q.offB(), q.ldb(), q.beta(), actual, q.offC(), q.ldc());
        GemmChecks.assertClose(q, a, b, c, expected, actual, Math.ulp(1d));
    }

    /**
     * A narrow product is computed as its transpose: the same multiply-adds, so bit for bit the
     * result of the driver run as is, for every transpose, with offsets and leading dimensions,
     * and past one block of {@link Gemm#NARROW_ROWS} rows.
     */
    @Test
    void narrowProductsAsTheirTransposeAreBitIdentical() {
        SgemmKernel kernel = Gemm.Kernels.FLOAT;
        int[][] sizes = {{256, 10, 256}, {100, 3, 700}, {Gemm.NARROW_ROWS + 37, 5, 9}};
        for (int[] size : sizes) {
            int m = size[0];
            int n = size[1];
            int k = size[2];
            assertTrue(Gemm.narrow(m, n, kernel.mr(), kernel.nr()), "narrow " + m + "x" + n);
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0;
                boolean transB = (t & 2) != 0;
                SplittableRandom rng = new SplittableRandom(31 * t + m);
                int lda = (transA ? m : k) + 3;
                int ldb = (transB ? k : n) + 2;
                int ldc = n + 1;
                float[] a = GemmChecks.floats(rng, transA ? k : m, transA ? m : k, 2, lda, false);
                float[] b = GemmChecks.floats(rng, transB ? n : k, transB ? k : n, 1, ldb, false);
                float[] expected = GemmChecks.floats(rng, m, n, 4, ldc, true);
                float[] actual = expected.clone();
                SgemmDriver.run(kernel, transA, transB, m, n, k, 0.5f, a, 2, lda, b, 1, ldb, 0f, expected, 4, ldc);
                Gemm.sgemm(kernel, transA, transB, m, n, k, 0.5f, a, 2, lda, b, 1, ldb, 0f, actual, 4, ldc);
                assertArrayEquals(expected, actual, (transA ? "T" : "N") + (transB ? "T" : "N") + " " + m + "x" + n + "x" + k);
            }
        }
    }

    @Test
    void zeroAlphaOrEmptyKScalesC() {
        float[] a = {1, 2, 3, 4};
        float[] c = {1, Float.NaN, 3, 4};
        Gemm.sgemm(false, false, 2, 2, 2, 0f, a, 0, 2, a, 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[] {0, 0, 0, 0}, c);
        double[] d = {1, 2, 3, 4};
        Gemm.dgemm(false, false, 2, 2, 0, 1d, new double[0], 0, 1, new double[0], 0, 2, 2d, d, 0, 2);
        assertArrayEquals(new double[] {2, 4, 6, 8}, d);
    }

    @Test
    void badArgumentsNameTheValue() {
        float[] x = new float[16];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 4, 4, 4, 1f, x, 0, 3, x, 0, 4, 0f, x, 0, 4));
        assertTrue(e.getMessage().contains("lda") && e.getMessage().contains("3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 4, 4, 4, 1f, x, 1, 4, x, 0, 4, 0f, x, 0, 4));
        assertTrue(e.getMessage().contains("needs 17 elements"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.dgemm(false, false, -1, 4, 4, 1d, new double[16], 0, 4, new double[16], 0, 4, 0d,
                        new double[16], 0, 4));
        assertTrue(e.getMessage().contains("m=-1"), e.getMessage());
    }

    /**
     * A shared packed A gives what {@link Gemm#sgemm} gives, bit for bit: products of several
     * shapes (one k block and several, rows that are not a multiple of the tile, narrow ones that
     * sgemm computes as their transpose), both transposes of A and B, beta 0 and 1, and two
     * products reusing one packing.
     */
    @Test
    void sharedPackedAIsBitIdenticalToSgemm() {
        int[][] sizes = {{128, 196, 1152}, {37, 50, 9}, {9, 784, 128}, {256, 10, 256}, {5, 3, 1300}, {64, 64, 512}};
        for (int[] size : sizes) {
            int m = size[0];
            int n = size[1];
            int k = size[2];
            for (int t = 0; t < 8; t++) {
                boolean transA = (t & 1) != 0;
                boolean transB = (t & 2) != 0;
                float beta = (t & 4) != 0 ? 1f : 0f;
                SplittableRandom rng = new SplittableRandom(17 * t + m + n);
                int lda = (transA ? m : k) + 1;
                int ldb = (transB ? k : n) + 2;
                int ldc = n + 1;
                float[] a = GemmChecks.floats(rng, transA ? k : m, transA ? m : k, 3, lda, false);
                float[] packed = Gemm.packSharedA(transA, m, k, a, 3, lda);
                for (int product = 0; product < 2; product++) {
                    float[] b = GemmChecks.floats(rng, transB ? n : k, transB ? k : n, 1, ldb, false);
                    float[] expected = GemmChecks.floats(rng, m, n, 2, ldc, beta == 0f);
                    float[] actual = expected.clone();
                    Gemm.sgemm(transA, transB, m, n, k, 1f, a, 3, lda, b, 1, ldb, beta, expected, 2, ldc);
                    Gemm.sgemmPackedA(packed, transB, m, n, k, b, 1, ldb, beta, actual, 2, ldc);
                    assertArrayEquals(expected, actual, m + "x" + n + "x" + k + " t=" + t + " product " + product);
                }
            }
        }
    }
}
