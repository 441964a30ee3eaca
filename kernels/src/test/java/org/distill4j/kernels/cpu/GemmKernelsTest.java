package org.distill4j.kernels.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.distill4j.kernels.cpu.GemmChecks.Case;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every micro-kernel, whichever this machine would choose: both Vector API tile shapes and the
 * plain-Java fallback, through the same drivers, against the scalar reference.
 */
class GemmKernelsTest {
    static Stream<Arguments> floatKernels() {
        List<Arguments> out = new ArrayList<>();
        for (Case q : GemmChecks.cases()) {
            out.add(Arguments.of("fallback", BlockedGemm.FLOAT, q));
            out.add(Arguments.of("vector 4x4", VectorSgemm.TILE_4X4, q));
            out.add(Arguments.of("vector 6x2", VectorSgemm.TILE_6X2, q));
            out.add(Arguments.of("vector 512 4x4", VectorSgemmWide.TILE_4X4, q));
        }
        return out.stream();
    }

    static Stream<Case> cases() {
        return GemmChecks.cases().stream();
    }

    /**
     * The 512-bit tile gives every element of C the same multiply-adds in the same order as the
     * 256-bit one, so the two agree bit for bit, whichever the machine picks.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void wideTileGivesTheSameBitsAsTheNarrowOne(Case q) {
        SplittableRandom rng = new SplittableRandom(q.hashCode() * 31L + 7);
        float[] a = GemmChecks.floats(rng, q.rowsA(), q.colsA(), q.offA(), q.lda(), false);
        float[] b = GemmChecks.floats(rng, q.rowsB(), q.colsB(), q.offB(), q.ldb(), false);
        float[] c = GemmChecks.floats(rng, q.m(), q.n(), q.offC(), q.ldc(), q.beta() == 0);
        float[] narrow = c.clone();
        float[] wide = c.clone();
        Gemm.sgemm(VectorSgemm.TILE_4X4, q.transA(), q.transB(), q.m(), q.n(), q.k(), (float) q.alpha(), a, q.offA(),
                q.lda(), b, q.offB(), q.ldb(), (float) q.beta(), narrow, q.offC(), q.ldc());
        Gemm.sgemm(VectorSgemmWide.TILE_4X4, q.transA(), q.transB(), q.m(), q.n(), q.k(), (float) q.alpha(), a,
                q.offA(), q.lda(), b, q.offB(), q.ldb(), (float) q.beta(), wide, q.offC(), q.ldc());
        for (int i = 0; i < c.length; i++) {
            if (Float.floatToRawIntBits(narrow[i]) != Float.floatToRawIntBits(wide[i])) {
                throw new AssertionError(q + ": element " + i + " is " + narrow[i] + " with the 256-bit tile and "
                        + wide[i] + " with the 512-bit one");
            }
        }
    }

    /** Products that underflow to -0.0 keep their sign through the wide tile's spill (x + -0.0 == x). */
    @org.junit.jupiter.api.Test
    void wideTileKeepsNegativeZero() {
        int m = 5;
        int n = 70;
        int k = 3;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        java.util.Arrays.fill(a, -1e-30f);
        java.util.Arrays.fill(b, 1e-30f);
        float[] narrow = new float[m * n];
        float[] wide = new float[m * n];
        Gemm.sgemm(VectorSgemm.TILE_4X4, false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, narrow, 0, n);
        Gemm.sgemm(VectorSgemmWide.TILE_4X4, false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, wide, 0, n);
        for (int i = 0; i < wide.length; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(wide[i]));
            org.junit.jupiter.api.Assertions.assertEquals(Float.floatToRawIntBits(narrow[i]), Float.floatToRawIntBits(wide[i]));
        }
    }

    static Stream<Arguments> doubleKernels() {
        List<Arguments> out = new ArrayList<>();
        for (Case q : GemmChecks.cases()) {
            out.add(Arguments.of("fallback", BlockedGemm.DOUBLE, q));
            out.add(Arguments.of("vector 6x2", VectorDgemm.TILE_6X2, q));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("floatKernels")
    void floatKernelMatchesReference(String name, SgemmKernel kernel, Case q) {
        SplittableRandom rng = new SplittableRandom(q.hashCode());
        float[] a = GemmChecks.floats(rng, q.rowsA(), q.colsA(), q.offA(), q.lda(), false);
        float[] b = GemmChecks.floats(rng, q.rowsB(), q.colsB(), q.offB(), q.ldb(), false);
        float[] c = GemmChecks.floats(rng, q.m(), q.n(), q.offC(), q.ldc(), q.beta() == 0);
        float[] expected = c.clone();
        Gemm.sgemmReference(q.transA(), q.transB(), q.m(), q.n(), q.k(), (float) q.alpha(), a, q.offA(), q.lda(),
                b, q.offB(), q.ldb(), (float) q.beta(), expected, q.offC(), q.ldc());
        float[] actual = c.clone();
        Gemm.sgemm(kernel, q.transA(), q.transB(), q.m(), q.n(), q.k(), (float) q.alpha(), a, q.offA(), q.lda(),
                b, q.offB(), q.ldb(), (float) q.beta(), actual, q.offC(), q.ldc());
        GemmChecks.assertClose(q, GemmChecks.widen(a), GemmChecks.widen(b), GemmChecks.widen(c),
                GemmChecks.widen(expected), GemmChecks.widen(actual), Math.ulp(1f));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("doubleKernels")
    void doubleKernelMatchesReference(String name, DgemmKernel kernel, Case q) {
        SplittableRandom rng = new SplittableRandom(q.hashCode());
        double[] a = GemmChecks.doubles(rng, q.rowsA(), q.colsA(), q.offA(), q.lda(), false);
        double[] b = GemmChecks.doubles(rng, q.rowsB(), q.colsB(), q.offB(), q.ldb(), false);
        double[] c = GemmChecks.doubles(rng, q.m(), q.n(), q.offC(), q.ldc(), q.beta() == 0);
        double[] expected = c.clone();
        Gemm.dgemmReference(q.transA(), q.transB(), q.m(), q.n(), q.k(), q.alpha(), a, q.offA(), q.lda(),
                b, q.offB(), q.ldb(), q.beta(), expected, q.offC(), q.ldc());
        double[] actual = c.clone();
        Gemm.dgemm(kernel, q.transA(), q.transB(), q.m(), q.n(), q.k(), q.alpha(), a, q.offA(), q.lda(),
                b, q.offB(), q.ldb(), q.beta(), actual, q.offC(), q.ldc());
        GemmChecks.assertClose(q, a, b, c, expected, actual, Math.ulp(1d));
    }
}
