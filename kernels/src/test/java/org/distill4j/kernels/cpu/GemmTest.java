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
}
