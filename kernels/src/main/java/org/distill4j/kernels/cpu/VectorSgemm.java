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
 * the rate (Zen 5, Intel parts with AMX), {@link VectorWidth} makes every kernel 512 bits wide,
 * and the tile is then 12 x 2 vectors (12 x 32 floats; see {@link Tile12x2}). Every tile shape
 * gives the same bits.
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
    static final SgemmKernel TILE_12X2 = new Tile12x2(true);
    /** The 12 x 2 tile computing every tile whole: what tests compare with. */
    static final SgemmKernel TILE_12X2_WHOLE = new Tile12x2(false);

    private VectorSgemm() {
    }

    /**
     * The kernel for this machine's register file and this JVM's vector width: 12 x 2 at 512 bits,
     * 4 x 4 at 256 with 32 registers, 6 x 2 with 16. {@code -Ddistill4j.sgemm.tile=4x4|6x2|12x2}
     * picks one for measurements ({@code auto}, the default, chooses); every tile gives the same bits.
     */
    static SgemmKernel kernel() {
        String tile = System.getProperty("distill4j.sgemm.tile", "auto");
        switch (tile) {
            case "4x4":
                return TILE_4X4;
            case "6x2":
                return TILE_6X2;
            case "12x2":
                return TILE_12X2;
            case "auto":
                break;
            default:
                throw new IllegalArgumentException("distill4j.sgemm.tile must be auto, 4x4, 6x2 or 12x2, got " + tile);
        }
        if (!WIDE_REGISTER_FILE) {
            return TILE_6X2;
        }
        return S.vectorBitSize() >= 512 ? TILE_12X2 : TILE_4X4;
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

    /**
     * 12 rows x 2 vectors: for 512-bit vectors on 32-register machines. At 512 bits the 4 x 4
     * tile is 64 floats wide: a k step reads 256 bytes of its B slivers (which stream from L2) for
     * 16 FMAs, and the 12 x 2 tile reads 128 bytes for 24 (24 accumulators, 2 B vectors and a
     * broadcast: 27 of the 32 registers). Measured on an Intel Xeon with AMX (2 cores, each
     * thread its own images' products as the convolutions run them, 2 threads): ConvNet-3's
     * conv2 forward 176 -> 191 GFLOPS, input gradient 190 -> 207, weight gradient 174 -> 181;
     * conv3 (49 columns) forward 85 -> 150; 512 x 512 x 512 207 -> 237. At 256 bits it gained
     * 0-8% there and 4 x 4 stays (measured best on Zen 4). A last tile of at most one vector's
     * columns (196 = 6 x 32 + 4) runs a one-vector kernel that reads the same slivers and folds
     * each element's products in the same order, as the 4 x 4 tile's narrow kernels do.
     */
    private static final class Tile12x2 implements SgemmKernel {
        private static final int MR = 12;
        private static final int NR = 2 * L;
        private final boolean narrowTails;

        Tile12x2(boolean narrowTails) {
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
            if (narrowTails && cols <= L) {
                multiply12x1(kc, ap, ai, bp, bi, tile);
                storeTile(tile, NR, alpha, beta, c, ci, ldc, rows, cols);
                return;
            }
            FloatVector c000 = FloatVector.zero(S);
            FloatVector c001 = c000, c010 = c000, c011 = c000, c020 = c000, c021 = c000, c030 = c000;
            FloatVector c031 = c000, c040 = c000, c041 = c000, c050 = c000, c051 = c000, c060 = c000;
            FloatVector c061 = c000, c070 = c000, c071 = c000, c080 = c000, c081 = c000, c090 = c000;
            FloatVector c091 = c000, c100 = c000, c101 = c000, c110 = c000, c111 = c000;
            for (int p = 0; p < kc; p++) {
                int pa = ai + p * MR;
                int pb = bi + p * NR;
                FloatVector b0 = FloatVector.fromArray(S, bp, pb);
                FloatVector b1 = FloatVector.fromArray(S, bp, pb + L);
                FloatVector a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa]));
                c000 = a.fma(b0, c000); c001 = a.fma(b1, c001);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 1]));
                c010 = a.fma(b0, c010); c011 = a.fma(b1, c011);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 2]));
                c020 = a.fma(b0, c020); c021 = a.fma(b1, c021);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 3]));
                c030 = a.fma(b0, c030); c031 = a.fma(b1, c031);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 4]));
                c040 = a.fma(b0, c040); c041 = a.fma(b1, c041);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 5]));
                c050 = a.fma(b0, c050); c051 = a.fma(b1, c051);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 6]));
                c060 = a.fma(b0, c060); c061 = a.fma(b1, c061);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 7]));
                c070 = a.fma(b0, c070); c071 = a.fma(b1, c071);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 8]));
                c080 = a.fma(b0, c080); c081 = a.fma(b1, c081);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 9]));
                c090 = a.fma(b0, c090); c091 = a.fma(b1, c091);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 10]));
                c100 = a.fma(b0, c100); c101 = a.fma(b1, c101);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 11]));
                c110 = a.fma(b0, c110); c111 = a.fma(b1, c111);
            }
            ((FloatVector) EXACT.cast(c000)).intoArray(tile, 0);
            ((FloatVector) EXACT.cast(c001)).intoArray(tile, L);
            ((FloatVector) EXACT.cast(c010)).intoArray(tile, NR);
            ((FloatVector) EXACT.cast(c011)).intoArray(tile, NR + L);
            ((FloatVector) EXACT.cast(c020)).intoArray(tile, 2 * NR);
            ((FloatVector) EXACT.cast(c021)).intoArray(tile, 2 * NR + L);
            ((FloatVector) EXACT.cast(c030)).intoArray(tile, 3 * NR);
            ((FloatVector) EXACT.cast(c031)).intoArray(tile, 3 * NR + L);
            ((FloatVector) EXACT.cast(c040)).intoArray(tile, 4 * NR);
            ((FloatVector) EXACT.cast(c041)).intoArray(tile, 4 * NR + L);
            ((FloatVector) EXACT.cast(c050)).intoArray(tile, 5 * NR);
            ((FloatVector) EXACT.cast(c051)).intoArray(tile, 5 * NR + L);
            ((FloatVector) EXACT.cast(c060)).intoArray(tile, 6 * NR);
            ((FloatVector) EXACT.cast(c061)).intoArray(tile, 6 * NR + L);
            ((FloatVector) EXACT.cast(c070)).intoArray(tile, 7 * NR);
            ((FloatVector) EXACT.cast(c071)).intoArray(tile, 7 * NR + L);
            ((FloatVector) EXACT.cast(c080)).intoArray(tile, 8 * NR);
            ((FloatVector) EXACT.cast(c081)).intoArray(tile, 8 * NR + L);
            ((FloatVector) EXACT.cast(c090)).intoArray(tile, 9 * NR);
            ((FloatVector) EXACT.cast(c091)).intoArray(tile, 9 * NR + L);
            ((FloatVector) EXACT.cast(c100)).intoArray(tile, 10 * NR);
            ((FloatVector) EXACT.cast(c101)).intoArray(tile, 10 * NR + L);
            ((FloatVector) EXACT.cast(c110)).intoArray(tile, 11 * NR);
            ((FloatVector) EXACT.cast(c111)).intoArray(tile, 11 * NR + L);
            storeTile(tile, NR, alpha, beta, c, ci, ldc, rows, cols);
        }
    }

    /** The first vector of a 12 x 2-vector tile's columns into {@code tile} (row stride {@code 2 * L}). */
    private static void multiply12x1(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        final int mr = 12;
        final int nr = 2 * L;
        FloatVector c000 = FloatVector.zero(S);
        FloatVector c010 = c000, c020 = c000, c030 = c000, c040 = c000, c050 = c000, c060 = c000;
        FloatVector c070 = c000, c080 = c000, c090 = c000, c100 = c000, c110 = c000;
        for (int p = 0; p < kc; p++) {
            int pa = ai + p * mr;
            int pb = bi + p * nr;
            FloatVector b0 = FloatVector.fromArray(S, bp, pb);
            FloatVector a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa]));
            c000 = a.fma(b0, c000);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 1]));
            c010 = a.fma(b0, c010);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 2]));
            c020 = a.fma(b0, c020);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 3]));
            c030 = a.fma(b0, c030);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 4]));
            c040 = a.fma(b0, c040);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 5]));
            c050 = a.fma(b0, c050);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 6]));
            c060 = a.fma(b0, c060);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 7]));
            c070 = a.fma(b0, c070);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 8]));
            c080 = a.fma(b0, c080);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 9]));
            c090 = a.fma(b0, c090);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 10]));
            c100 = a.fma(b0, c100);
            a = (FloatVector) EXACT.cast(FloatVector.broadcast(S, ap[pa + 11]));
            c110 = a.fma(b0, c110);
        }
        ((FloatVector) EXACT.cast(c000)).intoArray(tile, 0);
        ((FloatVector) EXACT.cast(c010)).intoArray(tile, nr);
        ((FloatVector) EXACT.cast(c020)).intoArray(tile, 2 * nr);
        ((FloatVector) EXACT.cast(c030)).intoArray(tile, 3 * nr);
        ((FloatVector) EXACT.cast(c040)).intoArray(tile, 4 * nr);
        ((FloatVector) EXACT.cast(c050)).intoArray(tile, 5 * nr);
        ((FloatVector) EXACT.cast(c060)).intoArray(tile, 6 * nr);
        ((FloatVector) EXACT.cast(c070)).intoArray(tile, 7 * nr);
        ((FloatVector) EXACT.cast(c080)).intoArray(tile, 8 * nr);
        ((FloatVector) EXACT.cast(c090)).intoArray(tile, 9 * nr);
        ((FloatVector) EXACT.cast(c100)).intoArray(tile, 10 * nr);
        ((FloatVector) EXACT.cast(c110)).intoArray(tile, 11 * nr);
    }
}
