package org.distill4j.kernels.cpu;

/**
 * The packing buffers of the thread that calls a GEMM, kept between calls so a training loop does
 * not allocate (and zero) megabytes per matrix product. Pool workers read them during the call;
 * they are bounded by the block sizes of the drivers, not by the problem size.
 *
 * <p><b>Packed B on cache-line boundaries.</b> The micro-kernels load packed B a whole vector at a
 * time, and a vector load that straddles two 64-byte lines costs two. A Java array's elements start
 * 16 bytes past its header, so at 512 bits every such load straddled, and at 256 bits every second
 * one. The B buffers are therefore made large enough for G1 to place them as humongous objects,
 * which start on a region boundary, and the drivers pack B from {@link #floatBBase()} (or
 * {@link #doubleBBase()}) elements in, the first element on a 64-byte boundary; each sliver of B
 * then starts on one too, as its length is a multiple of the vector. Measured on an Intel Xeon
 * (Sapphire Rapids class, 2 threads): SGEMM on ConvNet-3's shapes 5-20% faster at 256 and 512 bits,
 * a 4 x 4-vector tile loop alone 15-25% (docs/results/training/real-loop.md, fourteenth session).
 * Under another collector the buffers land where they land: the same results, without the gain.
 * Where they start changes no bit of a product, only how fast it comes.
 */
final class GemmWorkspace {
    private static final ThreadLocal<GemmWorkspace> LOCAL = ThreadLocal.withInitial(GemmWorkspace::new);
    private static final int FLOAT_B_BASE = LineAlignment.firstAlignedElement(Float.BYTES);
    private static final int DOUBLE_B_BASE = LineAlignment.firstAlignedElement(Double.BYTES);

    private float[] floatA = new float[0];
    private float[] floatB = new float[0];
    private float[] floatT = new float[0];
    private double[] doubleA = new double[0];
    private double[] doubleB = new double[0];

    private GemmWorkspace() {
    }

    static GemmWorkspace local() {
        return LOCAL.get();
    }

    float[] floatA(int length) {
        if (floatA.length < length) {
            floatA = new float[length];
        }
        return floatA;
    }

    /** At least {@code floatBBase() + length} floats; pack from {@link #floatBBase()}. */
    float[] floatB(int length) {
        if (floatB.length < FLOAT_B_BASE + length) {
            floatB = new float[Math.max(FLOAT_B_BASE + length, LineAlignment.HUMONGOUS_BYTES / Float.BYTES)];
        }
        return floatB;
    }

    /** Where packed B starts in {@link #floatB}: its first element on a 64-byte boundary. */
    static int floatBBase() {
        return FLOAT_B_BASE;
    }

    /**
     * The transposed result of a narrow product ({@link Gemm#narrow}): {@link Gemm#NARROW_ROWS} x n
     * floats at most, and a product is narrow only while n is under three tile widths.
     */
    float[] floatT(int length) {
        if (floatT.length < length) {
            floatT = new float[length];
        }
        return floatT;
    }

    double[] doubleA(int length) {
        if (doubleA.length < length) {
            doubleA = new double[length];
        }
        return doubleA;
    }

    /** At least {@code doubleBBase() + length} doubles; pack from {@link #doubleBBase()}. */
    double[] doubleB(int length) {
        if (doubleB.length < DOUBLE_B_BASE + length) {
            doubleB = new double[Math.max(DOUBLE_B_BASE + length, LineAlignment.HUMONGOUS_BYTES / Double.BYTES)];
        }
        return doubleB;
    }

    /** Where packed B starts in {@link #doubleB}: its first element on a 64-byte boundary. */
    static int doubleBBase() {
        return DOUBLE_B_BASE;
    }
}
