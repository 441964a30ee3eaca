package org.distill4j.kernels.cpu;

/**
 * The packing buffers of the thread that calls a GEMM, kept between calls so a training loop does
 * not allocate (and zero) megabytes per matrix product. Pool workers read them during the call;
 * they are bounded by the block sizes of the drivers, not by the problem size.
 */
final class GemmWorkspace {
    private static final ThreadLocal<GemmWorkspace> LOCAL = ThreadLocal.withInitial(GemmWorkspace::new);

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

    float[] floatB(int length) {
        if (floatB.length < length) {
            floatB = new float[length];
        }
        return floatB;
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

    double[] doubleB(int length) {
        if (doubleB.length < length) {
            doubleB = new double[length];
        }
        return doubleB;
    }
}
