package org.distill4j.kernels.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.distill4j.kernels.cpu.GemmChecks.Case;
import org.junit.jupiter.api.Test;
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

    /**
     * The 4 x 4 tile's narrow kernels (a last tile of 1-3 vectors' columns) give the bits of the
     * whole tile, for every width of the last tile, every transpose, beta 0 and 1, and the
     * ConvNet-3 widths (196 = 14 x 14, 49 = 7 x 7 outputs) whose tails they were written for.
     */
    @Test
    void narrowTailTilesAreBitIdenticalToWholeTiles() {
        int lanes = VectorSgemm.TILE_4X4.nr() / 4;
        List<Integer> widths = new ArrayList<>();
        for (int n = 1; n <= 4 * lanes + 3 * lanes + 1; n++) {
            widths.add(n);
        }
        widths.add(196);
        widths.add(49);
        int tails = 0;
        for (int n : widths) {
            int m = 9 + n % 7;
            int k = 37 + n % 11;
            for (int t = 0; t < 8; t++) {
                boolean transA = (t & 1) != 0;
                boolean transB = (t & 2) != 0;
                float beta = (t & 4) != 0 ? 1f : 0f;
                SplittableRandom rng = new SplittableRandom(1000L * n + t);
                int lda = (transA ? m : k) + 1;
                int ldb = (transB ? k : n) + 2;
                int ldc = n + 3;
                float[] a = GemmChecks.floats(rng, transA ? k : m, transA ? m : k, 1, lda, false);
                float[] b = GemmChecks.floats(rng, transB ? n : k, transB ? k : n, 2, ldb, false);
                float[] whole = GemmChecks.floats(rng, m, n, 3, ldc, beta == 0f);
                float[] narrow = whole.clone();
                SgemmDriver.run(VectorSgemm.TILE_4X4_WHOLE, transA, transB, m, n, k, 0.75f, a, 1, lda, b, 2, ldb,
                        beta, whole, 3, ldc);
                SgemmDriver.run(VectorSgemm.TILE_4X4, transA, transB, m, n, k, 0.75f, a, 1, lda, b, 2, ldb,
                        beta, narrow, 3, ldc);
                assertArrayEquals(whole, narrow, "n=" + n + " t=" + t);
            }
            tails += n % (4 * lanes) != 0 && n % (4 * lanes) <= 3 * lanes ? 1 : 0;
        }
        assertTrue(tails > 3 * lanes, "widths with a narrow last tile: " + tails);
    }
}
