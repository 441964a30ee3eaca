package org.distill4j.kernels.cpu;

import org.distill4j.kernels.PoolGeometry;

/**
 * Max and average pooling, NCHW, forward and backward.
 *
 * <p>The fast paths are direct loops, parallel over planes (one image channel each, fixed tasks),
 * with each window clipped to the image once instead of testing every cell. Sums run in double in
 * the reference's order, so F32 results match it bit for bit. 2x2 windows with stride 2 and no
 * padding (the common case) have loops of their own. Backward passes whose windows do not overlap
 * write each input gradient once; overlapping ones accumulate a plane in double first.
 */
final class Pool {
    private Pool() {
    }

    /** Planes per parallel task: about 16K input elements of work. */
    private static int grain(PoolGeometry g) {
        return Math.max(1, (1 << 14) / (g.h() * g.w()));
    }

    private static boolean twoByTwo(PoolGeometry g) {
        return g.kh() == 2 && g.kw() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padH() == 0 && g.padW() == 0;
    }

    // ---- fast paths ---------------------------------------------------------------------------

    /** Max pooling into {@code y}, and the arg-max into {@code argmax} unless it is null (inference). */
    static void maxPool(PoolGeometry g, CpuBuffer x, int xOff, CpuBuffer y, int yOff, CpuBuffer argmax, int aOff,
                        boolean simd) {
        if (x.dtype() != y.dtype()) {
            maxPoolReference(g, x, xOff, y, yOff, argmax, aOff);
            return;
        }
        int oh = g.outH();
        int ow = g.outW();
        int w = g.w();
        int plane = g.h() * w;
        int[] am = argmax == null ? null : argmax.i;
        if (simd && x.f != null && twoByTwo(g) && VectorPool.supports(g.h(), w)) {
            Parallel.forRange(g.n() * g.c(), grain(g), (pl0, pl1) -> {
                // Small planes by whole groups of planes, the rest (and wide planes) row by row.
                int first = pl0 + VectorPool.maxPoolSmallPlanes(x.f, xOff + pl0 * plane, g.h(), w, pl1 - pl0, y.f,
                        yOff + pl0 * oh * ow, am, aOff + pl0 * oh * ow);
                if (first < pl1) {
                    VectorPool.maxPool2x2(x.f, xOff + first * plane, g.h(), w, pl1 - first, y.f, yOff + first * oh * ow,
                            am, aOff + first * oh * ow);
                }
            });
            return;
        }
        float[] xf = x.f;
        double[] xd = x.d;
        Parallel.forRange(g.n() * g.c(), grain(g), (pl0, pl1) -> {
            for (int pl = pl0; pl < pl1; pl++) {
                int xb = xOff + pl * plane;
                int ob = pl * oh * ow;
                for (int p = 0; p < oh; p++) {
                    int r0 = Math.max(0, p * g.strideH() - g.padH());
                    int r1 = Math.min(g.h(), p * g.strideH() - g.padH() + g.kh());
                    for (int q = 0; q < ow; q++) {
                        int s0 = Math.max(0, q * g.strideW() - g.padW());
                        int s1 = Math.min(w, q * g.strideW() - g.padW() + g.kw());
                        // Compared in double: exact for floats, so the same choices as in float.
                        int best = r0 * w + s0;
                        double bestValue = xf != null ? xf[xb + best] : xd[xb + best];
                        for (int r = r0; r < r1; r++) {
                            for (int s = s0; s < s1; s++) {
                                double v = xf != null ? xf[xb + r * w + s] : xd[xb + r * w + s];
                                if (v > bestValue) {
                                    bestValue = v;
                                    best = r * w + s;
                                }
                            }
                        }
                        Access.set(y, yOff + ob + p * ow + q, bestValue);
                        if (am != null) {
                            am[aOff + ob + p * ow + q] = best;
                        }
                    }
                }
            }
        });
    }

    static void maxPoolBackward(PoolGeometry g, CpuBuffer gy, int gyOff, CpuBuffer argmax, int aOff, CpuBuffer gx, int gxOff) {
        if (gy.dtype() != gx.dtype()) {
            maxPoolBackwardReference(g, gy, gyOff, argmax, aOff, gx, gxOff);
            return;
        }
        int plane = g.h() * g.w();
        int outPlane = g.outH() * g.outW();
        int planes = g.n() * g.c();
        int[] am = argmax == null ? null : argmax.i;
        boolean overlap = g.strideH() < g.kh() || g.strideW() < g.kw();
        Parallel.forRange(planes, grain(g), (pl0, pl1) -> {
            // The arg-max is checked by the tasks, each its own planes before it writes them: on one
            // thread ahead of the loop, the check was serial work of every training step.
            checkArgmax(g, am, aOff, pl0, pl1);
            double[] acc = overlap ? new double[plane] : null;
            for (int pl = pl0; pl < pl1; pl++) {
                int xb = gxOff + pl * plane;
                int ob = pl * outPlane;
                if (overlap) {
                    java.util.Arrays.fill(acc, 0.0);
                    for (int o = 0; o < outPlane; o++) {
                        acc[am[aOff + ob + o]] += Access.get(gy, gyOff + ob + o);
                    }
                    for (int i = 0; i < plane; i++) {
                        Access.set(gx, xb + i, acc[i]);
                    }
                } else if (gx.f != null) {
                    PoolPlanes.scatter(gy.f, gyOff + ob, am, aOff + ob, outPlane, gx.f, xb, plane);
                } else {
                    java.util.Arrays.fill(gx.d, xb, xb + plane, 0.0);
                    for (int o = 0; o < outPlane; o++) {
                        gx.d[xb + am[aOff + ob + o]] = gy.d[gyOff + ob + o];
                    }
                }
            }
        });
    }

