package org.distill4j.kernels.cpu;

import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 512-bit SGEMM micro-kernel for CPUs whose 512-bit FMAs run at twice the 256-bit rate (AMD Zen 5:
 * 222 against 111 GFLOPS a core). Only loaded when {@link VectorSupport#AVAILABLE} and used for
 * products of depth {@link Gemm#WIDE_MIN_K} or more when {@code -Ddistill4j.sgemm.width=512}
 * ({@link VectorSgemm#wideKernel()}); off by default, see the last paragraph.
 *
 * <p>Same 4 x 4-vector tile as {@link VectorSgemm}'s, 16 floats a vector, so NR = 64; each element
 * of C gets the same fused multiply-adds in the same order of k as in the 256-bit tile, so the
 * result is bit for bit the same.
 *
 * <p><b>Why it is written this way.</b> Every other float kernel of this package is 256 bits wide.
 * On JDK 17 the Vector API's methods reach the vector's concrete class through call sites inside
 * {@code FloatVector} that every caller shares ({@code fma}, {@code add} and {@code intoArray} call
 * {@code lanewise}, {@code length()} and {@code vspecies()} on {@code this}), and C2 devirtualises them
 * from the profile those sites collect before compilation. Once a site has seen both 256- and
 * 512-bit vectors, C2 can no longer make the vector class a constant there, the intrinsic is not
 * used and the vectors go through memory as objects: a plain 512-bit copy of the 4x4 tile ran at
 * 3.7 GFLOPS (docs/results/training/real-loop.md), and with this class storing through
 * {@code FloatVector.intoArray} the 256-bit SGEMM fell to 4 GFLOPS in a JVM that had run this one
 * first. So this class
 * <ul>
 *   <li>casts every vector it calls a method on to its exact class ({@code EXACT.cast}; C2 turns a
 *       cast to a constant class into a type check), so no call here needs a profile;</li>
 *   <li>calls {@code lanewise}, which the concrete classes override, not {@code fma};</li>
 *   <li>spills its accumulators into a byte array ({@code intoByteArray}), which no other kernel
 *       uses, and leaves the scaling and the store into C to the 256-bit
 *       {@link VectorSgemm#storeTileBytes}. (A float array through {@code IntVector} needed a
 *       reinterpretation, whose intrinsic C2 did not always use: it then went through a
 *       {@code ByteBuffer} and took a fifth of a ConvNet-3 epoch.)</li>
 * </ul>
 * It still reaches {@code FloatVector.fromArray} and {@code broadcast}, whose shared sites do not
 * dispatch on a profile when the species is a constant, as it is in every kernel here.
 *
 * <p><b>Why it is not the default.</b> Measured on Zen 5 (JDK 17, one thread): the MLP's products
 * 1.5-1.8x faster (128 x 256 x 784: 88 to 130-156 GFLOPS), ConvNet-3's 1.2-2.3x, and in-cache the
 * tile reaches 185-205 GFLOPS, 90% of the 512-bit peak. But that is not enough: while this kernel
 * runs in the interpreter it still calls the JDK's own compiled {@code FloatVector.fromArray},
 * which C2 had specialised for 256-bit vectors, and the type-check traps it takes there are
 * recorded in {@code FloatVector}'s profile data, which every caller shares. C2 then compiles the
 * 256-bit kernels' loads with a slow fallback: {@code VectorReduceF32.deviations} (instance norm)
 * ran 6x slower in a JVM that had run this kernel first, and ConvNet-3's epoch gained nothing.
 * A 512-bit kernel pays on JDK 17 only in a JVM where every float kernel is 512 bits wide.
 *
 * <p>The byte-array methods exist in the Vector API of JDK 16 to 19 only (20 replaced them with
 * memory segments), so {@link VectorSgemm#wideKernel()} offers this kernel on those JDKs only.
 */
final class VectorSgemmWide {
    private static final VectorSpecies<Float> W = FloatVector.SPECIES_512;
    private static final int L = W.length();
    /** Float512Vector, which this package cannot name: {@code EXACT.cast(v)} tells C2 v's exact class. */
    private static final Class<?> EXACT = W.vectorType();
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    /** Each thread's spill tile, as bytes (see the class comment). */
    private static final ThreadLocal<byte[]> TILE = ThreadLocal.withInitial(() -> new byte[4 * 4 * 4 * L]);

    static final SgemmKernel TILE_4X4 = new Tile4x4();

    private VectorSgemmWide() {
    }

    /** 4 rows x 4 vectors of 16 floats. */
    private static final class Tile4x4 implements SgemmKernel {
        private static final int MR = 4;
        private static final int NR = 4 * L;

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
            FloatVector c00 = FloatVector.zero(W), c01 = c00, c02 = c00, c03 = c00;
            FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
            FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
            FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
            for (int p = 0; p < kc; p++) {
                int pa = ai + p * MR;
                int pb = bi + p * NR;
                FloatVector b0 = FloatVector.fromArray(W, bp, pb);
                FloatVector b1 = FloatVector.fromArray(W, bp, pb + L);
                FloatVector b2 = FloatVector.fromArray(W, bp, pb + 2 * L);
                FloatVector b3 = FloatVector.fromArray(W, bp, pb + 3 * L);
                FloatVector a = (FloatVector) EXACT.cast(FloatVector.broadcast(W, ap[pa]));
                c00 = a.lanewise(VectorOperators.FMA, b0, c00);
                c01 = a.lanewise(VectorOperators.FMA, b1, c01);
                c02 = a.lanewise(VectorOperators.FMA, b2, c02);
                c03 = a.lanewise(VectorOperators.FMA, b3, c03);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(W, ap[pa + 1]));
                c10 = a.lanewise(VectorOperators.FMA, b0, c10);
                c11 = a.lanewise(VectorOperators.FMA, b1, c11);
                c12 = a.lanewise(VectorOperators.FMA, b2, c12);
                c13 = a.lanewise(VectorOperators.FMA, b3, c13);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(W, ap[pa + 2]));
                c20 = a.lanewise(VectorOperators.FMA, b0, c20);
                c21 = a.lanewise(VectorOperators.FMA, b1, c21);
                c22 = a.lanewise(VectorOperators.FMA, b2, c22);
                c23 = a.lanewise(VectorOperators.FMA, b3, c23);
                a = (FloatVector) EXACT.cast(FloatVector.broadcast(W, ap[pa + 3]));
                c30 = a.lanewise(VectorOperators.FMA, b0, c30);
                c31 = a.lanewise(VectorOperators.FMA, b1, c31);
                c32 = a.lanewise(VectorOperators.FMA, b2, c32);
                c33 = a.lanewise(VectorOperators.FMA, b3, c33);
            }
            byte[] bytes = TILE.get();
            ((FloatVector) EXACT.cast(c00)).intoByteArray(bytes, 4 * (0), NATIVE);
            ((FloatVector) EXACT.cast(c01)).intoByteArray(bytes, 4 * (L), NATIVE);
            ((FloatVector) EXACT.cast(c02)).intoByteArray(bytes, 4 * (2 * L), NATIVE);
            ((FloatVector) EXACT.cast(c03)).intoByteArray(bytes, 4 * (3 * L), NATIVE);
            ((FloatVector) EXACT.cast(c10)).intoByteArray(bytes, 4 * (NR), NATIVE);
            ((FloatVector) EXACT.cast(c11)).intoByteArray(bytes, 4 * (NR + L), NATIVE);
            ((FloatVector) EXACT.cast(c12)).intoByteArray(bytes, 4 * (NR + 2 * L), NATIVE);
            ((FloatVector) EXACT.cast(c13)).intoByteArray(bytes, 4 * (NR + 3 * L), NATIVE);
            ((FloatVector) EXACT.cast(c20)).intoByteArray(bytes, 4 * (2 * NR), NATIVE);
            ((FloatVector) EXACT.cast(c21)).intoByteArray(bytes, 4 * (2 * NR + L), NATIVE);
            ((FloatVector) EXACT.cast(c22)).intoByteArray(bytes, 4 * (2 * NR + 2 * L), NATIVE);
            ((FloatVector) EXACT.cast(c23)).intoByteArray(bytes, 4 * (2 * NR + 3 * L), NATIVE);
            ((FloatVector) EXACT.cast(c30)).intoByteArray(bytes, 4 * (3 * NR), NATIVE);
            ((FloatVector) EXACT.cast(c31)).intoByteArray(bytes, 4 * (3 * NR + L), NATIVE);
            ((FloatVector) EXACT.cast(c32)).intoByteArray(bytes, 4 * (3 * NR + 2 * L), NATIVE);
            ((FloatVector) EXACT.cast(c33)).intoByteArray(bytes, 4 * (3 * NR + 3 * L), NATIVE);
            VectorSgemm.storeTileBytes(bytes, NR, alpha, beta, c, ci, ldc, rows, cols);
        }
    }
}
