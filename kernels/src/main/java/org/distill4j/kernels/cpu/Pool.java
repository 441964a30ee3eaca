package org.distill4j.kernels.cpu;

import org.distill4j.kernels.PoolGeometry;

/** Max and average pooling, NCHW, forward and backward. */
final class Pool {
    private Pool() {
    }

    static void maxPoolReference(PoolGeometry g, CpuBuffer x, int xOff, CpuBuffer y, int yOff,
                                 CpuBuffer argmax, int aOff) {
        int oh = g.outH();
        int ow = g.outW();
        int planes = g.n() * g.c();
        for (int pl = 0; pl < planes; pl++) {
            int xBase = xOff + pl * g.h() * g.w();
            for (int p = 0; p < oh; p++) {
                for (int q = 0; q < ow; q++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int bestIndex = -1;
                    for (int r = 0; r < g.kh(); r++) {
                        int ih = p * g.strideH() - g.padH() + r;
                        if (ih < 0 || ih >= g.h()) {
                            continue;
                        }
                        for (int s = 0; s < g.kw(); s++) {
                            int iw = q * g.strideW() - g.padW() + s;
                            if (iw < 0 || iw >= g.w()) {
                                continue;
                            }
                            double v = Access.get(x, xBase + ih * g.w() + iw);
                            if (bestIndex < 0 || v > best) {
                                best = v;
                                bestIndex = ih * g.w() + iw;
                            }
                        }
                    }
                    int o = (pl * oh + p) * ow + q;
                    Access.set(y, yOff + o, best);
                    argmax.i[aOff + o] = bestIndex;
                }
            }
        }
    }

    static void maxPoolBackwardReference(PoolGeometry g, CpuBuffer gy, int gyOff, CpuBuffer argmax, int aOff,
                                         CpuBuffer gx, int gxOff) {
        int plane = g.h() * g.w();
        int outPlane = g.outH() * g.outW();
        int planes = g.n() * g.c();
        double[] acc = new double[planes * plane];
        for (int pl = 0; pl < planes; pl++) {
            for (int o = 0; o < outPlane; o++) {
                acc[pl * plane + argmax.i[aOff + pl * outPlane + o]] += Access.get(gy, gyOff + pl * outPlane + o);
            }
        }
        for (int i = 0; i < acc.length; i++) {
            Access.set(gx, gxOff + i, acc[i]);
        }
    }

    static void avgPoolReference(PoolGeometry g, CpuBuffer x, int xOff, CpuBuffer y, int yOff) {
        int oh = g.outH();
        int ow = g.outW();
        double area = g.kh() * g.kw();
        for (int pl = 0; pl < g.n() * g.c(); pl++) {
            int xBase = xOff + pl * g.h() * g.w();
            for (int p = 0; p < oh; p++) {
                for (int q = 0; q < ow; q++) {
                    double acc = 0;
                    for (int r = 0; r < g.kh(); r++) {
                        int ih = p * g.strideH() - g.padH() + r;
                        for (int s = 0; s < g.kw(); s++) {
                            int iw = q * g.strideW() - g.padW() + s;
                            if (ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w()) {
                                acc += Access.get(x, xBase + ih * g.w() + iw);
                            }
                        }
                    }
                    Access.set(y, yOff + (pl * oh + p) * ow + q, acc / area);
                }
            }
        }
    }

    static void avgPoolBackwardReference(PoolGeometry g, CpuBuffer gy, int gyOff, CpuBuffer gx, int gxOff) {
        int oh = g.outH();
        int ow = g.outW();
        double area = g.kh() * g.kw();
        int plane = g.h() * g.w();
        double[] acc = new double[g.inputSize()];
        for (int pl = 0; pl < g.n() * g.c(); pl++) {
            for (int p = 0; p < oh; p++) {
                for (int q = 0; q < ow; q++) {
                    double dy = Access.get(gy, gyOff + (pl * oh + p) * ow + q) / area;
                    for (int r = 0; r < g.kh(); r++) {
                        int ih = p * g.strideH() - g.padH() + r;
                        for (int s = 0; s < g.kw(); s++) {
                            int iw = q * g.strideW() - g.padW() + s;
                            if (ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w()) {
                                acc[pl * plane + ih * g.w() + iw] += dy;
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
}
