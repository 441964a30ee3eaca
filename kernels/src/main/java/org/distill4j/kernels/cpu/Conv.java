package org.distill4j.kernels.cpu;

import org.distill4j.kernels.ConvGeometry;
import org.distill4j.kernels.UnaryOp;

/**
 * 2-d convolution (cross-correlation), NCHW, and its two backward passes.
 *
 * <p>The fast paths turn each image into matrix products (Chellapilla et al. 2006, "High
 * Performance Convolutional Neural Networks for Document Processing"): with {@code col} the
 * {@code [C*R*S, OH*OW]} unfolding of an image ({@link Im2col}) and {@code W} the weights as a
 * {@code [K, C*R*S]} matrix,
 * <pre>
 *   forward          y_n  = W . col(x_n)
 *   backward input   gx_n = col2im(W^T . gy_n)
 *   backward weight  gW   = sum over n of gy_n . col(x_n)^T
 * </pre>
 * A 1x1 convolution with stride 1 and no padding needs no unfolding: {@code col(x_n)} is
 * {@code x_n}. Images run in parallel, each thread unfolding into its own reused {@link Scratch}
 * matrix. The weight gradient sums images in fixed groups (set by {@code n} alone), each group
 * into its own partial sum, and adds the partial sums in group order, so it is the same on any
 * number of threads.
 *
 * <p>With the Vector API, thin stride-1 F32 layers take the direct convolution instead
 * ({@link DirectConv}; see {@link #fewFilters} and {@link #fewFiltersOrTaps} for the rules and
 * the measurements behind them). F64, strided layers and JVMs without the Vector API always take
 * im2col + GEMM.
 */
final class Conv {
    /** Most groups the weight gradient splits the batch into. */
    private static final int MAX_GROUPS = 16;

    private Conv() {
    }

    // ---- fast paths ---------------------------------------------------------------------------

    /**
     * Forward and input gradient go direct when there are at most 32 filters: the GEMM of im2col
     * would then have at most 32 rows. Measured on one thread with the packed GEMM, ms per call,
     * direct against im2col + GEMM: LeNet conv1 (1->6, 5x5, batch 256) forward 1.5 / 3.5, input
     * gradient 2.4 / 4.7; LeNet conv2 (6->16) 2.9 / 5.6 and 5.4 / 7.7; but a 1->128 3x3 layer
     * 0.88 / 0.79 and 2.3 / 1.9 (batch 16), and 128->128 3x3 on 14x14 24 / 18 and 33 / 23.
     */
    private static boolean fewFilters(ConvGeometry g) {
        return g.k() <= 32;
    }

    /**
     * The weight gradient also goes direct when each filter has at most 32 taps (GEMM depth):
     * LeNet conv1 2.3 / 19.4 ms, LeNet conv2 5.3 / 6.7, 1->128 3x3 1.7 / 2.2; 128->128 3x3 on
     * 14x14 33 / 20 and on 7x7 19 / 7.4 stay with GEMM.
     */
    private static boolean fewFiltersOrTaps(ConvGeometry g) {
        return g.k() <= 32 || g.c() * g.r() * g.s() <= 32;
    }

    private static boolean pointwise(ConvGeometry g) {
        return g.r() == 1 && g.s() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0 && g.padW() == 0;
    }

    private static boolean sameDtype(CpuBuffer a, CpuBuffer b, CpuBuffer c) {
        return a.dtype() == b.dtype() && b.dtype() == c.dtype();
    }

    /** The backing array of a floating buffer: float[] or double[]. */
    private static Object array(CpuBuffer b) {
        return b.f != null ? b.f : b.d;
    }

    private static Object columns(boolean isFloat, int n) {
        return isFloat ? Scratch.floats(Scratch.COLUMNS, n) : Scratch.doubles(Scratch.COLUMNS, n);
    }