    /** Throws if an arg-max of planes {@code [pl0, pl1)} lies outside its input plane. */
    private static void checkArgmax(PoolGeometry g, int[] am, int aOff, int pl0, int pl1) {
        int plane = g.h() * g.w();
        int outPlane = g.outH() * g.outW();
        for (int i = pl0 * outPlane; i < pl1 * outPlane; i++) {
            int a = am[aOff + i];
            if (a < 0 || a >= plane) {
                throw new IllegalArgumentException("maxPool2d backward: argmax " + a + " at position " + i
                        + " is outside a plane of " + g.h() + "x" + g.w());
            }
        }
    }

    static void avgPool(PoolGeometry g, CpuBuffer x, int xOff, CpuBuffer y, int yOff) {
        if (x.dtype() != y.dtype()) {
            avgPoolReference(g, x, xOff, y, yOff);
            return;
        }
        int oh = g.outH();
        int ow = g.outW();
        int w = g.w();
        int plane = g.h() * w;
        double area = g.kh() * g.kw();
        boolean fast = twoByTwo(g);
        float[] xf = x.f;
        double[] xd = x.d;
        Parallel.forRange(g.n() * g.c(), grain(g), (pl0, pl1) -> {
            double[] row = fast && xf != null ? new double[ow] : null;
            for (int pl = pl0; pl < pl1; pl++) {
                int xb = xOff + pl * plane;
                int ob = yOff + pl * oh * ow;
                if (fast && xf != null) {
                    PoolPlanes.avgForward2x2(xf, xb, w, y.f, ob, oh, ow, row);
                    continue;
                }
                for (int p = 0; p < oh; p++) {
                    int r0 = Math.max(0, p * g.strideH() - g.padH());
                    int r1 = Math.min(g.h(), p * g.strideH() - g.padH() + g.kh());
                    for (int q = 0; q < ow; q++) {
                        int s0 = Math.max(0, q * g.strideW() - g.padW());
                        int s1 = Math.min(w, q * g.strideW() - g.padW() + g.kw());
                        double sum = 0;
                        for (int r = r0; r < r1; r++) {
                            for (int s = s0; s < s1; s++) {
                                sum += xf != null ? xf[xb + r * w + s] : xd[xb + r * w + s];
                            }
                        }
                        if (xf != null) {
                            y.f[ob + p * ow + q] = (float) (sum / area);
                        } else {
                            y.d[ob + p * ow + q] = sum / area;
                        }
                    }
                }
            }
        });
    }

    static void avgPoolBackward(PoolGeometry g, CpuBuffer gy, int gyOff, CpuBuffer gx, int gxOff) {
        if (gy.dtype() != gx.dtype()) {
            avgPoolBackwardReference(g, gy, gyOff, gx, gxOff);
            return;
        }
        int oh = g.outH();
        int ow = g.outW();
        int w = g.w();
        int plane = g.h() * w;
        double area = g.kh() * g.kw();
        boolean overlap = g.strideH() < g.kh() || g.strideW() < g.kw();
        boolean fast = twoByTwo(g) && gx.f != null;
        // Windows that tile the plane exactly write every input gradient: no need to clear first.
        boolean tiled = fast && 2 * oh == g.h() && 2 * ow == w;
        Parallel.forRange(g.n() * g.c(), grain(g), (pl0, pl1) -> {
            // Overlapping windows: sum a plane in double as the reference does, then round once.
            double[] acc = overlap ? new double[plane] : null;
            for (int pl = pl0; pl < pl1; pl++) {
                int xb = gxOff + pl * plane;
                int ob = gyOff + pl * oh * ow;
                if (overlap) {
                    java.util.Arrays.fill(acc, 0.0);
                } else if (tiled) {
                    assert fast : "only the 2x2 loop writes every cell";
                } else if (gx.f != null) {
                    java.util.Arrays.fill(gx.f, xb, xb + plane, 0f);
                } else {
                    java.util.Arrays.fill(gx.d, xb, xb + plane, 0.0);
                }
                if (fast) {
                    PoolPlanes.avgBackward2x2(gy.f, ob, oh, ow, gx.f, xb, w);
                    continue;
                }
                for (int p = 0; p < oh; p++) {
                    int r0 = Math.max(0, p * g.strideH() - g.padH());
                    int r1 = Math.min(g.h(), p * g.strideH() - g.padH() + g.kh());
                    for (int q = 0; q < ow; q++) {
                        int s0 = Math.max(0, q * g.strideW() - g.padW());
                        int s1 = Math.min(w, q * g.strideW() - g.padW() + g.kw());
                        double dy = (gy.f != null ? gy.f[ob + p * ow + q] : gy.d[ob + p * ow + q]) / area;
                        for (int r = r0; r < r1; r++) {
                            for (int s = s0; s < s1; s++) {
                                if (overlap) {
                                    acc[r * w + s] += dy;
                                } else if (gx.f != null) {
                                    gx.f[xb + r * w + s] = (float) dy;
                                } else {
                                    gx.d[xb + r * w + s] = dy;
                                }
                            }
                        }
                    }
                }
                if (overlap) {
                    for (int i = 0; i < plane; i++) {
                        Access.set(gx, xb + i, acc[i]);
                    }
                }
            }
        });
    }

    // ---- scalar references ----------------------------------------------------------------------

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
                    if (argmax != null) {
                        argmax.i[aOff + o] = bestIndex;
                    }
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
