package org.distill4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API SGEMM micro-kernels. Only loaded when {@link VectorSupport#AVAILABLE}.
 *
 * <p>The tile shape is chosen by the size of the vector register file. With AVX-512 (32 vector
 * registers, even for 256-bit operations) a 4 x 4-vector tile keeps 16 accumulators, 4 B vectors
 * and a broadcast A value in registers. With AVX2's 16 registers that tile spills, and 6 x 2
 * vectors (12 accumulators) is the largest that fits. Measured in-cache on an AMD EPYC Zen 4 at
 * kc = 256, as a fraction of a 117 GFLOPS FMA peak: 4x4 96%, 6x2 87%, 4x3 94%, 8x3 97%; with
 * {@code -XX:UseAVX=2}: 6x2 87%, 4x4 48%, 4x3 and 8x3 under 55%. 8x3 is within noise of 4x4 but
 * gives less parallelism in skinny products (m = 6 leaves 8-row tiles 25% empty), so 4x4 it is.
 *
 * <p>Vectors are 256 bits even where 512 are available: on Zen 4 the wider ones run at the same
 * FLOP rate and the 512-bit kernels measured 10-40% slower here. Where 512-bit FMAs run at twice
 * the rate (Zen 5), {@link VectorWidth} makes every kernel 512 bits wide; the tile is then
 * 4 x 64 floats and gives the same bits.
 *
 * <p>Every vector a kernel here calls a method on is first cast to its exact class
 * ({@code EXACT.cast}), which C2 turns into a type check it can usually fold. Without the cast, C2
 * finds the class from the profile of call sites inside {@code FloatVector} that all callers share,
 * and whenever that failed (a profile that had seen two vector classes, or a call site with earlier
 * traps) the Vector API's intrinsics were not used: in a ConvNet-3 JVM that also ran a 512-bit
 * tile, this tile's 16 stores went through the slow, allocating path. With one width per JVM
 * ({@link VectorWidth}) that should not happen; the casts stay as protection against the trap
 * history of those shared sites, at no measurable cost and with the same bits.
 */
final class VectorSgemm {
    private static final VectorSpecies<Float> S = VectorWidth.F32;
    private static final int L = S.length();
    private static final TailMasks<Float> MASKS = new TailMasks<>(S);
    /** The concrete class of S's vectors, for casts that tell C2 a vector's exact class. */
    private static final Class<?> EXACT = S.vectorType();
    /** AVX-512 (and AArch64) have 32 vector registers; AVX2 has 16. */
    private static final boolean WIDE_REGISTER_FILE = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
            || "aarch64".equals(System.getProperty("os.arch"));

    static final SgemmKernel TILE_4X4 = new Tile4x4(true);
    /** The 4 x 4 tile computing every tile whole, as before the narrow tails: what tests compare with. */
    static final SgemmKernel TILE_4X4_WHOLE = new Tile4x4(false);
    static final SgemmKernel TILE_6X2 = new Tile6x2();

    private VectorSgemm() {
    }

    /** The 256-bit kernel for this machine's register file. */
    static SgemmKernel kernel() {
        return WIDE_REGISTER_FILE ? TILE_4X4 : TILE_6X2;
    }

    /**
     * {@code C = alpha * T + beta * C} for the {@code rows x cols} corner of the tile {@code T} that
     * a kernel has spilled to {@code tile} (row stride {@code nr}): whole vectors where they fit,
     * one masked vector at the end of a short row. The kernels spill rather than store their
     * accumulators directly because C2 stops inlining helpers in a method this large, and a
     * vector passed to a method that is not inlined is boxed on the heap; the spill costs two
     * L1 accesses per vector against the kc FMAs that produced it.
     */
    private static void storeTile(float[] tile, int nr, float alpha, float beta,
                                  float[] c, int ci, int ldc, int rows, int cols) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        FloatVector vb = FloatVector.broadcast(S, beta);
        for (int r = 0; r < rows; r++) {
            int t = r * nr;
            int row = ci + r * ldc;
            int j = 0;
            for (; j + L <= cols; j += L) {
                FloatVector v = ((FloatVector) EXACT.cast(FloatVector.fromArray(S, tile, t + j))).mul(va);
                if (beta != 0f) {
                    v = ((FloatVector) EXACT.cast(FloatVector.fromArray(S, c, row + j))).fma(vb, v);
                }
                v.intoArray(c, row + j);
            }
            if (j < cols) {
                VectorMask<Float> m = MASKS.upTo(j, cols);
                FloatVector v = ((FloatVector) EXACT.cast(FloatVector.fromArray(S, tile, t + j))).mul(va);
                if (beta != 0f) {
                    v = ((FloatVector) EXACT.cast(FloatVector.fromArray(S, c, row + j, m))).fma(vb, v);
                }
                v.intoArray(c, row + j, m);
            }
        }
    }

    /**
     * 4 rows x 4 vectors: for 32-register machines. A tile of at most 3 vectors' columns (the
     * last tile of a row of C whose width is not a multiple of 4 vectors) runs a kernel of only as
     * many vectors as it needs: a 14 x 14 convolution output has 196 columns, 3 whole tiles and
     * 4 columns, and computing that last tile whole was a quarter of the product's multiply-adds.
     * The narrow kernels read the same packed slivers (row stride {@code NR}) and fold each
     * element's products in the same order, so the bits are those of the whole tile.
     */
    private static final class Tile4x4 implements SgemmKernel {
        private static final int MR = 4;
        private static final int NR = 4 * L;
        private final boolean narrowTails;

        Tile4x4(boolean narrowTails) {
            this.narrowTails = narrowTails;
        }

        @Override
        public int mr() {
            return MR;
        }

        @Override
        public int nr() {
            return NR;
        }

        @Override
        public void multiply(int kc, float[] ap, int ai, float[] bp, int bi, float alpha, float beta,
                             float[] c, int ci, int ldc, int rows, int cols, float[] tile) {
            if (narrowTails && cols <= 3 * L) {
                if (cols <= L) {
                    multiply1(kc, ap, ai, bp, bi, tile);
                } else if (cols <= 2 * L) {
                    multiply2(kc, ap, ai, bp, bi, tile);
                } else {
                    multiply3(kc, ap, ai, bp, bi, tile);
                }
                storeTile(tile, NR, alpha, beta, c, ci, ldc, rows, cols);
                return;
            }
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
            FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
            FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
            FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
            // Indices computed from p (not bumped pointers): C2 then hoists more range checks (+2%).
            for (int p = 0; p < kc; p++) {
                int pa = ai + p * MR;
                int pb = bi + p * NR;
                FloatVector b0 = FloatVector.fromArray(S, bp, pb);
                FloatVector b1 = FloatVector.fromArray(S, bp, pb + L);
                FloatVector b2 = FloatVector.fromArray(S, bp, pb + 2 * L);
                FloatVector b3 = FloatVector.fromArray(S, bp, pb + 3 * L);
                FloatVector a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa]));
                c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02); c03 = a.fma(b3, c03);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 1]));
                c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12); c13 = a.fma(b3, c13);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 2]));
                c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22); c23 = a.fma(b3, c23);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 3]));
                c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32); c33 = a.fma(b3, c33);
            }
            ((FloatVector) EXACT.cast(c00)).intoArray(tile, 0);
            ((FloatVector) EXACT.cast(c01)).intoArray(tile, L);
            ((FloatVector) EXACT.cast(c02)).intoArray(tile, 2 * L);
            ((FloatVector) EXACT.cast(c03)).intoArray(tile, 3 * L);
            ((FloatVector) EXACT.cast(c10)).intoArray(tile, NR);
            ((FloatVector) EXACT.cast(c11)).intoArray(tile, NR + L);
            ((FloatVector) EXACT.cast(c12)).intoArray(tile, NR + 2 * L);
            ((FloatVector) EXACT.cast(c13)).intoArray(tile, NR + 3 * L);
            ((FloatVector) EXACT.cast(c20)).intoArray(tile, 2 * NR);
            ((FloatVector) EXACT.cast(c21)).intoArray(tile, 2 * NR + L);
            ((FloatVector) EXACT.cast(c22)).intoArray(tile, 2 * NR + 2 * L);
            ((FloatVector) EXACT.cast(c23)).intoArray(tile, 2 * NR + 3 * L);
            ((FloatVector) EXACT.cast(c30)).intoArray(tile, 3 * NR);
            ((FloatVector) EXACT.cast(c31)).intoArray(tile, 3 * NR + L);
            ((FloatVector) EXACT.cast(c32)).intoArray(tile, 3 * NR + 2 * L);
            ((FloatVector) EXACT.cast(c33)).intoArray(tile, 3 * NR + 3 * L);
            storeTile(tile, NR, alpha, beta, c, ci, ldc, rows, cols);
        }
    }

    /** The first vector of a 4 x 4-vector tile's columns into {@code tile} (row stride {@code 4 * L}). */
    private static void multiply1(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        final int mr = 4;
        final int nr = 4 * L;
        FloatVector c00 = FloatVector.zero(S), c10 = c00, c20 = c00, c30 = c00;
        for (int p = 0; p < kc; p++) {
            int pa = ai + p * mr;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi + p * nr);
            c00 = ((FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa]))).fma(b0, c00);
            c10 = ((FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 1]))).fma(b0, c10);
            c20 = ((FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 2]))).fma(b0, c20);
            c30 = ((FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 3]))).fma(b0, c30);
        }
        ((FloatVector) EXACT.cast(c00)).intoArray(tile, 0);
        ((FloatVector) EXACT.cast(c10)).intoArray(tile, nr);
        ((FloatVector) EXACT.cast(c20)).intoArray(tile, 2 * nr);
        ((FloatVector) EXACT.cast(c30)).intoArray(tile, 3 * nr);
    }

    /** The first two vectors of a 4 x 4-vector tile's columns. */
    private static void multiply2(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        final int mr = 4;
        final int nr = 4 * L;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            int pa = ai + p * mr;
            int pb = bi + p * nr;
            FloatVector b0 = FloatVector.fromArray(S, bp, pb);
            FloatVector b1 = FloatVector.fromArray(S, bp, pb + L);
            FloatVector a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa]));
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 1]));
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 2]));
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 3]));
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
        }
        ((FloatVector) EXACT.cast(c00)).intoArray(tile, 0);
        ((FloatVector) EXACT.cast(c01)).intoArray(tile, L);
        ((FloatVector) EXACT.cast(c10)).intoArray(tile, nr);
        ((FloatVector) EXACT.cast(c11)).intoArray(tile, nr + L);
        ((FloatVector) EXACT.cast(c20)).intoArray(tile, 2 * nr);
        ((FloatVector) EXACT.cast(c21)).intoArray(tile, 2 * nr + L);
        ((FloatVector) EXACT.cast(c30)).intoArray(tile, 3 * nr);
        ((FloatVector) EXACT.cast(c31)).intoArray(tile, 3 * nr + L);
    }

    /** The first three vectors of a 4 x 4-vector tile's columns. */
    private static void multiply3(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        final int mr = 4;
        final int nr = 4 * L;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
        for (int p = 0; p < kc; p++) {
            int pa = ai + p * mr;
            int pb = bi + p * nr;
            FloatVector b0 = FloatVector.fromArray(S, bp, pb);
            FloatVector b1 = FloatVector.fromArray(S, bp, pb + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, pb + 2 * L);
            FloatVector a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa]));
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 1]));
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 2]));
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 3]));
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32);
        }
        ((FloatVector) EXACT.cast(c00)).intoArray(tile, 0);
        ((FloatVector) EXACT.cast(c01)).intoArray(tile, L);
        ((FloatVector) EXACT.cast(c02)).intoArray(tile, 2 * L);
        ((FloatVector) EXACT.cast(c10)).intoArray(tile, nr);
        ((FloatVector) EXACT.cast(c11)).intoArray(tile, nr + L);
        ((FloatVector) EXACT.cast(c12)).intoArray(tile, nr + 2 * L);
        ((FloatVector) EXACT.cast(c20)).intoArray(tile, 2 * nr);
        ((FloatVector) EXACT.cast(c21)).intoArray(tile, 2 * nr + L);
        ((FloatVector) EXACT.cast(c22)).intoArray(tile, 2 * nr + 2 * L);
        ((FloatVector) EXACT.cast(c30)).intoArray(tile, 3 * nr);
        ((FloatVector) EXACT.cast(c31)).intoArray(tile, 3 * nr + L);
        ((FloatVector) EXACT.cast(c32)).intoArray(tile, 3 * nr + 2 * L);
    }

    /** 6 rows x 2 vectors: for 16-register machines (AVX2). */
    private static final class Tile6x2 implements SgemmKernel {
        private static final int MR = 6;
        private static final int NR = 2 * L;

        @Override
        public int mr() {
            return MR;
        }

        @Override
        public int nr() {
            return NR;
        }

        @Override
        public void multiply(int kc, float[] ap, int ai, float[] bp, int bi, float alpha, float beta,
                             float[] c, int ci, int ldc, int rows, int cols, float[] tile) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int p = 0; p < kc; p++) {
                int pa = ai + p * MR;
                int pb = bi + p * NR;
                FloatVector b0 = FloatVector.fromArray(S, bp, pb);
                FloatVector b1 = FloatVector.fromArray(S, bp, pb + L);
                FloatVector a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa]));
                c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 1]));
                c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 2]));
                c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 3]));
                c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 4]));
                c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 5]));
                c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            }
            ((FloatVector) EXACT.cast(c00)).intoArray(tile, 0);
            ((FloatVector) EXACT.cast(c01)).intoArray(tile, L);
            ((FloatVector) EXACT.cast(c10)).intoArray(tile, NR);
            ((FloatVector) EXACT.cast(c11)).intoArray(tile, NR + L);
            ((FloatVector) EXACT.cast(c20)).intoArray(tile, 2 * NR);
            ((FloatVector) EXACT.cast(c21)).intoArray(tile, 2 * NR + L);
            ((FloatVector) EXACT.cast(c30)).intoArray(tile, 3 * NR);
            ((FloatVector) EXACT.cast(c31)).intoArray(tile, 3 * NR + L);
            ((FloatVector) EXACT.cast(c40)).intoArray(tile, 4 * NR);
            ((FloatVector) EXACT.cast(c41)).intoArray(tile, 4 * NR + L);
            ((FloatVector) EXACT.cast(c50)).intoArray(tile, 5 * NR);
            ((FloatVector) EXACT.cast(c51)).intoArray(tile, 5 * NR + L);
            storeTile(tile, NR, alpha, beta, c, ci, ldc, rows, cols);
        }
    }
}
