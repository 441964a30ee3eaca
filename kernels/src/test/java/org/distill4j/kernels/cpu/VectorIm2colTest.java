package org.distill4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.distill4j.kernels.ConvGeometry;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorIm2col} against {@link Im2col}'s scalar loops, bit for bit: widths on both sides of
 * one and two vectors, the ConvNet-3 layers (28, 14 and 7 wide, 3 x 3, padding 1), paddings wider
 * than the kernel, vertical strides, negative zeros in the data; the column matrix both exactly
 * as long as the unfolding (its last store masked) and longer; and the fold must leave every
 * element outside its own image as it was.
 */
class VectorIm2colTest {
    private static final int LANES = VectorWidth.F32.length();

    private static ConvGeometry[] geometries() {
        java.util.List<ConvGeometry> out = new java.util.ArrayList<>();
        int[] widths = {1, 2, 5, 7, 13, 14, 15, LANES - 1, LANES, LANES + 1, 2 * LANES + 3, 28, 33};
        int[][] kernels = {{1, 0}, {3, 0}, {3, 1}, {5, 2}, {3, 2}, {2, 3}, {5, 1}};
        for (int w : widths) {
            for (int[] kp : kernels) {
                int s = kp[0];
                int pad = kp[1];
                if (w + 2 * pad < s) {
                    continue;
                }
                int h = 1 + (w * 7) % 9;
                if (h + 2 * pad < s) {
                    h = s;
                }
                for (int strideH = 1; strideH <= 2; strideH++) {
                    out.add(new ConvGeometry(2, 3, h, w, 4, Math.min(s, h + 2 * pad), s, strideH, 1, pad, pad));
                }
            }
        }
        out.add(new ConvGeometry(2, 8, 28, 28, 16, 3, 3, 1, 1, 1, 1));
        out.add(new ConvGeometry(2, 16, 14, 14, 16, 3, 3, 1, 1, 1, 1));
        out.add(new ConvGeometry(2, 16, 7, 7, 16, 3, 3, 1, 1, 1, 1));
        return out.toArray(new ConvGeometry[0]);
    }

    private static float[] data(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = rng.nextInt(10);
            a[i] = kind == 0 ? -0f : (float) rng.nextGaussian();
        }
        return a;
    }

    @Test
    void unfoldingIsTheScalarLoopsBitForBit() {
        SplittableRandom rng = new SplittableRandom(7);
        int checked = 0;
        for (ConvGeometry g : geometries()) {
            int image = g.c() * g.h() * g.w();
            int size = g.c() * g.r() * g.s() * g.outH() * g.outW();
            float[] x = data(rng, g.n() * image);
            for (int n = 0; n < g.n(); n++) {
                for (int extra : new int[]{0, 3 * LANES}) {
                    float[] expected = data(rng, size + extra);
                    float[] actual = data(rng, size + extra);
                    try {
                        Im2col.im2colLoops(g, x, n * image, expected);
                    } catch (RuntimeException e) {
                        throw new AssertionError(g.toString(), e);
                    }
                    VectorIm2col.im2col(g, x, n * image, actual);
                    for (int i = 0; i < size; i++) {
                        assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                                g + " image " + n + " extra " + extra + " at " + i);
                    }
                    checked++;
                }
            }
        }
        assertEquals(true, checked > 100, "cases: " + checked);
    }

    @Test
    void foldIsTheScalarLoopsBitForBitAndStaysInItsImage() {
        SplittableRandom rng = new SplittableRandom(11);
        for (ConvGeometry g : geometries()) {
            int image = g.c() * g.h() * g.w();
            int size = g.c() * g.r() * g.s() * g.outH() * g.outW();
            for (int n = 0; n < g.n(); n++) {
                for (int extra : new int[]{0, 3 * LANES}) {
                    float[] col = data(rng, size + extra);
                    float[] expected = data(rng, g.n() * image);
                    float[] actual = expected.clone();
                    Im2col.col2imLoops(g, col, expected, n * image);
                    VectorIm2col.col2im(g, col, actual, n * image);
                    int[] e = new int[expected.length];
                    int[] a = new int[actual.length];
                    for (int i = 0; i < e.length; i++) {
                        e[i] = Float.floatToRawIntBits(expected[i]);
                        a[i] = Float.floatToRawIntBits(actual[i]);
                    }
                    assertArrayEquals(e, a, g + " image " + n + " extra " + extra);
                }
            }
        }
    }
}
