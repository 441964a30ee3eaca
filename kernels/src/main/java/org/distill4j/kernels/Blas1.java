package org.distill4j.kernels;

import org.distill4j.kernels.cpu.VectorBlas1;
import org.distill4j.kernels.cpu.VectorSupport;

/**
 * Level-1 BLAS on F32 arrays the caller holds in host memory: {@code y += a x} and {@code x . y}.
 * For algorithms whose hot loop is a long chain of small dependent steps on data that stays put
 * (a greedy selection's thousands of picks over the same embeddings), where a tensor op per step
 * costs more in dispatch, allocation and GEMM packing than in arithmetic. Vector API code when
 * {@code jdk.incubator.vector} is present ({@link VectorBlas1}), the plain loops below otherwise
 * (and as the reference the tests compare with). Always on the CPU, whatever the compute context
 * says; single-threaded, so a caller may run several at once.
 */
public final class Blas1 {
    private Blas1() {
    }

    /** {@code y[yo + i] += a x[xo + i]} for {@code i < n}. */
    public static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        if (VectorSupport.AVAILABLE) {
            VectorBlas1.axpy(a, x, xo, y, yo, n);
        } else {
            axpyPlain(a, x, xo, y, yo, n);
        }
    }

    /**
     * {@code sum_i x[xo + i] y[yo + i]} for {@code i < n}, accumulated in F32 lanes in blocks whose
     * totals are added in double (the vector path's order; the plain path adds in order).
     */
    public static double dot(float[] x, int xo, float[] y, int yo, int n) {
        return VectorSupport.AVAILABLE ? VectorBlas1.dot(x, xo, y, yo, n) : dotPlain(x, xo, y, yo, n);
    }

    /** Elements of a run of {@link #sumPositiveDifferences}: summed in F32 lanes, then added to a double. */
    public static final int POSITIVE_RUN = 256;
    /** F32 lanes of {@link #sumPositiveDifferences}'s accumulators, on both paths (two accumulators of 8). */
    public static final int POSITIVE_LANES = 16;

    /**
     * {@code sum_i max(0, a[ao + i] - b[bo + i])} for {@code i < n}: a facility-location gain, the
     * similarities of a candidate's column above the current best. Each term is one F32 subtraction
     * (what {@code float d = a - b; if (d > 0) ...} computes); terms are summed in 16 F32 lanes
     * (element {@code i} of a run of {@link #POSITIVE_RUN} in lane {@code i % 16}), and each run's lanes
     * are added to a double total in lane order. Both paths compute exactly that, so the result has
     * the same bits on either, on any thread and in any compiler tier; and since every rounding is
     * monotone and every term can only shrink when a {@code b} grows, the result never grows when
     * any {@code b} grows: a lazy greedy's stale gain stays an upper bound bit for bit.
     */
    public static double sumPositiveDifferences(float[] a, int ao, float[] b, int bo, int n) {
        return VectorSupport.AVAILABLE ? VectorBlas1.sumPositiveDifferences(a, ao, b, bo, n)
                : sumPositiveDifferencesPlain(a, ao, b, bo, n);
    }

    /** {@link #sumPositiveDifferences} in plain Java, lane by lane (the reference of the tests). */
    public static double sumPositiveDifferencesPlain(float[] a, int ao, float[] b, int bo, int n) {
        double total = 0;
        float[] lanes = new float[POSITIVE_LANES];
        for (int r = 0; r < n; r += POSITIVE_RUN) {
            java.util.Arrays.fill(lanes, 0f);
            int len = Math.min(POSITIVE_RUN, n - r);
            for (int i = 0; i < len; i++) {
                float d = a[ao + r + i] - b[bo + r + i];
                lanes[i % POSITIVE_LANES] += d > 0 ? d : 0f;
            }
            for (int k = 0; k < POSITIVE_LANES; k++) {
                total += lanes[k];
            }
        }
        return total;
    }

    /**
     * Every dot product between the rows of two row-major blocks sharing one row stride:
     * {@code out[r * bRows + q] += sum_{i < n} a[ao + r stride + i] b[bo + q stride + i]} for
     * {@code r < aRows}, {@code q < bRows}. A small {@code A B^T} without packing: the vector path
     * computes a 2 x 4 tile of products per pass over {@code n}, so each load feeds more than one
     * multiply. Call it on column blocks of about a thousand so that the rows stay in cache.
     */
    public static void dots(float[] a, int ao, int aRows, float[] b, int bo, int bRows, int stride, int n, double[] out) {
        if (VectorSupport.AVAILABLE) {
            VectorBlas1.dots(a, ao, aRows, b, bo, bRows, stride, n, out);
        } else {
            for (int r = 0; r < aRows; r++) {
                for (int q = 0; q < bRows; q++) {
                    out[r * bRows + q] += dotPlain(a, ao + r * stride, b, bo + q * stride, n);
                }
            }
        }
    }

    /**
     * {@code y[yo + i] += sum_{r < rows} x[xo + r] a[ao + r stride + i]} for {@code i < n}: the rows
     * of a row-major block weighted by {@code x}, {@code y += A^T x}. Rows are added in order, each
     * as one {@link #axpy} would add it (an FMA per element on the vector path, a product then a sum
     * on the plain one), but {@code y} stays in registers for all the rows instead of being read and
     * written once per row.
     */
    public static void axpyRows(float[] a, int ao, int stride, int rows, float[] x, int xo, float[] y, int yo, int n) {
        if (VectorSupport.AVAILABLE) {
            VectorBlas1.axpyRows(a, ao, stride, rows, x, xo, y, yo, n);
        } else {
            axpyRowsPlain(a, ao, stride, rows, x, xo, y, yo, n);
        }
    }

    /** The reference loop of {@link #axpyRows}: {@link #axpyPlain} row after row. */
    public static void axpyRowsPlain(float[] a, int ao, int stride, int rows, float[] x, int xo, float[] y, int yo, int n) {
        for (int r = 0; r < rows; r++) {
            axpyPlain(x[xo + r], a, ao + r * stride, y, yo, n);
        }
    }

    /**
     * What {@link #dots} computes, in tiles of 5 rows of {@code a} by 4 rows of {@code b}: each pass
     * over {@code n} loads 9 vectors for 20 products (the 2 x 4 tiles of {@link #dots} load 6 for 8),
     * for blocks whose {@code a} has 5 or more rows (the 10 classes of a gradient block). Each product
     * pair has its own F32 lane accumulator over {@code n}, added to {@code out} in double; pairs
     * outside the full tiles are single dot products ({@link #dot}). Call it on column blocks of about
     * a thousand, as {@link #dots}.
     */
    public static void dots5x4(float[] a, int ao, int aRows, float[] b, int bo, int bRows, int stride, int n, double[] out) {
        if (VectorSupport.AVAILABLE) {
            VectorBlas1.dots5x4(a, ao, aRows, b, bo, bRows, stride, n, out);
        } else {
            dots(a, ao, aRows, b, bo, bRows, stride, n, out);
        }
    }

    /**
     * {@code sum_{r < rows} g[go + r] (b[r] + sum_{q < cols} w[r cols + q] h[ho + q])}, in double: an
     * affine map {@code b + W h} ({@code W} row-major {@code rows x cols}) seen along {@code g}. The
     * vector path sums each row's {@code W_r . h} in vector lanes and reduces once at the end.
     */
    public static double dotAffine(float[] g, int go, double[] b, double[] w, int rows, int cols, double[] h, int ho) {
        return VectorSupport.AVAILABLE ? VectorBlas1.dotAffine(g, go, b, w, rows, cols, h, ho)
                : dotAffinePlain(g, go, b, w, rows, cols, h, ho);
    }

    /** The reference loop of {@link #dotAffine}, row by row. */
    public static double dotAffinePlain(float[] g, int go, double[] b, double[] w, int rows, int cols, double[] h, int ho) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double a = b[r];
            for (int q = 0; q < cols; q++) {
                a += w[r * cols + q] * h[ho + q];
            }
            total += g[go + r] * a;
        }
        return total;
    }

    /**
     * For each of {@code n} columns {@code i}: {@code out[oo + i] = sum_{r < rows} g(r, i) (b[r] + sum_{q < cols}
     * w[r cols + q] h(q, i))}, with {@code g(r, i) = g[go + r stride + i]} and {@code h(q, i) = h[ho + q stride + i]}:
     * the value of an affine map {@code b + W h_i} along {@code g_i} for many pairs at once, the pairs
     * stored column-wise. All in F32 (the vector path: 32 columns at a time, FMAs in the order
     * written), so each result is within {@code (rows + cols + 3) 2^-24 |g_i| (|b| + |W|_F |h_i|)} of
     * the exact value, which is what a caller may rely on.
     */
    public static void affineColumns(float[] g, int go, int rows, float[] h, int ho, int cols, int stride, float[] w,
                                     float[] b, float[] out, int oo, int n) {
        if (VectorSupport.AVAILABLE) {
            VectorBlas1.affineColumns(g, go, rows, h, ho, cols, stride, w, b, out, oo, n);
        } else {
            affineColumnsPlain(g, go, rows, h, ho, cols, stride, w, b, out, oo, n);
        }
    }

    /** The reference loop of {@link #affineColumns}. */
    public static void affineColumnsPlain(float[] g, int go, int rows, float[] h, int ho, int cols, int stride, float[] w,
                                          float[] b, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            float total = 0;
            for (int r = 0; r < rows; r++) {
                float t = b[r];
                for (int q = 0; q < cols; q++) {
                    t += w[r * cols + q] * h[ho + q * stride + i];
                }
                total += g[go + r * stride + i] * t;
            }
            out[oo + i] = total;
        }
    }

    /** Taylor coefficients 1/j! of exp, highest first (Horner). */
    static final double[] EXP_TAYLOR = {1.0 / 3628800, 1.0 / 362880, 1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24,
        1.0 / 6, 1.0 / 2, 1, 1};

    /**
     * {@code p[po + i] *= exp(a s[so + i])} for {@code i < n}, by scaling and squaring: with
     * {@code 2^k} the smallest power of two bringing every {@code |a s|} under 1/4, the degree-10
     * Taylor polynomial of {@code exp(a s / 2^k)} squared {@code k} times (relative error below
     * {@code 2^k} 1e-14). Plain multiplications and additions in the same order on both paths, so
     * the vector and plain results are the same bit for bit; about five times faster than
     * {@code Math.exp} per element on 256-bit vectors.
     */
    public static void scaleByExp(double[] p, int po, double a, double[] s, int so, int n) {
        double sMax = 0;
        for (int i = 0; i < n; i++) {
            sMax = Math.max(sMax, Math.abs(s[so + i]));
        }
        scaleByExp(p, po, a, s, so, n, sMax);
    }

    /** As {@link #scaleByExp(double[], int, double, double[], int, int)}, given {@code max |s|} over the run. */
    public static void scaleByExp(double[] p, int po, double a, double[] s, int so, int n, double sMax) {
        double max = Math.abs(a) * sMax;
        if (!(max < 700)) {
            // Beyond what the squarings are meant for (or NaN): the library exponential.
            for (int i = 0; i < n; i++) {
                p[po + i] *= Math.exp(a * s[so + i]);
            }
            return;
        }
        int k = 0;
        while (max > 0.25) {
            max *= 0.5;
            k++;
        }
        double scale = Math.scalb(a, -k);   // exact: a power of two
        if (VectorSupport.AVAILABLE) {
            VectorBlas1.scaleByExp(p, po, scale, s, so, n, k);
        } else {
            scaleByExpPlain(p, po, scale, s, so, n, k);
        }
    }

    /**
     * {@link #scaleByExp(double[], int, double, double[], int, int, double)}, and each new
     * {@code p[po + i]} added to {@code sum[sumo + i]}: a softmax's row sums, gathered column by
     * column in the pass that moves the column. The same bits as a call of {@code scaleByExp}
     * followed by the additions.
     */
    public static void scaleByExpAndSum(double[] p, int po, double a, double[] s, int so, int n, double sMax, double[] sum,
                                        int sumo) {
        double max = Math.abs(a) * sMax;
        if (!(max < 700)) {
            for (int i = 0; i < n; i++) {
                p[po + i] *= Math.exp(a * s[so + i]);
                sum[sumo + i] += p[po + i];
            }
            return;
        }
        int k = 0;
        while (max > 0.25) {
            max *= 0.5;
            k++;
        }
        double scale = Math.scalb(a, -k);
        if (VectorSupport.AVAILABLE) {
            VectorBlas1.scaleByExpAndSum(p, po, scale, s, so, n, k, sum, sumo);
        } else {
            scaleByExpAndSumPlain(p, po, scale, s, so, n, k, sum, sumo);
        }
    }

    /** The reference loop of {@link #scaleByExpAndSum}: {@link #scaleByExpPlain}'s, then the sum. */
    public static void scaleByExpAndSumPlain(double[] p, int po, double scale, double[] s, int so, int n, int k, double[] sum,
                                             int sumo) {
        scaleByExpPlain(p, po, scale, s, so, n, k);
        for (int i = 0; i < n; i++) {
            sum[sumo + i] += p[po + i];
        }
    }

    /** {@code y[yo + i] += x[xo + i]} for {@code i < n}, in double. */
    public static void add(double[] x, int xo, double[] y, int yo, int n) {
        if (VectorSupport.AVAILABLE) {
            VectorBlas1.add(x, xo, y, yo, n);
        } else {
            for (int i = 0; i < n; i++) {
                y[yo + i] += x[xo + i];
            }
        }
    }

    /**
     * {@code p[po + i] *= r[ro + i]}, then {@code u[uo + i] = (float) p[po + i] - y[yo + i]} (the
     * product rounded to F32, then the F32 difference), for {@code i < n}: a softmax normalised by
     * its reciprocal row sums, and its F32 difference with the labels. The same bits on both paths.
     */
    public static void scaleRoundMinus(double[] p, int po, double[] r, int ro, float[] y, int yo, float[] u, int uo, int n) {
        if (VectorSupport.AVAILABLE) {
            VectorBlas1.scaleRoundMinus(p, po, r, ro, y, yo, u, uo, n);
        } else {
            scaleRoundMinusPlain(p, po, r, ro, y, yo, u, uo, n);
        }
    }

    /** The reference loop of {@link #scaleRoundMinus}. */
    public static void scaleRoundMinusPlain(double[] p, int po, double[] r, int ro, float[] y, int yo, float[] u, int uo, int n) {
        for (int i = 0; i < n; i++) {
            double v = p[po + i] * r[ro + i];
            p[po + i] = v;
            u[uo + i] = (float) v - y[yo + i];
        }
    }

    /** The reference loop of {@link #scaleByExp}: {@code y = scale s}, Horner, {@code k} squarings. */
    public static void scaleByExpPlain(double[] p, int po, double scale, double[] s, int so, int n, int k) {
        for (int i = 0; i < n; i++) {
            double y = scale * s[so + i];
            double r = EXP_TAYLOR[0];
            for (int j = 1; j < EXP_TAYLOR.length; j++) {
                r = r * y + EXP_TAYLOR[j];
            }
            for (int j = 0; j < k; j++) {
                r = r * r;
            }
            p[po + i] *= r;
        }
    }

    /** The Taylor coefficients, for the vector path. */
    public static double[] expTaylor() {
        return EXP_TAYLOR.clone();
    }

    /** The reference loop of {@link #axpy}. */
    public static void axpyPlain(float a, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += a * x[xo + i];
        }
    }

    /** The reference loop of {@link #dot}, in double. */
    public static double dotPlain(float[] x, int xo, float[] y, int yo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) x[xo + i] * y[yo + i];
        }
        return s;
    }
}
