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
        }
        return out.stream();
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
