package org.distill4j.kernels.cpu;

import static org.distill4j.kernels.cpu.TwinChecks.assertTwin;
import static org.distill4j.kernels.cpu.TwinChecks.dyadic;
import static org.distill4j.kernels.cpu.TwinChecks.sentinels;
import static org.distill4j.kernels.cpu.TwinChecks.widen;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.distill4j.kernels.ConvGeometry;
import org.distill4j.kernels.cpu.GemmChecks.Case;
import org.junit.jupiter.api.Test;

/**
 * The hand-written F32 twins of the F64 GEMM code compute the same thing, on every path (the
 * elementwise, reduction and norm twins are in {@link F32F64TwinsTest}):
 * <ul>
 *   <li>{@link GemmPacking} / {@link GemmPackingF64}: packA and packB, both transposes, every
 *       sliver width the kernels use (4, 6, 8, 12, 16, 32) and a few they do not, full and partial
 *       slivers, unaligned offsets and padded leading dimensions; pure copies, so exact;</li>
 *   <li>{@link SgemmDriver} / {@link DgemmDriver} with each {@link SgemmKernel} against a
 *       {@link DgemmKernel}: {@link BlockedGemm#FLOAT} / {@link BlockedGemm#DOUBLE} (the kernels
 *       of a JVM without the Vector API), {@link VectorSgemm#TILE_4X4},
 *       {@link VectorSgemm#TILE_12X2} and {@link VectorSgemm#TILE_6X2} / {@link VectorDgemm#TILE_6X2}, through {@link Gemm#sgemm}
 *       and {@link Gemm#dgemm} (so also the narrow, transposed SGEMM path, which has no DGEMM
 *       twin) on every problem of {@link GemmChecks#cases}: all four transposes, edges of the
 *       tiles, of the k blocks and of the B panels;</li>
 *   <li>{@link Im2col}'s float and double {@code im2col} and {@code col2im}, and
 *       {@link Conv#foldGroups}'s float and double overloads.</li>
 * </ul>
 * Tolerances: on inputs that are multiples of 1/4 ({@link TwinChecks#dyadic}) every product and
 * sum is exact in float, so C, the packed slivers and the folded images must agree to the bit,
 * sentinels around them included. On uniform random inputs, GEMM must stay within the forward
 * error bound of a float dot product ({@link GemmChecks#assertClose}: {@code 2 (k + 2) 2^-23}
 * times the sum of the magnitudes of the products), the order of the additions being free.
 */
class GemmF32F64TwinsTest {
    /** A float kernel and the double kernel it is compared with. */
    private record Pair(String name, SgemmKernel f32, DgemmKernel f64) {
    }

    private static List<Pair> pairs() {
        List<Pair> out = new ArrayList<>();
        out.add(new Pair("BlockedGemm", BlockedGemm.FLOAT, BlockedGemm.DOUBLE));
        if (VectorSupport.AVAILABLE) {
            out.add(new Pair("VectorSgemm 4x4 / VectorDgemm", VectorSgemm.TILE_4X4, VectorDgemm.TILE_6X2));
            out.add(new Pair("VectorSgemm 6x2 / VectorDgemm", VectorSgemm.TILE_6X2, VectorDgemm.TILE_6X2));
            out.add(new Pair("VectorSgemm 12x2 / VectorDgemm", VectorSgemm.TILE_12X2, VectorDgemm.TILE_6X2));
        }
        return out;
    }

