package org.distill4j.kernels.cpu;

import java.util.Arrays;
import org.distill4j.kernels.ConvGeometry;

/**
 * Unfolds one image into the column matrix a convolution multiplies by its weights, and folds a
 * column-matrix gradient back into an image: {@code col[(c*R + r)*S + s][p*OW + q] =
 * x[c, p*strideH - padH + r, q*strideW - padW + s]}, zero where that falls in the padding.
 * Stride-1 rows are copied with {@link System#arraycopy}; the padded border is filled, never tested
 * per element.
 */
final class Im2col {
    private Im2col() {
    }

    /**
     * First output column {@code q} whose input column {@code q*sw - pw + s} is inside the image
     * (callers clamp it to {@code ow}: with padding wider than the image every column may be in it).
     */
    private static int firstQ(int s, int sw, int pw) {
        int need = pw - s;
        return need <= 0 ? 0 : (need + sw - 1) / sw;
    }

    /** One past the last output column whose input column is inside an image of width {@code w}. */
    private static int endQ(int s, int sw, int pw, int w, int ow) {
        int last = w - 1 + pw - s;
        return last < 0 ? 0 : Math.min(ow, last / sw + 1);
    }

    static void im2col(ConvGeometry g, float[] x, int xOff, float[] col) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.h();
        int w = g.w();
        int sw = g.strideW();
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) {
                    int row = ((c * g.r() + r) * g.s() + s) * oh * ow;
                    int q0 = Math.min(ow, firstQ(s, sw, g.padW()));
                    int q1 = Math.max(q0, endQ(s, sw, g.padW(), w, ow));
                    for (int p = 0; p < oh; p++) {
                        int ih = p * g.strideH() - g.padH() + r;
                        int dst = row + p * ow;
                        if (ih < 0 || ih >= h) {
                            zero(col, dst, dst + ow);
                            continue;
                        }
                        zero(col, dst, dst + q0);
                        int src = xOff + (c * h + ih) * w + q0 * sw - g.padW() + s;
                        if (sw == 1) {
                            if (q1 > q0) {
                                System.arraycopy(x, src, col, dst + q0, q1 - q0);
                            }
                        } else {
                            for (int q = q0; q < q1; q++) {
                                col[dst + q] = x[src + (q - q0) * sw];
                            }
                        }
                        zero(col, dst + q1, dst + ow);
                    }
                }
            }
        }
    }

    static void im2col(ConvGeometry g, double[] x, int xOff, double[] col) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.h();
        int w = g.w();
        int sw = g.strideW();
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) {
                    int row = ((c * g.r() + r) * g.s() + s) * oh * ow;
                    int q0 = Math.min(ow, firstQ(s, sw, g.padW()));
                    int q1 = Math.max(q0, endQ(s, sw, g.padW(), w, ow));
                    for (int p = 0; p < oh; p++) {
                        int ih = p * g.strideH() - g.padH() + r;
                        int dst = row + p * ow;
                        if (ih < 0 || ih >= h) {
                            zero(col, dst, dst + ow);
                            continue;
                        }
                        zero(col, dst, dst + q0);
                        int src = xOff + (c * h + ih) * w + q0 * sw - g.padW() + s;
                        if (sw == 1) {
                            if (q1 > q0) {
                                System.arraycopy(x, src, col, dst + q0, q1 - q0);
                            }
                        } else {
                            for (int q = q0; q < q1; q++) {
                                col[dst + q] = x[src + (q - q0) * sw];
                            }
                        }
                        zero(col, dst + q1, dst + ow);
                    }
                }
            }
        }
    }

    /** Overwrites image {@code gx[gxOff ..]} with the sum of the column entries that read each pixel. */
    static void col2im(ConvGeometry g, float[] col, float[] gx, int gxOff) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.h();
        int w = g.w();
        int sw = g.strideW();
        Arrays.fill(gx, gxOff, gxOff + g.c() * h * w, 0f);
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) {
                    int row = ((c * g.r() + r) * g.s() + s) * oh * ow;
                    int q0 = Math.min(ow, firstQ(s, sw, g.padW()));
                    int q1 = Math.max(q0, endQ(s, sw, g.padW(), w, ow));
                    for (int p = 0; p < oh; p++) {
                        int ih = p * g.strideH() - g.padH() + r;
                        if (ih < 0 || ih >= h) {
                            continue;
                        }
                        int src = row + p * ow;
                        int dst = gxOff + (c * h + ih) * w + q0 * sw - g.padW() + s;
                        if (sw == 1) {
                            for (int q = q0; q < q1; q++) {
                                gx[dst + q - q0] += col[src + q];
                            }
                        } else {
                            for (int q = q0; q < q1; q++) {
                                gx[dst + (q - q0) * sw] += col[src + q];
                            }
                        }
                    }
                }
            }
        }
    }

    static void col2im(ConvGeometry g, double[] col, double[] gx, int gxOff) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.h();
        int w = g.w();
        int sw = g.strideW();
        Arrays.fill(gx, gxOff, gxOff + g.c() * h * w, 0.0);
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) {
                    int row = ((c * g.r() + r) * g.s() + s) * oh * ow;
                    int q0 = Math.min(ow, firstQ(s, sw, g.padW()));
                    int q1 = Math.max(q0, endQ(s, sw, g.padW(), w, ow));
                    for (int p = 0; p < oh; p++) {
                        int ih = p * g.strideH() - g.padH() + r;
                        if (ih < 0 || ih >= h) {
                            continue;
                        }
                        int src = row + p * ow;
                        int dst = gxOff + (c * h + ih) * w + q0 * sw - g.padW() + s;
                        if (sw == 1) {
                            for (int q = q0; q < q1; q++) {
                                gx[dst + q - q0] += col[src + q];
                            }
                        } else {
                            for (int q = q0; q < q1; q++) {
                                gx[dst + (q - q0) * sw] += col[src + q];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Zeros {@code col[from, to)}. The padding ranges are a few elements long; a plain loop costs
     * less there than the call and set-up of {@code Arrays.fill} (5% of a ConvNet step).
     */
    private static void zero(float[] col, int from, int to) {
        for (int i = from; i < to; i++) {
            col[i] = 0f;
        }
    }

    private static void zero(double[] col, int from, int to) {
        for (int i = from; i < to; i++) {
            col[i] = 0.0;
        }
    }
}
