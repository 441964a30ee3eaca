package org.distill4j.data;

import org.distill4j.tensor.Tensor;

/** Unsigned 8-bit pixels to floats in [0, 1], the scale every reader of byte images uses. */
final class Pixels {
    /** Looked up rather than divided: this is the inner loop of every loader. */
    private static final float[] UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            UNIT[i] = i / 255f;
        }
    }

    private Pixels() {
    }

    /** {@code (b & 0xFF) / 255} as a float. */
    static float unit(byte b) {
        return UNIT[b & 0xFF];
    }

    /** {@code dst[dstPos + i] = (src[srcPos + i] & 0xFF) / 255} for {@code i < n}. */
    static void toUnit(byte[] src, int srcPos, float[] dst, int dstPos, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstPos + i] = UNIT[src[srcPos + i] & 0xFF];
        }
    }

    /**
     * A tensor over {@code pixels}, which the caller hands over and must not touch again. On the
     * CPU backend the array is wrapped, not copied: a loaded data set is the largest array a
     * program holds (188 MB for Fashion-MNIST), and a second copy would double the peak.
     */
    static Tensor handOver(float[] pixels, int... shape) {
        return Tensor.adopt(pixels, shape);
    }
}