    /** A stored matrix of multiples of 1/4 at {@code off} with stride {@code ld}, sentinels elsewhere. */
    private static float[] dyadicMatrix(Random rnd, int rows, int cols, int off, int ld) {
        float[] x = new float[off + rows * ld + 5];
        java.util.Arrays.fill(x, GemmChecks.SENTINEL);
        float[] values = dyadic(rnd, rows * cols);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(values, i * cols, x, off + i * ld, cols);
        }
        return x;
    }

    @Test
    void sgemmIsTheTwinOfDgemmOnExactData() {
        Random rnd = new Random(11);
        for (Pair pair : pairs()) {
            for (Case q : GemmChecks.cases()) {
                float[] a = dyadicMatrix(rnd, q.rowsA(), q.colsA(), q.offA(), q.lda());
                float[] b = dyadicMatrix(rnd, q.rowsB(), q.colsB(), q.offB(), q.ldb());
                float[] c = dyadicMatrix(rnd, q.m(), q.n(), q.offC(), q.ldc());
                double[] cd = widen(c);
                Gemm.sgemm(pair.f32(), q.transA(), q.transB(), q.m(), q.n(), q.k(), (float) q.alpha(), a, q.offA(),
                        q.lda(), b, q.offB(), q.ldb(), (float) q.beta(), c, q.offC(), q.ldc());
                Gemm.dgemm(pair.f64(), q.transA(), q.transB(), q.m(), q.n(), q.k(), q.alpha(), widen(a), q.offA(),
                        q.lda(), widen(b), q.offB(), q.ldb(), q.beta(), cd, q.offC(), q.ldc());
                assertTwin(c, cd, 0, pair.name() + " " + q);
            }
        }
    }

    @Test
    void sgemmIsTheTwinOfDgemmWithinTheFloatErrorBound() {
        for (Pair pair : pairs()) {
            for (Case q : GemmChecks.cases()) {
                SplittableRandom rng = new SplittableRandom(q.hashCode());
                float[] a = GemmChecks.floats(rng, q.rowsA(), q.colsA(), q.offA(), q.lda(), false);
                float[] b = GemmChecks.floats(rng, q.rowsB(), q.colsB(), q.offB(), q.ldb(), false);
                float[] c = GemmChecks.floats(rng, q.m(), q.n(), q.offC(), q.ldc(), false);
                double[] c0 = widen(c);
                double[] cd = c0.clone();
                Gemm.sgemm(pair.f32(), q.transA(), q.transB(), q.m(), q.n(), q.k(), (float) q.alpha(), a, q.offA(),
                        q.lda(), b, q.offB(), q.ldb(), (float) q.beta(), c, q.offC(), q.ldc());
                Gemm.dgemm(pair.f64(), q.transA(), q.transB(), q.m(), q.n(), q.k(), q.alpha(), widen(a), q.offA(),
                        q.lda(), widen(b), q.offB(), q.ldb(), q.beta(), cd, q.offC(), q.ldc());
                GemmChecks.assertClose(q, widen(a), widen(b), c0, cd, widen(c), Math.ulp(1f));
            }
        }
    }

    @Test
    void packingIsATwin() {
        Random rnd = new Random(12);
        for (int width : new int[] {1, 3, 4, 6, 8, 12, 16, 32}) {
            for (int count : new int[] {1, width - 1, width, width + 1, 2 * width + 3}) {
                if (count < 1) {
                    continue;
                }
                for (int kc : new int[] {1, 3, 4, 17, 40}) {
                    for (boolean trans : new boolean[] {false, true}) {
                        // Rows or columns [2, 2 + count) and k steps [1, 1 + kc) of a padded matrix at offset 5.
                        int rows = trans ? kc + 1 : count + 2;
                        int cols = trans ? count + 2 : kc + 1;
                        int ld = cols + 3;
                        float[] src = dyadicMatrix(rnd, rows, cols, 5, ld);
                        int slivers = (count + width - 1) / width;
                        float[] dst = sentinels(7 + slivers * width * kc + 3);
                        double[] dstd = widen(dst);
                        String what = "width=" + width + " count=" + count + " kc=" + kc + " trans=" + trans;
                        GemmPacking.packA(trans, src, 5, ld, 2, count, 1, kc, width, dst, 7);
                        GemmPackingF64.packA(trans, widen(src), 5, ld, 2, count, 1, kc, width, dstd, 7);
                        assertTwin(dst, dstd, 0, "packA " + what);
                        // packB with the transpose flipped reads the same stored layout as packA.
                        float[] dstB = sentinels(dst.length);
                        double[] dstBd = widen(dstB);
                        GemmPacking.packB(!trans, src, 5, ld, 2, count, 1, kc, width, dstB, 7);
                        GemmPackingF64.packB(!trans, widen(src), 5, ld, 2, count, 1, kc, width, dstBd, 7);
                        assertTwin(dstB, dstBd, 0, "packB " + what);
                    }
                }
            }
        }
    }

    @Test
    void im2colCol2imAndFoldGroupsAreTwins() {
        Random rnd = new Random(13);
        for (ConvGeometry g : ConvTest.GEOMETRIES) {
            int image = g.c() * g.h() * g.w();
            int colSize = g.c() * g.r() * g.s() * g.outH() * g.outW();
            float[] x = dyadic(rnd, 3 + image);
            float[] col = sentinels(colSize + 2);
            double[] cold = widen(col);
            Im2col.im2col(g, x, 3, col);
            Im2col.im2col(g, widen(x), 3, cold);
            assertTwin(col, cold, 0, "im2col " + g);

            float[] grad = dyadic(rnd, colSize);
            float[] gx = sentinels(3 + image + 2);
            double[] gxd = widen(gx);
            Im2col.col2im(g, grad, gx, 3);
            Im2col.col2im(g, widen(grad), gxd, 3);
            assertTwin(gx, gxd, 0, "col2im " + g);
        }
        for (int groups : new int[] {1, 2, 7}) {
            for (int size : new int[] {1, 9, 40_000}) {
                float[] part = dyadic(rnd, groups * size);
                float[] out = sentinels(size + 4);
                double[] outd = widen(out);
                Conv.foldGroups(part, groups, size, out, 2);
                Conv.foldGroups(widen(part), groups, size, outd, 2);
                assertTwin(out, outd, 0, "foldGroups groups=" + groups + " size=" + size);
            }
        }
    }
}
