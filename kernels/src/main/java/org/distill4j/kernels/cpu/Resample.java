package org.distill4j.kernels.cpu;

import org.distill4j.kernels.SampleGeometry;

/**
 * Bilinear grid sampling with zero padding, forward and its adjoint, over NCHW planes.
 *
 * <p>The fast path turns each image's grid into a plan once (per output: the flat input index of
 * each of the four neighbours, or -1 outside the image, and its weight) and applies it to every
 * channel of every image that shares the grid: with one grid for the batch (Siamese augmentation)
 * the plan is made once per call. Work is parallel over planes in fixed chunks. Sums run in double
 * in the reference's order (neighbours (x0, y0), (x0 + 1, y0), (x0, y0 + 1), (x0 + 1, y0 + 1)),
 * so the fast path matches the reference bit for bit, F32 included. The adjoint scatters into a
 * double plane per task, so it needs no atomics and does not depend on the thread count. The
 * reads are gathers at data-dependent positions, which the Vector API does not speed up.
 */
final class Resample {
    private Resample() {
    }

    /** Planes per parallel task: about 16K outputs of work. */
    private static int grain(SampleGeometry g) {
        return Math.max(1, (1 << 14) / (g.outH() * g.outW()));
    }

    /** The four neighbours' flat indices (-1 outside) and weights of every output of grid image {@code gi}. */
    private record Plan(int[] index, double[] weight) {
    }

    private static Plan plan(SampleGeometry g, CpuBuffer grid, int gridOff, int gi) {
        int out = g.outH() * g.outW();
        int[] index = new int[4 * out];
        double[] weight = new double[4 * out];
        int base = gridOff + gi * out * 2;
        for (int o = 0; o < out; o++) {
            corners(g, Access.get(grid, base + 2 * o), Access.get(grid, base + 2 * o + 1), index, weight, 4 * o);
        }
        return new Plan(index, weight);
    }

    /** Writes the four neighbours of the point (px, py) at {@code at}: index or -1, and weight. */
    private static void corners(SampleGeometry g, double px, double py, int[] index, double[] weight, int at) {
        if (!Double.isFinite(px) || !Double.isFinite(py)) {
            for (int k = 0; k < 4; k++) {
                index[at + k] = -1;
            }
            return;
        }
        double fx0 = Math.floor(px);
        double fy0 = Math.floor(py);
        double ax = px - fx0;
        double ay = py - fy0;
        long x0 = (long) fx0;
        long y0 = (long) fy0;
        double[] wx = {1 - ax, ax};
        double[] wy = {1 - ay, ay};
        for (int k = 0; k < 4; k++) {
            long xi = x0 + (k & 1);
            long yi = y0 + (k >> 1);
            boolean inside = xi >= 0 && xi < g.w() && yi >= 0 && yi < g.h();
            index[at + k] = inside ? (int) (yi * g.w() + xi) : -1;
            weight[at + k] = wx[k & 1] * wy[k >> 1];
        }
    }

    static void forward(SampleGeometry g, CpuBuffer x, int xOff, CpuBuffer grid, int gridOff, CpuBuffer y, int yOff) {
        int out = g.outH() * g.outW();
        int plane = g.h() * g.w();
        Plan shared = g.gridN() == 1 ? plan(g, grid, gridOff, 0) : null;
        Parallel.forRange(g.n() * g.c(), grain(g), (p0, p1) -> {
            Plan p = shared;
            int planned = -1;
            for (int pl = p0; pl < p1; pl++) {
                int b = pl / g.c();
                if (shared == null && planned != b) {
                    p = plan(g, grid, gridOff, b);
                    planned = b;
                }
                int xb = xOff + pl * plane;
                int yb = yOff + pl * out;
                int[] index = p.index;
                double[] weight = p.weight;
                if (x.f != null && y.f != null) {
                    float[] xf = x.f;
                    float[] yf = y.f;
                    for (int o = 0; o < out; o++) {
                        double acc = 0;
                        for (int k = 4 * o; k < 4 * o + 4; k++) {
                            if (index[k] >= 0) {
                                acc += weight[k] * xf[xb + index[k]];
                            }
                        }
                        yf[yb + o] = (float) acc;
                    }
                } else {
                    for (int o = 0; o < out; o++) {
                        double acc = 0;
                        for (int k = 4 * o; k < 4 * o + 4; k++) {
                            if (index[k] >= 0) {
                                acc += weight[k] * Access.get(x, xb + index[k]);
                            }
                        }
                        Access.set(y, yb + o, acc);
                    }
                }
            }
        });
    }

