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
}
