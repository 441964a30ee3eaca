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
        if (sameWidth(g)) {
            im2colSameWidth(g, x, xOff, col);
        } else {
            im2colRows(g, x, xOff, col);
        }
    }

    /** {@link #im2col} output row by output row: any geometry. */
    static void im2colRows(ConvGeometry g, float[] x, int xOff, float[] col) {
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
        if (sameWidth(g)) {
            im2colSameWidth(g, x, xOff, col);
        } else {
            im2colRows(g, x, xOff, col);
        }
    }

    /** {@link #im2col} output row by output row: any geometry. */
    static void im2colRows(ConvGeometry g, double[] x, int xOff, double[] col) {
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

    /**
     * Overwrites image {@code gx[gxOff ..]} with the sum of the column entries that read each
     * pixel. May overwrite the entries of {@code col} that read the padding (they are zeroed).
     */
    static void col2im(ConvGeometry g, float[] col, float[] gx, int gxOff) {
        if (sameWidth(g)) {
            col2imSameWidth(g, col, gx, gxOff);
        } else {
            col2imRows(g, col, gx, gxOff);
        }
    }

    /** {@link #col2im} output row by output row: any geometry. */
    static void col2imRows(ConvGeometry g, float[] col, float[] gx, int gxOff) {
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
        if (sameWidth(g)) {
            col2imSameWidth(g, col, gx, gxOff);
        } else {
            col2imRows(g, col, gx, gxOff);
        }
    }

    /** {@link #col2im} output row by output row: any geometry. */
    static void col2imRows(ConvGeometry g, double[] col, double[] gx, int gxOff) {
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
     * Stride 1 both ways and an output as wide as the input ("same" padding: 3 x 3 with padding 1,
     * every ConvNet-3 layer): then output (p, q) of kernel tap (r, s) reads input (p - padH + r,
     * q - padW + s), one fixed offset from its place in the column row, so all of a tap's rows
     * inside the image are one contiguous run of the input. One copy per tap instead of one per
     * output row (an im2col of a 14 x 14 layer was about 0.4 ns an element in 14-element pieces,
     * 13% of a ConvNet-3 step counting forward and weight gradient), then the places that read the
     * padding set to zero: the same matrix.
     */
    static boolean sameWidth(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.outW() == g.w();
    }

    private static void im2colSameWidth(ConvGeometry g, float[] x, int xOff, float[] col) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.h();
        int w = g.w();
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < g.r(); r++) {
                // Output rows whose input row is inside the image.
                int p0 = Math.min(oh, Math.max(0, g.padH() - r));
                int p1 = Math.max(p0, Math.min(oh, h + g.padH() - r));
                for (int s = 0; s < g.s(); s++) {
                    int row = ((c * g.r() + r) * g.s() + s) * oh * ow;
                    int q0 = Math.min(ow, Math.max(0, g.padW() - s));
                    int q1 = Math.max(q0, Math.min(ow, w + g.padW() - s));
                    if (q1 > q0 && p1 > p0) {
                        int start = p0 * ow + q0;
                        int src = xOff + (c * h + p0 - g.padH() + r) * w + q0 - g.padW() + s;
                        System.arraycopy(x, src, col, row + start, (p1 - 1) * ow + q1 - start);
                    }
                    Arrays.fill(col, row, row + p0 * ow, 0f);
                    Arrays.fill(col, row + p1 * ow, row + oh * ow, 0f);
                    zeroColumns(col, row, ow, p0, p1, q0, q1);
                }
            }
        }
    }

    /**
     * {@link #col2im} for {@link #sameWidth} layers: the entries that read the padding are zeroed
     * in {@code col}, then each tap's rows are added to the image as one run. The zeroed entries
     * add +0 to pixels of the neighbouring columns, which changes nothing: a sum that starts at +0
     * is never -0, and x + 0 is x for every other x. So each pixel gets the same additions in the
     * same order as in the row-by-row loops.
     */
    private static void col2imSameWidth(ConvGeometry g, float[] col, float[] gx, int gxOff) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.h();
        int w = g.w();
        Arrays.fill(gx, gxOff, gxOff + g.c() * h * w, 0f);
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < g.r(); r++) {
                int p0 = Math.min(oh, Math.max(0, g.padH() - r));
                int p1 = Math.max(p0, Math.min(oh, h + g.padH() - r));
                for (int s = 0; s < g.s(); s++) {
                    int row = ((c * g.r() + r) * g.s() + s) * oh * ow;
                    int q0 = Math.min(ow, Math.max(0, g.padW() - s));
                    int q1 = Math.max(q0, Math.min(ow, w + g.padW() - s));
                    if (q1 <= q0 || p1 <= p0) {
                        continue;
                    }
                    zeroColumns(col, row, ow, p0, p1, q0, q1);
                    int start = p0 * ow + q0;
                    int len = (p1 - 1) * ow + q1 - start;
                    int from = row + start;
                    int to = gxOff + (c * h + p0 - g.padH() + r) * w + q0 - g.padW() + s;
                    for (int i = 0; i < len; i++) {
                        gx[to + i] += col[from + i];
                    }
                }
            }
        }
    }

    private static void im2colSameWidth(ConvGeometry g, double[] x, int xOff, double[] col) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.h();
        int w = g.w();
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < g.r(); r++) {
                // Output rows whose input row is inside the image.
                int p0 = Math.min(oh, Math.max(0, g.padH() - r));
                int p1 = Math.max(p0, Math.min(oh, h + g.padH() - r));
                for (int s = 0; s < g.s(); s++) {
                    int row = ((c * g.r() + r) * g.s() + s) * oh * ow;
                    int q0 = Math.min(ow, Math.max(0, g.padW() - s));
                    int q1 = Math.max(q0, Math.min(ow, w + g.padW() - s));
                    if (q1 > q0 && p1 > p0) {
                        int start = p0 * ow + q0;
                        int src = xOff + (c * h + p0 - g.padH() + r) * w + q0 - g.padW() + s;
                        System.arraycopy(x, src, col, row + start, (p1 - 1) * ow + q1 - start);
                    }
                    Arrays.fill(col, row, row + p0 * ow, 0.0);
                    Arrays.fill(col, row + p1 * ow, row + oh * ow, 0.0);
                    zeroColumns(col, row, ow, p0, p1, q0, q1);
                }
            }
        }
    }

    /**
     * {@link #col2im} for {@link #sameWidth} layers: the entries that read the padding are zeroed
     * in {@code col}, then each tap's rows are added to the image as one run. The zeroed entries
     * add +0 to pixels of the neighbouring columns, which changes nothing: a sum that starts at +0
     * is never -0, and x + 0 is x for every other x. So each pixel gets the same additions in the
     * same order as in the row-by-row loops.
     */
    private static void col2imSameWidth(ConvGeometry g, double[] col, double[] gx, int gxOff) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.h();
        int w = g.w();
        Arrays.fill(gx, gxOff, gxOff + g.c() * h * w, 0.0);
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < g.r(); r++) {
                int p0 = Math.min(oh, Math.max(0, g.padH() - r));
                int p1 = Math.max(p0, Math.min(oh, h + g.padH() - r));
                for (int s = 0; s < g.s(); s++) {
                    int row = ((c * g.r() + r) * g.s() + s) * oh * ow;
                    int q0 = Math.min(ow, Math.max(0, g.padW() - s));
                    int q1 = Math.max(q0, Math.min(ow, w + g.padW() - s));
                    if (q1 <= q0 || p1 <= p0) {
                        continue;
                    }
                    zeroColumns(col, row, ow, p0, p1, q0, q1);
                    int start = p0 * ow + q0;
                    int len = (p1 - 1) * ow + q1 - start;
                    int from = row + start;
                    int to = gxOff + (c * h + p0 - g.padH() + r) * w + q0 - g.padW() + s;
                    for (int i = 0; i < len; i++) {
                        gx[to + i] += col[from + i];
                    }
                }
            }
        }
    }

    /**
     * Zeros columns {@code [0, q0)} and {@code [q1, ow)} of rows {@code [p0, p1)} of the
     * {@code ow}-wide block at {@code row}: column by column, since a 3 x 3 layer with padding 1 has
     * one such column or none per tap (a call per row cost 4% of a ConvNet-3 step).
     */
    private static void zeroColumns(float[] col, int row, int ow, int p0, int p1, int q0, int q1) {
        for (int q = 0; q < q0; q++) {
            for (int p = p0; p < p1; p++) {
                col[row + p * ow + q] = 0f;
            }
        }
        for (int q = q1; q < ow; q++) {
            for (int p = p0; p < p1; p++) {
                col[row + p * ow + q] = 0f;
            }
        }
    }

    private static void zeroColumns(double[] col, int row, int ow, int p0, int p1, int q0, int q1) {
        for (int q = 0; q < q0; q++) {
            for (int p = p0; p < p1; p++) {
                col[row + p * ow + q] = 0.0;
            }
        }
        for (int q = q1; q < ow; q++) {
            for (int p = p0; p < p1; p++) {
                col[row + p * ow + q] = 0.0;
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
