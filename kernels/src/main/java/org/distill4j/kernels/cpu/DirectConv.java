package org.distill4j.kernels.cpu;

import org.distill4j.kernels.ConvGeometry;

/**
 * The driver of the direct stride-1 F32 convolution ({@link VectorConv}): per image, pad, run the
 * kernel on the padded grid, and crop. Images run in parallel with per-thread {@link Scratch}
 * planes; the weight gradient adds images in the same fixed groups as {@link Conv}.
 *
 * <p>The input gradient is itself a stride-1 convolution: of the output gradient, padded by
 * {@code R - 1 - padH} and {@code S - 1 - padW}, with the weights flipped in both spatial axes and
 * their two channel axes swapped.
 */
final class DirectConv {
    private DirectConv() {
    }

    /** Stride 1 and padding below the kernel size (so the input gradient is a convolution too). */
    static boolean supports(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.padH() < g.r() && g.padW() < g.s();
    }

    static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff) {
        forward(g, x, xOff, w, wOff, null, 0, y, yOff);
    }

    /** {@link #forward} plus {@code b[bOff + k]} on every output of filter k ({@code b} null: no bias). */
    static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff, float[] y, int yOff) {
        run(g.n(), g.c(), g.h(), g.w(), g.padH(), g.padW(), g.k(), g.r(), g.s(), x, xOff, w, wOff, b, bOff, y, yOff);
    }

    static void backwardInput(ConvGeometry g, float[] gy, int gyOff, float[] w, int wOff, float[] gx, int gxOff) {
        int k = g.k();
        int c = g.c();
        int r = g.r();
        int s = g.s();
        // flipped[c, k, r', s'] = w[k, c, R-1-r', S-1-s']
        float[] flipped = new float[g.weightSize()];
        for (int kk = 0; kk < k; kk++) {
            for (int ch = 0; ch < c; ch++) {
                for (int dr = 0; dr < r; dr++) {
                    for (int ds = 0; ds < s; ds++) {
                        flipped[((ch * k + kk) * r + r - 1 - dr) * s + s - 1 - ds] = w[wOff + ((kk * c + ch) * r + dr) * s + ds];
                    }
                }
            }
        }
        run(g.n(), k, g.outH(), g.outW(), r - 1 - g.padH(), s - 1 - g.padW(), c, r, s, gy, gyOff, flipped, 0, null, 0,
                gx, gxOff);
    }

    /**
     * Stride-1 convolution of {@code n} images {@code [c, h, w]} padded by (padH, padW) with
     * {@code [k, c, r, s]} weights, plus the bias {@code b[bOff + k]} when {@code b} is not null.
     *
     * <p>The rows of the padded planes share their column padding: a row is {@code w + padW} wide,
     * {@code padW} zeros and then the image row, and the zeros at the start of the next row serve as
     * this row's right padding (an output reading past the end of its row reads them). The grid
     * of outputs is then {@code w + padW} wide, not {@code w + 2 padW}: it computes {@code s - 1 - padW}
     * dropped columns per row instead of {@code s - 1}, none for the input gradient of an unpadded
     * layer (padded by {@code s - 1}): LeNet conv2's input gradient computes 14 outputs per row on a
     * 14-wide grid instead of an 18-wide one, conv1 (padding 2) 28 on 30 instead of 32. Every output
     * sums the same products in the same order as on the wider grid: the results are bit for bit the same.
     */
    private static void run(int n, int c, int h, int w, int padH, int padW, int k, int r, int s,
                            float[] x, int xOff, float[] wt, int wOff, float[] b, int bOff, float[] y, int yOff) {
        int hp = h + 2 * padH;
        int wp = w + padW;
        int oh = hp - r + 1;
        int ow = w + 2 * padW - s + 1;
        int plane = VectorConv.paddedPlane(hp, wp, s);
        int grid = VectorConv.gridLength(oh, wp);
        int[] tap = VectorConv.tapOffsets(c, r, s, plane, wp);
        if (VectorConv.filterVectorised(k, oh, ow)) {
            runFilters(n, c, h, w, padH, padW, k, oh, ow, wp, plane, tap, x, xOff, wt, wOff, b, bOff, y, yOff);
            return;
        }
        Parallel.forRange(n, 1, (n0, n1) -> {
            float[] xp = Scratch.floats(Scratch.COLUMNS, c * plane);
            float[] yp = Scratch.floats(Scratch.GRID, k * grid);
            java.util.Arrays.fill(xp, 0, c * plane, 0f); // the padding: pad() writes only the image's cells
            for (int img = n0; img < n1; img++) {
                VectorConv.pad(x, xOff + img * c * h * w, c, h, w, padH, padW, wp, plane, xp);
                VectorConv.forward(xp, tap, wt, wOff, k, yp, grid);
                int out = yOff + img * k * oh * ow;
                for (int kk = 0; kk < k; kk++) {
                    VectorConv.crop(yp, kk * grid, wp, oh, ow, b, bOff + kk, y, out + kk * oh * ow);
                }
            }
        });
    }

    /**
     * {@link #run} vectorised over filters ({@link VectorConv#forwardFilters}): for layers with
     * {@code k} a multiple of two vectors on small output planes, where the grid computes many
     * dropped columns (LeNet conv2: 100 outputs on a 144-long grid). Same sums, same bits.
     */
    private static void runFilters(int n, int c, int h, int w, int padH, int padW, int k, int oh, int ow, int wp,
                                   int plane, int[] tap, float[] x, int xOff, float[] wt, int wOff, float[] b, int bOff,
                                   float[] y, int yOff) {
        int np = oh * ow;
        int[] pos = VectorConv.positionOffsets(oh, ow, wp);
        float[] wT = new float[k * tap.length];
        VectorConv.transposeWeights(wt, wOff, k, tap.length, wT);
        Parallel.forRange(n, 1, (n0, n1) -> {
            float[] xp = Scratch.floats(Scratch.COLUMNS, c * plane);
            float[] yt = Scratch.floats(Scratch.GRID, k * np);
            java.util.Arrays.fill(xp, 0, c * plane, 0f); // the padding: pad() writes only the image's cells
            for (int img = n0; img < n1; img++) {
                VectorConv.pad(x, xOff + img * c * h * w, c, h, w, padH, padW, wp, plane, xp);
                VectorConv.forwardFilters(xp, tap, wT, k, pos, ow, yt);
                VectorConv.untranspose(yt, k, np, b, bOff, y, yOff + img * k * np);
            }
        });
    }

    static void backwardWeight(ConvGeometry g, float[] x, int xOff, float[] gy, int gyOff, float[] gw, int gwOff,
                               int groups, int perGroup) {
        int c = g.c();
        int k = g.k();
        int oh = g.outH();
        int ow = g.outW();
        int hp = g.h() + 2 * g.padH();
        int wp = g.w() + 2 * g.padW();
        int plane = VectorConv.paddedPlane(hp, wp, g.s());
        int grid = VectorConv.gridLength(oh, wp);
        int size = g.weightSize();
        int[] tap = VectorConv.tapOffsets(c, g.r(), g.s(), plane, wp);
        float[] part = Scratch.floats(Scratch.PARTIALS, groups * size);
        Parallel.forRange(groups, 1, (g0, g1) -> {
            float[] xp = Scratch.floats(Scratch.COLUMNS, c * plane);
            float[] gyp = Scratch.floats(Scratch.GRID, k * grid);
            float[] lanes = Scratch.floats(Scratch.LANES, VectorConv.laneLength(size));
            java.util.Arrays.fill(xp, 0, c * plane, 0f); // the padding: pad() writes only the image's cells
            for (int grp = g0; grp < g1; grp++) {
                java.util.Arrays.fill(lanes, 0, VectorConv.laneLength(size), 0f);
                java.util.Arrays.fill(gyp, 0, k * grid, 0f);
                for (int img = grp * perGroup; img < Math.min(g.n(), (grp + 1) * perGroup); img++) {
                    VectorConv.pad(x, xOff + img * c * g.h() * g.w(), c, g.h(), g.w(), g.padH(), g.padW(), wp, plane, xp);
                    for (int kk = 0; kk < k; kk++) {
                        for (int p = 0; p < oh; p++) {
                            System.arraycopy(gy, gyOff + ((img * k + kk) * oh + p) * ow, gyp, kk * grid + p * wp, ow);
                        }
                    }
                    VectorConv.weight(xp, tap, gyp, k, grid, lanes);
                }
                VectorConv.sumLanes(lanes, size, part, grp * size);
            }
        });
        Conv.foldGroups(part, groups, size, gw, gwOff);
    }
}