    private static void im2col(ConvGeometry g, Object x, int xOff, Object col) {
        if (x instanceof float[] xf) {
            Im2col.im2col(g, xf, xOff, (float[]) col);
        } else {
            Im2col.im2col(g, (double[]) x, xOff, (double[]) col);
        }
    }

    /** {@code C = op(A) . op(B)}, or {@code C += op(A) . op(B)} when {@code accumulate}, in C's element type. */
    private static void gemm(boolean transA, boolean transB, int m, int n, int k, Object a, int aOff, int lda,
                             Object b, int bOff, int ldb, boolean accumulate, Object c, int cOff, int ldc) {
        if (c instanceof float[] cf) {
            Gemm.sgemm(transA, transB, m, n, k, 1f, (float[]) a, aOff, lda, (float[]) b, bOff, ldb,
                    accumulate ? 1f : 0f, cf, cOff, ldc);
        } else {
            Gemm.dgemm(transA, transB, m, n, k, 1.0, (double[]) a, aOff, lda, (double[]) b, bOff, ldb,
                    accumulate ? 1.0 : 0.0, (double[]) c, cOff, ldc);
        }
    }

    /** Whether the direct convolution ({@link DirectConv}) can serve {@code g}: F32, stride 1, Vector API. */
    private static boolean direct(ConvGeometry g, CpuBuffer out, boolean simd) {
        return simd && out.f != null && DirectConv.supports(g);
    }

    static void conv2d(ConvGeometry g, CpuBuffer x, int xOff, CpuBuffer w, int wOff, CpuBuffer y, int yOff, boolean simd) {
        conv2d(g, x, xOff, w, wOff, null, 0, y, yOff, simd);
    }

    /**
     * {@code y = conv2d(x, w)}, plus {@code b[bOff + k]} on every output of filter k when {@code b}
     * is not null: added while an image's outputs are still in cache, the same float sums as a
     * separate pass.
     */
    static void conv2d(ConvGeometry g, CpuBuffer x, int xOff, CpuBuffer w, int wOff, CpuBuffer b, int bOff,
                       CpuBuffer y, int yOff, boolean simd) {
        if (sameDtype(x, w, y) && (b == null || b.dtype() == y.dtype()) && direct(g, y, simd) && fewFilters(g)) {
            DirectConv.forward(g, x.f, xOff, w.f, wOff, b == null ? null : b.f, bOff, y.f, yOff);
        } else {
            forwardGemm(g, x, xOff, w, wOff, b, bOff, y, yOff, simd);
        }
    }

    /** Adds {@code b[bOff + k]} to the {@code p} outputs of each filter k of image {@code n}. */
    private static void addBias(ConvGeometry g, CpuBuffer b, int bOff, CpuBuffer y, int yOff, int n, boolean simd) {
        int p = g.outH() * g.outW();
        int image = yOff + n * g.k() * p;
        for (int k = 0; k < g.k(); k++) {
            int o = image + k * p;
            if (simd && y.f != null && b.f != null) {
                // fma(v, 1, bias) rounds once, as v + bias does.
                VectorUnaryF32.unary(UnaryOp.AFFINE, 1f, b.f[bOff + k], y.f, o, 1, y.f, o, p);
            } else {
                double bias = Access.get(b, bOff + k);
                for (int i = 0; i < p; i++) {
                    Access.set(y, o + i, Access.get(y, o + i) + bias);
                }
            }
        }
    }

    static void backwardInput(ConvGeometry g, CpuBuffer gy, int gyOff, CpuBuffer w, int wOff, CpuBuffer gx, int gxOff,
                              boolean simd) {
        if (sameDtype(gy, w, gx) && direct(g, gx, simd) && fewFilters(g)) {
            DirectConv.backwardInput(g, gy.f, gyOff, w.f, wOff, gx.f, gxOff);
        } else {
            backwardInputGemm(g, gy, gyOff, w, wOff, gx, gxOff);
        }
    }

