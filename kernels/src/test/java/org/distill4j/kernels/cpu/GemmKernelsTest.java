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
 * Every micro-kernel, whichever this machine would choose: the three Vector API tile shapes and the
 * plain-Java fallback, through the same drivers, against the scalar reference.
 */
class GemmKernelsTest {
    static Stream<Arguments> floatKernels() {
        List<Arguments> out = new ArrayList<>();
        for (Case q : GemmChecks.cases()) {
            out.add(Arguments.of("fallback", BlockedGemm.FLOAT, q));
            out.add(Arguments.of("vector 4x4", VectorSgemm.TILE_4X4, q));
            out.add(Arguments.of("vector 6x2", VectorSgemm.TILE_6X2, q));
            out.add(Arguments.of("vector 12x2", VectorSgemm.TILE_12X2, q));
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
     * {@code C = 0.75 op(A) op(B) + beta C} with {@code kernel} on inputs drawn from {@code seed},
     * with offsets and padded leading dimensions; {@code t} picks the transposes (bits 0 and 1) and
     * beta 0 or 1 (bit 2). Through {@link Gemm#sgemm} (narrow products as their transpose
     * included) or, with {@code driverOnly}, {@link SgemmDriver#run} alone. Returns C's array.
     */
    private static float[] product(SgemmKernel kernel, boolean driverOnly, int m, int n, int k, int t, long seed) {
        boolean transA = (t & 1) != 0;
        boolean transB = (t & 2) != 0;
        float beta = (t & 4) != 0 ? 1f : 0f;
        SplittableRandom rng = new SplittableRandom(seed);
        int lda = (transA ? m : k) + 1;
        int ldb = (transB ? k : n) + 2;
        int ldc = n + 3;
        float[] a = GemmChecks.floats(rng, transA ? k : m, transA ? m : k, 1, lda, false);
        float[] b = GemmChecks.floats(rng, transB ? n : k, transB ? k : n, 2, ldb, false);
        float[] c = GemmChecks.floats(rng, m, n, 3, ldc, beta == 0f);
        if (driverOnly) {
            SgemmDriver.run(kernel, transA, transB, m, n, k, 0.75f, a, 1, lda, b, 2, ldb, beta, c, 3, ldc);
        } else {
            Gemm.sgemm(kernel, transA, transB, m, n, k, 0.75f, a, 1, lda, b, 2, ldb, beta, c, 3, ldc);
        }
        return c;
    }

    /** A tile with narrow tails, the same tile computing every tile whole, and the widest narrow tail (vectors). */
    static Stream<Arguments> narrowTailTiles() {
        return Stream.of(
                Arguments.of("4x4", VectorSgemm.TILE_4X4, VectorSgemm.TILE_4X4_WHOLE, 3),
                Arguments.of("12x2", VectorSgemm.TILE_12X2, VectorSgemm.TILE_12X2_WHOLE, 1));
    }

    /**
     * A tile's narrow kernels (a last tile of fewer vectors' columns than the tile) give the bits
     * of the whole tile, for every width of the last tile, every transpose, beta 0 and 1, and the
     * ConvNet-3 widths (196 = 14 x 14, 49 = 7 x 7 outputs) whose tails they were written for.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("narrowTailTiles")
    void narrowTailTilesAreBitIdenticalToWholeTiles(String name, SgemmKernel tile, SgemmKernel whole, int narrowVectors) {
        int lanes = tile.nr() / (narrowVectors + 1);
        List<Integer> widths = new ArrayList<>();
        for (int n = 1; n <= 2 * tile.nr() + 1; n++) {
            widths.add(n);
        }
        widths.add(196);
        widths.add(49);
        int tails = 0;
        for (int n : widths) {
            int m = 9 + n % 7 + (n % 3) * tile.mr();
            int k = 37 + n % 11;
            for (int t = 0; t < 8; t++) {
                assertArrayEquals(product(whole, true, m, n, k, t, 1000L * n + t), product(tile, true, m, n, k, t, 1000L * n + t),
                        name + " n=" + n + " t=" + t);
            }
            tails += n % tile.nr() != 0 && n % tile.nr() <= narrowVectors * lanes ? 1 : 0;
        }
        assertTrue(tails > narrowVectors * lanes, "widths with a narrow last tile: " + tails);
    }

    /**
     * Every tile shape folds each element's products in the same order (k blocks from the problem
     * size alone, each from zero with one FMA per product), so the shape this JVM chooses never
     * changes a bit: the 12 x 2 and 6 x 2 tiles against the 4 x 4 one, through the whole driver
     * (narrow products computed as their transpose included), on ConvNet-3's and square shapes.
     */
    @Test
    void everyTileShapeGivesTheSameBits() {
        int[][] sizes = {{128, 196, 1152}, {128, 49, 1152}, {1152, 196, 128}, {128, 1152, 49}, {37, 53, 29},
            {256, 10, 256}, {13, 700, 600}, {1, 1, 1}};
        for (int[] size : sizes) {
            int m = size[0];
            int n = size[1];
            int k = size[2];
            for (int t = 0; t < 8; t++) {
                long seed = 7L * m + 31L * n + k + t;
                float[] c4x4 = product(VectorSgemm.TILE_4X4, false, m, n, k, t, seed);
                String what = m + "x" + n + "x" + k + " t=" + t;
                assertArrayEquals(c4x4, product(VectorSgemm.TILE_12X2, false, m, n, k, t, seed), "12x2 " + what);
                assertArrayEquals(c4x4, product(VectorSgemm.TILE_6X2, false, m, n, k, t, seed), "6x2 " + what);
            }
        }
    }

    /** {@code -Ddistill4j.sgemm.tile} picks a tile, {@code auto} the machine's, and anything else is refused by name. */
    @Test
    void theTilePropertyPicksATileOrIsRefused() {
        String before = System.getProperty("distill4j.sgemm.tile");
        try {
            System.setProperty("distill4j.sgemm.tile", "12x2");
            assertTrue(VectorSgemm.kernel() == VectorSgemm.TILE_12X2);
            System.setProperty("distill4j.sgemm.tile", "4x4");
            assertTrue(VectorSgemm.kernel() == VectorSgemm.TILE_4X4);
            System.setProperty("distill4j.sgemm.tile", "auto");
            SgemmKernel auto = VectorSgemm.kernel();
            assertTrue(auto == VectorSgemm.TILE_12X2 || auto == VectorSgemm.TILE_4X4 || auto == VectorSgemm.TILE_6X2);
            System.setProperty("distill4j.sgemm.tile", "12X2");
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    VectorSgemm::kernel);
            assertTrue(e.getMessage().contains("12X2") && e.getMessage().contains("4x4"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty("distill4j.sgemm.tile");
            } else {
                System.setProperty("distill4j.sgemm.tile", before);
            }
        }
    }
}