    static void backward(SampleGeometry g, CpuBuffer gy, int gyOff, CpuBuffer grid, int gridOff, CpuBuffer gx, int gxOff) {
        int out = g.outH() * g.outW();
        int plane = g.h() * g.w();
        Plan shared = g.gridN() == 1 ? plan(g, grid, gridOff, 0) : null;
        Parallel.forRange(g.n() * g.c(), grain(g), (p0, p1) -> {
            Plan p = shared;
            int planned = -1;
            double[] acc = new double[plane];
            for (int pl = p0; pl < p1; pl++) {
                int b = pl / g.c();
                if (shared == null && planned != b) {
                    p = plan(g, grid, gridOff, b);
                    planned = b;
                }
                java.util.Arrays.fill(acc, 0);
                int gb = gyOff + pl * out;
                for (int o = 0; o < out; o++) {
                    double v = Access.get(gy, gb + o);
                    for (int k = 4 * o; k < 4 * o + 4; k++) {
                        if (p.index[k] >= 0) {
                            acc[p.index[k]] += p.weight[k] * v;
                        }
                    }
                }
                int xb = gxOff + pl * plane;
                for (int e = 0; e < plane; e++) {
                    Access.set(gx, xb + e, acc[e]);
                }
            }
        });
    }

    // ---- scalar references --------------------------------------------------------------------

    /** One output at a time, straight from the definition. */
    static void forwardReference(SampleGeometry g, CpuBuffer x, int xOff, CpuBuffer grid, int gridOff, CpuBuffer y,
                                 int yOff) {
        int out = g.outH() * g.outW();
        int[] index = new int[4];
        double[] weight = new double[4];
        for (int b = 0; b < g.n(); b++) {
            int gb = gridOff + (g.gridN() == 1 ? 0 : b) * out * 2;
            for (int ch = 0; ch < g.c(); ch++) {
                int pl = b * g.c() + ch;
                for (int o = 0; o < out; o++) {
                    corners(g, Access.get(grid, gb + 2 * o), Access.get(grid, gb + 2 * o + 1), index, weight, 0);
                    double acc = 0;
                    for (int k = 0; k < 4; k++) {
                        if (index[k] >= 0) {
                            acc += weight[k] * Access.get(x, xOff + pl * g.h() * g.w() + index[k]);
                        }
                    }
                    Access.set(y, yOff + pl * out + o, acc);
                }
            }
        }
    }

    static void backwardReference(SampleGeometry g, CpuBuffer gy, int gyOff, CpuBuffer grid, int gridOff, CpuBuffer gx,
                                  int gxOff) {
        int out = g.outH() * g.outW();
        int plane = g.h() * g.w();
        int[] index = new int[4];
        double[] weight = new double[4];
        for (int b = 0; b < g.n(); b++) {
            int gb = gridOff + (g.gridN() == 1 ? 0 : b) * out * 2;
            for (int ch = 0; ch < g.c(); ch++) {
                int pl = b * g.c() + ch;
                double[] acc = new double[plane];
                for (int o = 0; o < out; o++) {
                    corners(g, Access.get(grid, gb + 2 * o), Access.get(grid, gb + 2 * o + 1), index, weight, 0);
                    for (int k = 0; k < 4; k++) {
                        if (index[k] >= 0) {
                            acc[index[k]] += weight[k] * Access.get(gy, gyOff + pl * out + o);
                        }
                    }
                }
                for (int e = 0; e < plane; e++) {
                    Access.set(gx, gxOff + pl * plane + e, acc[e]);
                }
            }
        }
    }
}