    static void backwardWeight(ConvGeometry g, CpuBuffer x, int xOff, CpuBuffer gy, int gyOff, CpuBuffer gw, int gwOff,
                               boolean simd) {
        if (sameDtype(x, gy, gw) && direct(g, gw, simd) && fewFiltersOrTaps(g)) {
            int perGroup = (g.n() + MAX_GROUPS - 1) / MAX_GROUPS;
            DirectConv.backwardWeight(g, x.f, xOff, gy.f, gyOff, gw.f, gwOff, (g.n() + perGroup - 1) / perGroup, perGroup);
        } else {
            backwardWeightGemm(g, x, xOff, gy, gyOff, gw, gwOff);
        }
    }

    static void forwardGemm(ConvGeometry g, CpuBuffer x, int xOff, CpuBuffer w, int wOff, CpuBuffer y, int yOff) {
        forwardGemm(g, x, xOff, w, wOff, null, 0, y, yOff, false);
    }

    private static void forwardGemm(ConvGeometry g, CpuBuffer x, int xOff, CpuBuffer w, int wOff, CpuBuffer b, int bOff,
                                    CpuBuffer y, int yOff, boolean simd) {
        if (!sameDtype(x, w, y)) {
            conv2dReference(g, x, xOff, w, wOff, y, yOff);
            for (int n = 0; b != null && n < g.n(); n++) {
                addBias(g, b, bOff, y, yOff, n, false);
            }
            return;
        }
        int crs = g.c() * g.r() * g.s();
        int p = g.outH() * g.outW();
        int inImage = g.c() * g.h() * g.w();
        int outImage = g.k() * p;
        boolean asIs = pointwise(g);
        Object xa = array(x);
        Object wa = array(w);
        Object ya = array(y);
        // The weights, packed once for every image's product (floats; doubles pack per product).
        float[] packedW = ya instanceof float[] ? Gemm.packSharedA(false, g.k(), crs, (float[]) wa, wOff, crs) : null;
        Parallel.forRange(g.n(), 1, (n0, n1) -> {
            Object col = asIs ? null : columns(y.f != null, crs * p);
            for (int n = n0; n < n1; n++) {
                Object cols = asIs ? xa : col;
                int colsOff = asIs ? xOff + n * inImage : 0;
                if (!asIs) {
                    im2col(g, xa, xOff + n * inImage, col);
                }
                if (packedW != null) {
                    Gemm.sgemmPackedA(packedW, false, g.k(), p, crs, (float[]) cols, colsOff, p, 0f, (float[]) ya,
                            yOff + n * outImage, p);
                } else {
                    gemm(false, false, g.k(), p, crs, wa, wOff, crs, cols, colsOff, p, false, ya, yOff + n * outImage, p);
                }
                if (b != null) {
                    addBias(g, b, bOff, y, yOff, n, simd);
                }
            }
        });
    }

    static void backwardInputGemm(ConvGeometry g, CpuBuffer gy, int gyOff, CpuBuffer w, int wOff, CpuBuffer gx, int gxOff) {
        if (!sameDtype(gy, w, gx)) {
            backwardInputReference(g, gy, gyOff, w, wOff, gx, gxOff);
            return;
        }
        int crs = g.c() * g.r() * g.s();
        int p = g.outH() * g.outW();
        int inImage = g.c() * g.h() * g.w();
        int outImage = g.k() * p;
        boolean asIs = pointwise(g);
        Object gya = array(gy);
        Object wa = array(w);
        Object gxa = array(gx);
        // W^T, packed once for every image's product (floats; doubles pack per product).
        float[] packedWt = gxa instanceof float[] ? Gemm.packSharedA(true, crs, g.k(), (float[]) wa, wOff, crs) : null;
        Parallel.forRange(g.n(), 1, (n0, n1) -> {
            Object col = asIs ? null : columns(gx.f != null, crs * p);
            for (int n = n0; n < n1; n++) {
                Object out = asIs ? gxa : col;
                int outOff = asIs ? gxOff + n * inImage : 0;
                if (packedWt != null) {
                    Gemm.sgemmPackedA(packedWt, false, crs, p, g.k(), (float[]) gya, gyOff + n * outImage, p, 0f,
                            (float[]) out, outOff, p);
                } else {
                    gemm(true, false, crs, p, g.k(), wa, wOff, crs, gya, gyOff + n * outImage, p, false, out, outOff, p);
                }
                if (!asIs) {
                    if (col instanceof float[] cf) {
                        Im2col.col2im(g, cf, gx.f, gxOff + n * inImage);
                    } else {
                        Im2col.col2im(g, (double[]) col, gx.d, gxOff + n * inImage);
                    }
                }
            }
        });
    }

