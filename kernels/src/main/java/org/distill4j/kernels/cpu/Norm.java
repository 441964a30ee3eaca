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

    /**
     * {@code y = x * gamma[ch] + beta[ch]} over a contiguous {@code [n, c, inner]} block, one pass,
     * and with {@code relu} {@code max(y, 0)} in the same pass (as {@code x > 0 ? x : 0}); the
     * product rounded before the sum: the bits of the broadcast multiply, add and ReLU it replaces.
     */
    static void channelAffine(int n, int c, int inner, CpuBuffer x, int xOff, CpuBuffer gamma, int gOff,
                              CpuBuffer beta, int bOff, boolean relu, CpuBuffer y, int yOff, boolean simd) {
        boolean floats = x.f != null && gamma.f != null && beta.f != null && y.f != null;
        boolean vector = simd && floats;
        int rows = n * c;
        Parallel.forRange(rows, Math.max(1, Segments.CHUNK / Math.max(1, inner)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                int xo = xOff + r * inner;
                int yo = yOff + r * inner;
                if (vector) {
                    VectorNormF32.affine(x.f, xo, inner, gamma.f[gOff + ch], beta.f[bOff + ch], relu, y.f, yo);
                } else if (floats) {
                    float gm = gamma.f[gOff + ch];
                    float bt = beta.f[bOff + ch];
                    for (int i = 0; i < inner; i++) {
                        float product = x.f[xo + i] * gm;
                        float v = product + bt;
                        y.f[yo + i] = relu ? (v > 0 ? v : 0f) : v;
                    }
                } else {
                    double gm = Access.get(gamma, gOff + ch);
                    double bt = Access.get(beta, bOff + ch);
                    for (int i = 0; i < inner; i++) {
                        double product = Access.get(x, xo + i) * gm;
                        double v = product + bt;
                        Access.set(y, yo + i, relu ? (v > 0 ? v : 0.0) : v);
                    }
                }
            }
        });
    }

    /**
     * {@link #rowStandardize} then {@link #channelAffine} in one pass over each row of an
     * {@code [n, c, inner]} block of floats, with the vector kernels (the only case it is called
     * for): the standardised values stay in registers, with the bits they would have in memory.
     */
    static void standardizeAffine(int n, int c, int inner, CpuBuffer x, int xOff, CpuBuffer mean, int mOff,
                                  CpuBuffer rstd, int rOff, CpuBuffer gamma, int gOff, CpuBuffer beta, int bOff,
                                  boolean relu, CpuBuffer y, int yOff) {
        Parallel.forRange(n * c, Math.max(1, Segments.CHUNK / Math.max(1, inner)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                VectorNormF32.standardizeAffine(x.f, xOff + r * inner, inner, mean.f[mOff + r], rstd.f[rOff + r],
                        gamma.f[gOff + ch], beta.f[bOff + ch], relu, y.f, yOff + r * inner);
            }
        });
    }

    /**
     * Whether {@link #channelAffineBackward} gives here the bits of the broadcast ops and
     * reductions it replaces: floats with the vector kernels, and a block {@link Reduce} reduces
     * as runs of {@code inner} per channel (at least 2 channels, so the channel axis is kept
     * between two reduced ones, and {@code inner >= 2}, so each run is contiguous).
     */
    static boolean fusedAffineBackward(int c, int inner, CpuBuffer g, CpuBuffer x, CpuBuffer gamma, CpuBuffer reluOut,
                                       CpuBuffer gx, CpuBuffer ggamma, CpuBuffer gbeta, boolean simd) {
        return simd && c >= 2 && inner >= 2 && g.f != null && x.f != null && gamma.f != null && gx.f != null
                && (reluOut == null || reluOut.f != null) && (ggamma == null || ggamma.f != null && gbeta.f != null);
    }

    /**
     * The first-order backward of {@link #channelAffine} in one pass over {@code g} and {@code x}
     * (and the forward's output {@code reluOut} with the ReLU): the composed ops make four passes
     * and a temporary (six and two with the ReLU). With the ReLU {@code g' = g * step(reluOut)} (as
     * {@code MUL_STEP}), else {@code g' = g}; then {@code gx = g' * gamma[ch]}, and unless
     * {@code ggamma} is null {@code ggamma[ch] = sum(g' * x)}, {@code gbeta[ch] = sum(g')} over n
     * and inner. Each sum is folded as {@link Reduce} folds it: per channel, the runs of
     * {@code inner} in n order into a double, each run in pieces of {@link Reduce#PIECE}, each
     * piece as {@link VectorReduceF32#sum} adds it; so the bits are those of the products
     * materialised and reduced. Channels run in parallel. Requires {@link #fusedAffineBackward}.
     */
    static void channelAffineBackward(int n, int c, int inner, CpuBuffer g, int gOff, CpuBuffer x, int xOff,
                                      CpuBuffer gamma, int gamOff, CpuBuffer reluOut, int mOff, CpuBuffer gx, int gxOff,
                                      CpuBuffer ggamma, int ggOff, CpuBuffer gbeta, int gbOff) {
        boolean sums = ggamma != null;
        float[] mask = reluOut == null ? null : reluOut.f;
        Parallel.forRange(c, Math.max(1, Segments.CHUNK / Math.max(1, n * inner)), (c0, c1) -> {
            double[] piece = new double[2];
            for (int ch = c0; ch < c1; ch++) {
                float gm = gamma.f[gamOff + ch];
                double sumGx = 0;
                double sumG = 0;
                for (int b = 0; b < n; b++) {
                    int at = (b * c + ch) * inner;
                    double runGx = 0;
                    double runG = 0;
                    for (int p = 0; p < inner; p += Reduce.PIECE) {
                        int len = Math.min(Reduce.PIECE, inner - p);
                        VectorNormF32.affineBackward(g.f, gOff + at + p, x.f, xOff + at + p, mask, mOff + at + p, len, gm,
                                gx.f, gxOff + at + p, sums ? piece : null);
                        runGx += piece[0];
                        runG += piece[1];
                    }
                    sumGx += runGx;
                    sumG += runG;
                }
                if (sums) {
                    ggamma.f[ggOff + ch] = (float) sumGx;
                    gbeta.f[gbOff + ch] = (float) sumG;
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
