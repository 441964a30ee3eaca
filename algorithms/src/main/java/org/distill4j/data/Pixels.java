package org.distill4j.data;

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

    /** {@code dst[dstPos + i] = (src[srcPos + i] & 0xFF) / 255} for {@code i < n}. */
    static void toUnit(byte[] src, int srcPos, float[] dst, int dstPos, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstPos + i] = UNIT[src[srcPos + i] & 0xFF];
        }
    }
}