    static void backwardWeightGemm(ConvGeometry g, CpuBuffer x, int xOff, CpuBuffer gy, int gyOff, CpuBuffer gw, int gwOff) {
        if (!sameDtype(x, gy, gw)) {
            backwardWeightReference(g, x, xOff, gy, gyOff, gw, gwOff);
            return;
        }
        int crs = g.c() * g.r() * g.s();
        int p = g.outH() * g.outW();
        int inImage = g.c() * g.h() * g.w();
        int outImage = g.k() * p;
        int size = g.k() * crs;
        int perGroup = (g.n() + MAX_GROUPS - 1) / MAX_GROUPS;
        int groups = (g.n() + perGroup - 1) / perGroup;
        boolean asIs = pointwise(g);
        boolean isFloat = gw.f != null;
        Object xa = array(x);
        Object gya = array(gy);
        // Partial sums live on the calling thread; each task writes only its groups' slices.
        Object part = isFloat ? Scratch.floats(Scratch.PARTIALS, groups * size) : Scratch.doubles(Scratch.PARTIALS, groups * size);
        Parallel.forRange(groups, 1, (g0, g1) -> {
            Object col = asIs ? null : columns(isFloat, crs * p);
            for (int grp = g0; grp < g1; grp++) {
                int end = Math.min(g.n(), (grp + 1) * perGroup);
                for (int n = grp * perGroup; n < end; n++) {
                    Object b = asIs ? xa : col;
                    int bOff = asIs ? xOff + n * inImage : 0;
                    if (!asIs) {
                        im2col(g, xa, xOff + n * inImage, col);
                    }
                    gemm(false, true, g.k(), crs, p, gya, gyOff + n * outImage, p, b, bOff, p, n > grp * perGroup,
                            part, grp * size, crs);
                }
            }
        });
        if (part instanceof float[] pf) {
            foldGroups(pf, groups, size, gw.f, gwOff);
        } else {
            foldGroups((double[]) part, groups, size, gw.d, gwOff);
        }
    }

    /** {@code out[i] = part[0][i] + part[1][i] + ...}, groups added in order, in parallel over i. */
    static void foldGroups(float[] part, int groups, int size, float[] out, int outOff) {
        Parallel.forRange((size + Segments.CHUNK - 1) / Segments.CHUNK, 1, (c0, c1) -> {
            for (int i = c0 * Segments.CHUNK; i < Math.min(size, c1 * Segments.CHUNK); i++) {
                float acc = part[i];
                for (int grp = 1; grp < groups; grp++) {
                    acc += part[grp * size + i];
                }
                out[outOff + i] = acc;
            }
        });
    }

    static void foldGroups(double[] part, int groups, int size, double[] out, int outOff) {
        Parallel.forRange((size + Segments.CHUNK - 1) / Segments.CHUNK, 1, (c0, c1) -> {
            for (int i = c0 * Segments.CHUNK; i < Math.min(size, c1 * Segments.CHUNK); i++) {
                double acc = part[i];
                for (int grp = 1; grp < groups; grp++) {
                    acc += part[grp * size + i];
                }
                out[outOff + i] = acc;
            }
        });
    }

