package org.distill4j.kernels.cpu;

import org.distill4j.kernels.ConvGeometry;

/** 2-d convolution (cross-correlation), NCHW, and its two backward passes. */
final class Conv {
    private Conv() {
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
