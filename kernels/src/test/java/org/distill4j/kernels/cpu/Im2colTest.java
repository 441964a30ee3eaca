package org.distill4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.distill4j.kernels.ConvGeometry;
import org.junit.jupiter.api.Test;

/**
 * {@link Im2col} against its definition, {@code col[(c*R + r)*S + s][p*OW + q] =
 * x[c, p*strideH - padH + r, q*strideW - padW + s]} (zero in the padding), and the fold as the
 * sum of the column entries that read each pixel; including paddings so wide that a kernel
 * column sees only padding across a whole output row (a 1-wide image, a 5-wide kernel, padding
 * 2), where the loops once indexed outside the image and the matrix.
 */
class Im2colTest {
    private static ConvGeometry[] geometries() {
        return new ConvGeometry[]{
            new ConvGeometry(2, 3, 8, 1, 4, 5, 5, 1, 1, 2, 2),
            new ConvGeometry(2, 2, 3, 1, 4, 3, 2, 1, 1, 0, 3),
            new ConvGeometry(1, 2, 2, 2, 4, 5, 5, 2, 1, 2, 2),
            new ConvGeometry(2, 2, 6, 5, 3, 3, 3, 1, 2, 1, 2),
            new ConvGeometry(2, 3, 14, 14, 4, 3, 3, 1, 1, 1, 1),
            new ConvGeometry(1, 2, 7, 9, 2, 5, 3, 2, 3, 2, 1),
        };
    }

    /** The index in x of the pixel that entry (row, column) of image n's unfolding reads, or -1 in the padding. */
    private static int pixel(ConvGeometry g, int n, int row, int column) {
        int c = row / (g.r() * g.s());
        int r = row / g.s() % g.r();
        int s = row % g.s();
        int p = column / g.outW();
        int q = column % g.outW();
        int ih = p * g.strideH() - g.padH() + r;
        int iw = q * g.strideW() - g.padW() + s;
        boolean inside = ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w();
        return inside ? ((n * g.c() + c) * g.h() + ih) * g.w() + iw : -1;
    }