    // ---- scalar references: the definition, loop by loop ---------------------------------------

    static void conv2dReference(ConvGeometry g, CpuBuffer x, int xOff, CpuBuffer w, int wOff, CpuBuffer y, int yOff) {
        int oh = g.outH();
        int ow = g.outW();
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int p = 0; p < oh; p++) {
                    for (int q = 0; q < ow; q++) {
                        double acc = 0;
                        for (int c = 0; c < g.c(); c++) {
                            for (int r = 0; r < g.r(); r++) {
                                int ih = p * g.strideH() - g.padH() + r;
                                if (ih < 0 || ih >= g.h()) {
                                    continue;
                                }
                                for (int s = 0; s < g.s(); s++) {
                                    int iw = q * g.strideW() - g.padW() + s;
                                    if (iw < 0 || iw >= g.w()) {
                                        continue;
                                    }
                                    acc += Access.get(x, xOff + ((n * g.c() + c) * g.h() + ih) * g.w() + iw)
                                            * Access.get(w, wOff + ((k * g.c() + c) * g.r() + r) * g.s() + s);
                                }
                            }
                        }
                        Access.set(y, yOff + ((n * g.k() + k) * oh + p) * ow + q, acc);
                    }
                }
            }
        }
    }

    static void backwardInputReference(ConvGeometry g, CpuBuffer gy, int gyOff, CpuBuffer w, int wOff,
                                       CpuBuffer gx, int gxOff) {
        int oh = g.outH();
        int ow = g.outW();
        double[] acc = new double[g.inputSize()];
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int p = 0; p < oh; p++) {
                    for (int q = 0; q < ow; q++) {
                        double dy = Access.get(gy, gyOff + ((n * g.k() + k) * oh + p) * ow + q);
                        for (int c = 0; c < g.c(); c++) {
                            for (int r = 0; r < g.r(); r++) {
                                int ih = p * g.strideH() - g.padH() + r;
                                if (ih < 0 || ih >= g.h()) {
                                    continue;
                                }
                                for (int s = 0; s < g.s(); s++) {
                                    int iw = q * g.strideW() - g.padW() + s;
                                    if (iw < 0 || iw >= g.w()) {
                                        continue;
                                    }
                                    acc[((n * g.c() + c) * g.h() + ih) * g.w() + iw] +=
                                            dy * Access.get(w, wOff + ((k * g.c() + c) * g.r() + r) * g.s() + s);
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < acc.length; i++) {
            Access.set(gx, gxOff + i, acc[i]);
        }
    }

    static void backwardWeightReference(ConvGeometry g, CpuBuffer x, int xOff, CpuBuffer gy, int gyOff,
                                        CpuBuffer gw, int gwOff) {
        int oh = g.outH();
        int ow = g.outW();
        double[] acc = new double[g.weightSize()];
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int p = 0; p < oh; p++) {
                    for (int q = 0; q < ow; q++) {
                        double dy = Access.get(gy, gyOff + ((n * g.k() + k) * oh + p) * ow + q);
                        for (int c = 0; c < g.c(); c++) {
                            for (int r = 0; r < g.r(); r++) {
                                int ih = p * g.strideH() - g.padH() + r;
                                if (ih < 0 || ih >= g.h()) {
                                    continue;
                                }
                                for (int s = 0; s < g.s(); s++) {
                                    int iw = q * g.strideW() - g.padW() + s;
                                    if (iw < 0 || iw >= g.w()) {
                                        continue;
                                    }
                                    acc[((k * g.c() + c) * g.r() + r) * g.s() + s] +=
                                            dy * Access.get(x, xOff + ((n * g.c() + c) * g.h() + ih) * g.w() + iw);
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < acc.length; i++) {
            Access.set(gw, gwOff + i, acc[i]);
        }
    }
}
