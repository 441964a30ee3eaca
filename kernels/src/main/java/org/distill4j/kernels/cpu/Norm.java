package org.distill4j.kernels.cpu;

/**
 * Moments for the normalisation layers: per row (instance/group norm) and per channel (batch norm).
 *
 * <p>The fast paths are two-pass: the mean, then the sums of {@code d = x - mean} and {@code d^2},
 * giving the variance as {@code (sum d^2 - (sum d)^2 / n) / n} (the corrected two-pass algorithm of
 * Chan, Golub and LeVeque, "Algorithms for computing the sample variance", 1983), which also
 * cancels the error of a mean rounded to float. Vector sums are blocked with a double total per
 * block ({@link VectorReduceF32}); plain paths accumulate in double. Rows or channels run in
 * parallel, each reduced in a fixed order.
 */
final class Norm {
    /** Below this many elements per run, channel moments walk rows of the batch instead of runs. */
    private static final int SHORT_RUN = 16;

    private Norm() {
    }

    /** Sum of a contiguous run. */
    private static double sum(CpuBuffer x, int off, int len, boolean simd) {
        if (simd) {
            return x.f != null ? VectorReduceF32.sum(x.f, off, len) : VectorReduceF64.sum(x.d, off, len);
        }
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += x.f != null ? x.f[off + i] : x.d[off + i];
        }
        return s;
    }

    /** Adds sum(x - m) and sum((x - m)^2) over a contiguous run to {@code acc[0]} and {@code acc[1]}. */
    private static void deviations(CpuBuffer x, int off, int len, double m, double[] acc, boolean simd) {
        if (simd) {
            if (x.f != null) {
                VectorReduceF32.deviations(x.f, off, len, (float) m, acc);
            } else {
                VectorReduceF64.deviations(x.d, off, len, m, acc);
            }
            return;
        }
        for (int i = 0; i < len; i++) {
            double d = (x.f != null ? x.f[off + i] : x.d[off + i]) - m;
            acc[0] += d;
            acc[1] += d * d;
        }
    }

    private static double variance(double sumD, double sumD2, double count) {
        return Math.max(0.0, (sumD2 - sumD * sumD / count) / count);
    }

    static void rowMoments(int rows, int len, CpuBuffer x, int xOff, CpuBuffer mean, int mOff, CpuBuffer var, int vOff,
                           boolean simd) {
        if (x.dtype() != mean.dtype() || x.dtype() != var.dtype()) {
            rowMomentsReference(rows, len, x, xOff, mean, mOff, var, vOff);
            return;
        }
        Parallel.forRange(rows, Math.max(1, Segments.CHUNK / Math.max(1, len)), (r0, r1) -> {
            double[] acc = new double[2];
            for (int r = r0; r < r1; r++) {
                int off = xOff + r * len;
                double mu = sum(x, off, len, simd) / len;
                acc[0] = 0;
                acc[1] = 0;
                deviations(x, off, len, mu, acc, simd);
                Access.set(mean, mOff + r, mu);
                Access.set(var, vOff + r, variance(acc[0], acc[1], len));
            }
        });
    }

    /** {@code y = (x - mean[r]) * rstd[r]} over each row r of {@code len}: one pass. */
    static void rowStandardize(int rows, int len, CpuBuffer x, int xOff, CpuBuffer mean, int mOff, CpuBuffer rstd,
                               int rOff, CpuBuffer y, int yOff, boolean simd) {
        boolean vector = simd && x.f != null && y.f != null;
        Parallel.forRange(rows, Math.max(1, Segments.CHUNK / Math.max(1, len)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                double m = Access.get(mean, mOff + r);
                double s = Access.get(rstd, rOff + r);
                int xo = xOff + r * len;
                int yo = yOff + r * len;
                if (vector) {
                    VectorNormF32.standardize(x.f, xo, len, (float) m, (float) s, y.f, yo);
                } else {
                    for (int i = 0; i < len; i++) {
                        Access.set(y, yo + i, (Access.get(x, xo + i) - m) * s);
                    }
                }
            }
        });
    }

    /**
     * The first-order backward of {@link #rowStandardize}, given its output {@code y}:
     * {@code gx = (g - mean(g) - y * mean(g * y)) * rstd[r]} over each row r. Two passes over a
     * row (its two sums, then gx) where the composed ops make seven, each with a temporary.
     */
    static void rowStandardizeBackward(int rows, int len, CpuBuffer g, int gOff, CpuBuffer y, int yOff, CpuBuffer rstd,
                                       int rOff, CpuBuffer gx, int gxOff, boolean simd) {
        boolean vector = simd && g.f != null && y.f != null && gx.f != null;
        Parallel.forRange(rows, Math.max(1, Segments.CHUNK / Math.max(1, len)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int go = gOff + r * len;
                int yo = yOff + r * len;
                int xo = gxOff + r * len;
                double s = Access.get(rstd, rOff + r);
                double sg;
                double sgy;
                if (vector) {
                    sg = VectorReduceF32.sum(g.f, go, len);
                    sgy = VectorReduceF32.dot(g.f, go, y.f, yo, len);
                    VectorNormF32.backward(g.f, go, y.f, yo, len, (float) (sg / len), (float) (sgy / len), (float) s,
                            gx.f, xo);
                    continue;
                }
                sg = 0;
                sgy = 0;
                for (int i = 0; i < len; i++) {
                    double gi = Access.get(g, go + i);
                    sg += gi;
                    sgy += gi * Access.get(y, yo + i);
                }
                double mg = sg / len;
                double mgy = sgy / len;
                for (int i = 0; i < len; i++) {
                    Access.set(gx, xo + i, (Access.get(g, go + i) - mg - Access.get(y, yo + i) * mgy) * s);
                }
            }
        });
    }

    static void channelMoments(int n, int c, int inner, CpuBuffer x, int xOff, CpuBuffer mean, int mOff,
                               CpuBuffer var, int vOff, boolean simd) {
        if (x.dtype() != mean.dtype() || x.dtype() != var.dtype()) {
            channelMomentsReference(n, c, inner, x, xOff, mean, mOff, var, vOff);
            return;
        }
        if (inner < SHORT_RUN) {
            channelMomentsShort(n, c, inner, x, xOff, mean, mOff, var, vOff);
            return;
        }
        double count = (double) n * inner;
        Parallel.forRange(c, 1, (c0, c1) -> {
            double[] acc = new double[2];
            for (int ch = c0; ch < c1; ch++) {
                double s = 0;
                for (int b = 0; b < n; b++) {
                    s += sum(x, xOff + (b * c + ch) * inner, inner, simd);
                }
                double mu = s / count;
                acc[0] = 0;
                acc[1] = 0;
                for (int b = 0; b < n; b++) {
                    deviations(x, xOff + (b * c + ch) * inner, inner, mu, acc, simd);
                }
                Access.set(mean, mOff + ch, mu);
                Access.set(var, vOff + ch, variance(acc[0], acc[1], count));
            }
        });
    }

    /**
     * Channel moments when each channel's runs are short (batch norm over {@code [n, c]}): rows of
     * the batch are added into per-channel double accumulators, parallel over blocks of channels.
     */
    private static void channelMomentsShort(int n, int c, int inner, CpuBuffer x, int xOff, CpuBuffer mean, int mOff,
                                            CpuBuffer var, int vOff) {
        int block = 64;
        double count = (double) n * inner;
        Parallel.forRange((c + block - 1) / block, 1, (b0, b1) -> {
            double[] mu = new double[block];
            double[] s1 = new double[block];
            double[] s2 = new double[block];
            for (int blk = b0; blk < b1; blk++) {
                int first = blk * block;
                int width = Math.min(block, c - first);
                java.util.Arrays.fill(mu, 0.0);
                java.util.Arrays.fill(s1, 0.0);
                java.util.Arrays.fill(s2, 0.0);
                for (int b = 0; b < n; b++) {
                    for (int j = 0; j < width; j++) {
                        int off = xOff + (b * c + first + j) * inner;
                        for (int i = 0; i < inner; i++) {
                            mu[j] += x.f != null ? x.f[off + i] : x.d[off + i];
                        }
                    }
                }
                for (int j = 0; j < width; j++) {
                    mu[j] /= count;
                }
                for (int b = 0; b < n; b++) {
                    for (int j = 0; j < width; j++) {
                        int off = xOff + (b * c + first + j) * inner;
                        for (int i = 0; i < inner; i++) {
                            double d = (x.f != null ? x.f[off + i] : x.d[off + i]) - mu[j];
                            s1[j] += d;
                            s2[j] += d * d;
                        }
                    }
                }
                for (int j = 0; j < width; j++) {
                    Access.set(mean, mOff + first + j, mu[j]);
                    Access.set(var, vOff + first + j, variance(s1[j], s2[j], count));
                }
            }
        });
    }

    // ---- scalar references ----------------------------------------------------------------------

    static void rowMomentsReference(int rows, int len, CpuBuffer x, int xOff, CpuBuffer mean, int mOff,
                                    CpuBuffer var, int vOff) {
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < len; j++) {
                sum += Access.get(x, xOff + r * len + j);
            }
            double mu = sum / len;
            double sq = 0;
            for (int j = 0; j < len; j++) {
                double d = Access.get(x, xOff + r * len + j) - mu;
                sq += d * d;
            }
            Access.set(mean, mOff + r, mu);
            Access.set(var, vOff + r, sq / len);
        }
    }

    static void channelMomentsReference(int n, int c, int inner, CpuBuffer x, int xOff, CpuBuffer mean, int mOff,
                                        CpuBuffer var, int vOff) {
        double count = (double) n * inner;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < inner; j++) {
                    sum += Access.get(x, xOff + (b * c + ch) * inner + j);
                }
            }
            double mu = sum / count;
            double sq = 0;
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < inner; j++) {
                    double d = Access.get(x, xOff + (b * c + ch) * inner + j) - mu;
                    sq += d * d;
                }
            }
            Access.set(mean, mOff + ch, mu);
            Access.set(var, vOff + ch, sq / count);
        }
    }
}