    @Test
    void unfoldingAndFoldMatchTheirDefinitions() {
        SplittableRandom rng = new SplittableRandom(5);
        for (ConvGeometry g : geometries()) {
            int rows = g.c() * g.r() * g.s();
            int columns = g.outH() * g.outW();
            int image = g.c() * g.h() * g.w();
            double[] x = new double[g.n() * image];
            float[] xf = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                xf[i] = (float) rng.nextGaussian();
                x[i] = xf[i];
            }
            for (int n = 0; n < g.n(); n++) {
                // Exactly as long as the unfolding: a write past it would throw.
                float[] colF = new float[rows * columns];
                double[] colD = new double[rows * columns];
                java.util.Arrays.fill(colF, Float.NaN);
                java.util.Arrays.fill(colD, Double.NaN);
                Im2col.im2col(g, xf, n * image, colF);
                Im2col.im2col(g, x, n * image, colD);
                for (int row = 0; row < rows; row++) {
                    for (int column = 0; column < columns; column++) {
                        int at = pixel(g, n, row, column);
                        double expected = at < 0 ? 0 : x[at];
                        assertEquals(expected, colF[row * columns + column], 0, g + " float at " + row + "," + column);
                        assertEquals(expected, colD[row * columns + column], 0, g + " double at " + row + "," + column);
                    }
                }
                // The fold: each pixel's sum of the entries that read it (small integers: exact in any order).
                double[] gcol = new double[rows * columns];
                float[] gcolF = new float[gcol.length];
                for (int i = 0; i < gcol.length; i++) {
                    gcolF[i] = rng.nextInt(9) - 4;
                    gcol[i] = gcolF[i];
                }
                double[] expected = new double[g.n() * image];
                for (int row = 0; row < rows; row++) {
                    for (int column = 0; column < columns; column++) {
                        int at = pixel(g, n, row, column);
                        if (at >= 0) {
                            expected[at] += gcol[row * columns + column];
                        }
                    }
                }
                float[] gxF = new float[g.n() * image];
                double[] gxD = new double[g.n() * image];
                Im2col.col2im(g, gcolF, gxF, n * image);
                Im2col.col2im(g, gcol, gxD, n * image);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], gxF[i], 0, g + " fold, float, at " + i);
                    assertEquals(expected[i], gxD[i], 0, g + " fold, double, at " + i);
                }
            }
        }
    }

    /**
     * The same-width fast paths (one copy or one added run per kernel tap) against the row-by-row
     * loops, bit for bit, in float and double: ConvNet-3's layers, a 5 x 5 kernel with padding 2,
     * a 1 x 1 kernel, a 3-wide image under a 3 x 3 kernel, a kernel taller than the image with its
     * padding; data with -0, NaN, infinities and values whose sums cancel to zero (the fast fold adds
     * +0 where the loops add nothing, which must change no bit; a NaN matches any NaN, as Java leaves
     * the sign and payload of an arithmetic NaN open).
     */
    @Test
    void sameWidthPathsAreTheRowLoopsBitForBit() {
        ConvGeometry[] same = {
            new ConvGeometry(2, 4, 28, 28, 4, 3, 3, 1, 1, 1, 1),
            new ConvGeometry(2, 4, 14, 14, 4, 3, 3, 1, 1, 1, 1),
            new ConvGeometry(2, 4, 7, 7, 4, 3, 3, 1, 1, 1, 1),
            new ConvGeometry(1, 3, 9, 11, 2, 5, 5, 1, 1, 2, 2),
            new ConvGeometry(1, 3, 5, 6, 2, 1, 1, 1, 1, 0, 0),
            new ConvGeometry(1, 2, 4, 3, 2, 3, 3, 1, 1, 1, 1),
            new ConvGeometry(1, 2, 2, 5, 2, 5, 3, 1, 1, 2, 1),
        };
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1, -1, 0.5, -0.5};
        SplittableRandom rng = new SplittableRandom(23);
        for (ConvGeometry g : same) {
            org.junit.jupiter.api.Assertions.assertTrue(Im2col.sameWidth(g), g.toString());
            int image = g.c() * g.h() * g.w();
            int size = g.c() * g.r() * g.s() * g.outH() * g.outW();
            double[] x = new double[g.n() * image];
            double[] col = new double[size];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextInt(3) == 0 ? special[rng.nextInt(special.length)] : rng.nextGaussian();
            }
            for (int i = 0; i < col.length; i++) {
                col[i] = rng.nextInt(3) == 0 ? special[rng.nextInt(special.length)] : rng.nextInt(5) - 2;
            }
            float[] xf = new float[x.length];
            float[] colF = new float[col.length];
            for (int i = 0; i < x.length; i++) {
                xf[i] = (float) x[i];
            }
            for (int i = 0; i < col.length; i++) {
                colF[i] = (float) col[i];
            }
            for (int n = 0; n < g.n(); n++) {
                float[] fastF = new float[size];
                float[] rowsF = new float[size];
                Im2col.im2col(g, xf, n * image, fastF);
                Im2col.im2colRows(g, xf, n * image, rowsF);
                assertBits(rowsF, fastF, g + " im2col float");
                double[] fastD = new double[size];
                double[] rowsD = new double[size];
                Im2col.im2col(g, x, n * image, fastD);
                Im2col.im2colRows(g, x, n * image, rowsD);
                assertBits(rowsD, fastD, g + " im2col double");

                float[] gxFast = new float[g.n() * image];
                float[] gxRows = new float[g.n() * image];
                java.util.Arrays.fill(gxFast, 7f);
                java.util.Arrays.fill(gxRows, 7f);
                Im2col.col2im(g, colF.clone(), gxFast, n * image);
                Im2col.col2imRows(g, colF.clone(), gxRows, n * image);
                assertBits(gxRows, gxFast, g + " col2im float");
                double[] gdFast = new double[g.n() * image];
                double[] gdRows = new double[g.n() * image];
                Im2col.col2im(g, col.clone(), gdFast, n * image);
                Im2col.col2imRows(g, col.clone(), gdRows, n * image);
                assertBits(gdRows, gdFast, g + " col2im double");
            }
        }
    }

    /** Bit for bit, except that a NaN matches any NaN: Java leaves the payload and sign of an arithmetic NaN open. */
    private static void assertBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), what + " at " + i);
        }
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(actual[i]), what + " at " + i);
        }
    }
}
