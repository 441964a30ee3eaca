package org.distill4j.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API paths of {@link org.distill4j.kernels.Blas1}; touched only when
 * {@link VectorSupport#AVAILABLE}. 256-bit vectors, as every Vector API class of this package
 * (see {@link VectorReduceF32} for why one shape).
 */
public final class VectorBlas1 {
    private static final VectorSpecies<Float> S = VectorWidth.F32;
    private static final int L = S.length();
    /** Elements summed in vector lanes before the block's total goes into a double. */
    private static final int BLOCK = 1024;

    private VectorBlas1() {
    }

    /** {@code y += a x} over {@code n} elements. */
    public static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector va = FloatVector.broadcast(S, a);
        int i = 0;
        int up = S.loopBound(n);
        for (; i < up; i += L) {
            FloatVector.fromArray(S, x, xo + i).fma(va, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += a * x[xo + i];
        }
    }

    /** {@code x . y} over {@code n} elements: two vector accumulators per block, block totals in double. */
    public static double dot(float[] x, int xo, float[] y, int yo, int n) {
        double total = 0;
        for (int b = 0; b < n; b += BLOCK) {
            int len = Math.min(BLOCK, n - b);
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            int i = 0;
            int up = len - 2 * L;
            for (; i <= up; i += 2 * L) {
                s0 = FloatVector.fromArray(S, x, xo + b + i).fma(FloatVector.fromArray(S, y, yo + b + i), s0);
                s1 = FloatVector.fromArray(S, x, xo + b + i + L).fma(FloatVector.fromArray(S, y, yo + b + i + L), s1);
            }
            for (; i <= len - L; i += L) {
                s0 = FloatVector.fromArray(S, x, xo + b + i).fma(FloatVector.fromArray(S, y, yo + b + i), s0);
            }
            double block = LaneSum.of(s0.add(s1));
            for (; i < len; i++) {
                block += (double) x[xo + b + i] * y[yo + b + i];
            }
            total += block;
        }
        return total;
    }

    /**
     * See {@link org.distill4j.kernels.Blas1#sumPositiveDifferences}: two 8-lane F32 accumulators
     * (lanes 0-7 and 8-15 of a run's 16), the partial vector of a run's end by masked loads (whose
     * empty lanes add +0), and each run's lanes added to the double total in lane order.
     */
    public static double sumPositiveDifferences(float[] a, int ao, float[] b, int bo, int n) {
        if (2 * L != org.distill4j.kernels.Blas1.POSITIVE_LANES) {
            // Vectors narrower than 256 bits: the plain path keeps the 16 lanes (and so the bits).
            return org.distill4j.kernels.Blas1.sumPositiveDifferencesPlain(a, ao, b, bo, n);
        }
        double total = 0;
        float[] lanes = new float[2 * L];
        FloatVector zero = FloatVector.zero(S);
        for (int r = 0; r < n; r += org.distill4j.kernels.Blas1.POSITIVE_RUN) {
            int len = Math.min(org.distill4j.kernels.Blas1.POSITIVE_RUN, n - r);
            FloatVector s0 = zero;
            FloatVector s1 = zero;
            int i = 0;
            for (; i <= len - 2 * L; i += 2 * L) {
                int x = ao + r + i;
                int y = bo + r + i;
                s0 = s0.add(FloatVector.fromArray(S, a, x).sub(FloatVector.fromArray(S, b, y)).max(zero));
                s1 = s1.add(FloatVector.fromArray(S, a, x + L).sub(FloatVector.fromArray(S, b, y + L)).max(zero));
            }
            if (i < len) {
                VectorMask<Float> m0 = S.indexInRange(i, len);
                VectorMask<Float> m1 = S.indexInRange(i + L, len);
                int x = ao + r + i;
                int y = bo + r + i;
                s0 = s0.add(FloatVector.fromArray(S, a, x, m0).sub(FloatVector.fromArray(S, b, y, m0)).max(zero));
                s1 = s1.add(FloatVector.fromArray(S, a, x + L, m1).sub(FloatVector.fromArray(S, b, y + L, m1)).max(zero));
            }
            s0.intoArray(lanes, 0);
            s1.intoArray(lanes, L);
            for (int k = 0; k < 2 * L; k++) {
                total += lanes[k];
            }
        }
        return total;
    }

    /** See {@link org.distill4j.kernels.Blas1#dots}: 2 x 4 tiles, then the leftover rows and columns one dot at a time. */
    public static void dots(float[] a, int ao, int aRows, float[] b, int bo, int bRows, int stride, int n, double[] out) {
        int up = S.loopBound(n);
        float[] lanes = new float[8 * L];
        int r = 0;
        for (; r + 1 < aRows; r += 2) {
            int a0 = ao + r * stride;
            int a1 = a0 + stride;
            int q = 0;
            for (; q + 3 < bRows; q += 4) {
                int b0 = bo + q * stride;
                int b1 = b0 + stride;
                int b2 = b1 + stride;
                int b3 = b2 + stride;
                FloatVector s00 = FloatVector.zero(S);
                FloatVector s01 = FloatVector.zero(S);
                FloatVector s02 = FloatVector.zero(S);
                FloatVector s03 = FloatVector.zero(S);
                FloatVector s10 = FloatVector.zero(S);
                FloatVector s11 = FloatVector.zero(S);
                FloatVector s12 = FloatVector.zero(S);
                FloatVector s13 = FloatVector.zero(S);
                for (int i = 0; i < up; i += L) {
                    FloatVector x0 = FloatVector.fromArray(S, a, a0 + i);
                    FloatVector x1 = FloatVector.fromArray(S, a, a1 + i);
                    FloatVector y = FloatVector.fromArray(S, b, b0 + i);
                    s00 = x0.fma(y, s00);
                    s10 = x1.fma(y, s10);
                    y = FloatVector.fromArray(S, b, b1 + i);
                    s01 = x0.fma(y, s01);
                    s11 = x1.fma(y, s11);
                    y = FloatVector.fromArray(S, b, b2 + i);
                    s02 = x0.fma(y, s02);
                    s12 = x1.fma(y, s12);
                    y = FloatVector.fromArray(S, b, b3 + i);
                    s03 = x0.fma(y, s03);
                    s13 = x1.fma(y, s13);
                }
                s00.intoArray(lanes, 0);  // summed from memory: cheaper than reading the lanes out of registers
                s01.intoArray(lanes, L);
                s02.intoArray(lanes, 2 * L);
                s03.intoArray(lanes, 3 * L);
                s10.intoArray(lanes, 4 * L);
                s11.intoArray(lanes, 5 * L);
                s12.intoArray(lanes, 6 * L);
                s13.intoArray(lanes, 7 * L);
                double[] t = new double[8];
                for (int k = 0; k < 8; k++) {
                    t[k] = LaneSum.of(lanes, k * L);
                }
                for (int i = up; i < n; i++) {
                    for (int k = 0; k < 4; k++) {
                        t[k] += (double) a[a0 + i] * b[b0 + k * stride + i];
                        t[4 + k] += (double) a[a1 + i] * b[b0 + k * stride + i];
                    }
                }
                for (int k = 0; k < 4; k++) {
                    out[r * bRows + q + k] += t[k];
                    out[(r + 1) * bRows + q + k] += t[4 + k];
                }
            }
            for (; q < bRows; q++) {
                out[r * bRows + q] += dot(a, a0, b, bo + q * stride, n);
                out[(r + 1) * bRows + q] += dot(a, a1, b, bo + q * stride, n);
            }
        }
        for (; r < aRows; r++) {
            for (int q = 0; q < bRows; q++) {
                out[r * bRows + q] += dot(a, ao + r * stride, b, bo + q * stride, n);
            }
        }
    }

    /**
     * See {@link org.distill4j.kernels.Blas1#axpyRows}: four rows at a time along the whole of
     * {@code y}, so that the rows are read in order, each once (a row-major block is one sequential
     * stream) while {@code y} stays in the first-level cache; the last partial vector masked.
     */
    public static void axpyRows(float[] a, int ao, int stride, int rows, float[] x, int xo, float[] y, int yo, int n) {
        int up = S.loopBound(n);
        // The tail's mask is made where it is used, never held as a possibly-null variable: C2 of JDK 17
        // crashed (SIGSEGV in GraphKit::unbox_vector) compiling this method with a null mask on the path.
        int r = 0;
        for (; r + 3 < rows; r += 4) {
            int o = ao + r * stride;
            FloatVector x0 = FloatVector.broadcast(S, x[xo + r]);
            FloatVector x1 = FloatVector.broadcast(S, x[xo + r + 1]);
            FloatVector x2 = FloatVector.broadcast(S, x[xo + r + 2]);
            FloatVector x3 = FloatVector.broadcast(S, x[xo + r + 3]);
            int i = 0;
            for (; i < up; i += L) {
                FloatVector acc = FloatVector.fromArray(S, a, o + i).fma(x0, FloatVector.fromArray(S, y, yo + i));
                acc = FloatVector.fromArray(S, a, o + stride + i).fma(x1, acc);
                acc = FloatVector.fromArray(S, a, o + 2 * stride + i).fma(x2, acc);
                FloatVector.fromArray(S, a, o + 3 * stride + i).fma(x3, acc).intoArray(y, yo + i);
            }
            if (i < n) {
                VectorMask<Float> tail = S.indexInRange(i, n);
                FloatVector acc = FloatVector.fromArray(S, a, o + i, tail).fma(x0, FloatVector.fromArray(S, y, yo + i, tail));
                acc = FloatVector.fromArray(S, a, o + stride + i, tail).fma(x1, acc);
                acc = FloatVector.fromArray(S, a, o + 2 * stride + i, tail).fma(x2, acc);
                FloatVector.fromArray(S, a, o + 3 * stride + i, tail).fma(x3, acc).intoArray(y, yo + i, tail);
            }
        }
        for (; r < rows; r++) {
            int o = ao + r * stride;
            FloatVector x0 = FloatVector.broadcast(S, x[xo + r]);
            int i = 0;
            for (; i < up; i += L) {
                FloatVector.fromArray(S, a, o + i).fma(x0, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
            }
            if (i < n) {
                VectorMask<Float> tail = S.indexInRange(i, n);
                FloatVector.fromArray(S, a, o + i, tail).fma(x0, FloatVector.fromArray(S, y, yo + i, tail)).intoArray(y, yo + i, tail);
            }
        }
    }

    /**
     * See {@link org.distill4j.kernels.Blas1#dots5x4}: 5 x 4 tiles (20 accumulators, 5 + 4 loads per
     * step), the last partial vector of {@code n} masked; then the leftover pairs one {@link #dot} each.
     */
    public static void dots5x4(float[] a, int ao, int aRows, float[] b, int bo, int bRows, int stride, int n, double[] out) {
        int full = aRows - aRows % 5;
        int fullB = bRows - bRows % 4;
        int up = S.loopBound(n);
        float[] t = new float[20 * L];   // the accumulators' lanes
        // No mask variable that may be null (see axpyRows): the tail's is made in its loop.
        for (int r = 0; r < full; r += 5) {
            int a0 = ao + r * stride;
            for (int q = 0; q < fullB; q += 4) {
                int b0 = bo + q * stride;
                FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
                FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
                FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
                FloatVector s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S), s33 = FloatVector.zero(S);
                FloatVector s40 = FloatVector.zero(S), s41 = FloatVector.zero(S), s42 = FloatVector.zero(S), s43 = FloatVector.zero(S);
                for (int i = 0; i < up; i += L) {
                    FloatVector x0 = FloatVector.fromArray(S, a, a0 + i);
                    FloatVector x1 = FloatVector.fromArray(S, a, a0 + stride + i);
                    FloatVector x2 = FloatVector.fromArray(S, a, a0 + 2 * stride + i);
                    FloatVector x3 = FloatVector.fromArray(S, a, a0 + 3 * stride + i);
                    FloatVector x4 = FloatVector.fromArray(S, a, a0 + 4 * stride + i);
                    FloatVector y = FloatVector.fromArray(S, b, b0 + i);
                    s00 = x0.fma(y, s00);
                    s10 = x1.fma(y, s10);
                    s20 = x2.fma(y, s20);
                    s30 = x3.fma(y, s30);
                    s40 = x4.fma(y, s40);
                    y = FloatVector.fromArray(S, b, b0 + stride + i);
                    s01 = x0.fma(y, s01);
                    s11 = x1.fma(y, s11);
                    s21 = x2.fma(y, s21);
                    s31 = x3.fma(y, s31);
                    s41 = x4.fma(y, s41);
                    y = FloatVector.fromArray(S, b, b0 + 2 * stride + i);
                    s02 = x0.fma(y, s02);
                    s12 = x1.fma(y, s12);
                    s22 = x2.fma(y, s22);
                    s32 = x3.fma(y, s32);
                    s42 = x4.fma(y, s42);
                    y = FloatVector.fromArray(S, b, b0 + 3 * stride + i);
                    s03 = x0.fma(y, s03);
                    s13 = x1.fma(y, s13);
                    s23 = x2.fma(y, s23);
                    s33 = x3.fma(y, s33);
                    s43 = x4.fma(y, s43);
                }
                for (int i = up; i < n; i += L) {   // at most once: the masked last vector
                    VectorMask<Float> m = S.indexInRange(i, n);
                    FloatVector x0 = FloatVector.fromArray(S, a, a0 + i, m);
                    FloatVector x1 = FloatVector.fromArray(S, a, a0 + stride + i, m);
                    FloatVector x2 = FloatVector.fromArray(S, a, a0 + 2 * stride + i, m);
                    FloatVector x3 = FloatVector.fromArray(S, a, a0 + 3 * stride + i, m);
                    FloatVector x4 = FloatVector.fromArray(S, a, a0 + 4 * stride + i, m);
                    FloatVector y = FloatVector.fromArray(S, b, b0 + i, m);
                    s00 = x0.fma(y, s00);
                    s10 = x1.fma(y, s10);
                    s20 = x2.fma(y, s20);
                    s30 = x3.fma(y, s30);
                    s40 = x4.fma(y, s40);
                    y = FloatVector.fromArray(S, b, b0 + stride + i, m);
                    s01 = x0.fma(y, s01);
                    s11 = x1.fma(y, s11);
                    s21 = x2.fma(y, s21);
                    s31 = x3.fma(y, s31);
                    s41 = x4.fma(y, s41);
                    y = FloatVector.fromArray(S, b, b0 + 2 * stride + i, m);
                    s02 = x0.fma(y, s02);
                    s12 = x1.fma(y, s12);
                    s22 = x2.fma(y, s22);
                    s32 = x3.fma(y, s32);
                    s42 = x4.fma(y, s42);
                    y = FloatVector.fromArray(S, b, b0 + 3 * stride + i, m);
                    s03 = x0.fma(y, s03);
                    s13 = x1.fma(y, s13);
                    s23 = x2.fma(y, s23);
                    s33 = x3.fma(y, s33);
                    s43 = x4.fma(y, s43);
                }
                // Stored and summed from memory: cheaper than reading 160 lanes out of registers.
                s00.intoArray(t, 0);
                s01.intoArray(t, L);
                s02.intoArray(t, 2 * L);
                s03.intoArray(t, 3 * L);
                s10.intoArray(t, 4 * L);
                s11.intoArray(t, 5 * L);
                s12.intoArray(t, 6 * L);
                s13.intoArray(t, 7 * L);
                s20.intoArray(t, 8 * L);
                s21.intoArray(t, 9 * L);
                s22.intoArray(t, 10 * L);
                s23.intoArray(t, 11 * L);
                s30.intoArray(t, 12 * L);
                s31.intoArray(t, 13 * L);
                s32.intoArray(t, 14 * L);
                s33.intoArray(t, 15 * L);
                s40.intoArray(t, 16 * L);
                s41.intoArray(t, 17 * L);
                s42.intoArray(t, 18 * L);
                s43.intoArray(t, 19 * L);
                for (int rr = 0; rr < 5; rr++) {
                    for (int qq = 0; qq < 4; qq++) {
                        out[(r + rr) * bRows + q + qq] += LaneSum.of(t, (4 * rr + qq) * L);
                    }
                }
            }
        }
        for (int r = 0; r < aRows; r++) {
            for (int q = r < full ? fullB : 0; q < bRows; q++) {
                out[r * bRows + q] += dot(a, ao + r * stride, b, bo + q * stride, n);
            }
        }
    }

    /**
     * See {@link org.distill4j.kernels.Blas1#dotAffine}: row by row, {@code t_r = W_r . h} in two
     * vector accumulators and {@code acc += g_r t_r} lane by lane, one reduction at the end. The
     * first row reads all of {@code h} in its first few instructions, so that when {@code h} is not
     * in cache (one candidate's embedding among thousands) its cache lines are fetched together.
     */
    public static double dotAffine(float[] g, int go, double[] b, double[] w, int rows, int cols, double[] h, int ho) {
        int dl = D.length();
        int up = D.loopBound(cols);
        double gb = 0;
        DoubleVector acc = DoubleVector.zero(D);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            DoubleVector t0 = DoubleVector.zero(D);
            DoubleVector t1 = DoubleVector.zero(D);
            int q = 0;
            for (; q + dl < up; q += 2 * dl) {
                t0 = DoubleVector.fromArray(D, w, o + q).fma(DoubleVector.fromArray(D, h, ho + q), t0);
                t1 = DoubleVector.fromArray(D, w, o + q + dl).fma(DoubleVector.fromArray(D, h, ho + q + dl), t1);
            }
            if (q < up) {
                t0 = DoubleVector.fromArray(D, w, o + q).fma(DoubleVector.fromArray(D, h, ho + q), t0);
                q += dl;
            }
            if (q < cols) {
                VectorMask<Double> tail = D.indexInRange(q, cols);   // made here, never a null variable (see axpyRows)
                t1 = DoubleVector.fromArray(D, w, o + q, tail).fma(DoubleVector.fromArray(D, h, ho + q, tail), t1);
            }
            acc = t0.add(t1).fma(DoubleVector.broadcast(D, g[go + r]), acc);
            gb += g[go + r] * b[r];
        }
        return gb + LaneSum.of(acc);
    }

    /**
     * See {@link org.distill4j.kernels.Blas1#affineColumns}: four vectors of columns at a time, the
     * rows five at a time (20 accumulators {@code t}, one load of each {@code h} row per 20 FMAs
     * instead of per 4), then one row at a time; one vector of columns at a time after that, the
     * last partial one masked. Each column's operations are those of a plain loop in the order
     * written, with FMAs: {@code t_r = fma(h_q, w_rq, t_r)} from {@code t_r = b_r} over {@code q},
     * then {@code out = fma(g_r, t_r, out)} over {@code r} in order.
     */
    public static void affineColumns(float[] g, int go, int rows, float[] h, int ho, int cols, int stride, float[] w,
                                     float[] b, float[] out, int oo, int n) {
        int i = 0;
        int full = rows - rows % 5;
        for (; i <= n - 4 * L; i += 4 * L) {
            FloatVector o0 = FloatVector.zero(S);
            FloatVector o1 = FloatVector.zero(S);
            FloatVector o2 = FloatVector.zero(S);
            FloatVector o3 = FloatVector.zero(S);
            int r = 0;
            for (; r < full; r += 5) {
                FloatVector b0 = FloatVector.broadcast(S, b[r]);
                FloatVector b1 = FloatVector.broadcast(S, b[r + 1]);
                FloatVector b2 = FloatVector.broadcast(S, b[r + 2]);
                FloatVector b3 = FloatVector.broadcast(S, b[r + 3]);
                FloatVector b4 = FloatVector.broadcast(S, b[r + 4]);
                FloatVector t00 = b0, t01 = b0, t02 = b0, t03 = b0;
                FloatVector t10 = b1, t11 = b1, t12 = b1, t13 = b1;
                FloatVector t20 = b2, t21 = b2, t22 = b2, t23 = b2;
                FloatVector t30 = b3, t31 = b3, t32 = b3, t33 = b3;
                FloatVector t40 = b4, t41 = b4, t42 = b4, t43 = b4;
                int hq = ho + i;
                int w0 = r * cols;
                for (int q = 0; q < cols; q++, hq += stride) {
                    FloatVector h0 = FloatVector.fromArray(S, h, hq);
                    FloatVector h1 = FloatVector.fromArray(S, h, hq + L);
                    FloatVector h2 = FloatVector.fromArray(S, h, hq + 2 * L);
                    FloatVector h3 = FloatVector.fromArray(S, h, hq + 3 * L);
                    FloatVector wq = FloatVector.broadcast(S, w[w0 + q]);
                    t00 = h0.fma(wq, t00);
                    t01 = h1.fma(wq, t01);
                    t02 = h2.fma(wq, t02);
                    t03 = h3.fma(wq, t03);
                    wq = FloatVector.broadcast(S, w[w0 + cols + q]);
                    t10 = h0.fma(wq, t10);
                    t11 = h1.fma(wq, t11);
                    t12 = h2.fma(wq, t12);
                    t13 = h3.fma(wq, t13);
                    wq = FloatVector.broadcast(S, w[w0 + 2 * cols + q]);
                    t20 = h0.fma(wq, t20);
                    t21 = h1.fma(wq, t21);
                    t22 = h2.fma(wq, t22);
                    t23 = h3.fma(wq, t23);
                    wq = FloatVector.broadcast(S, w[w0 + 3 * cols + q]);
                    t30 = h0.fma(wq, t30);
                    t31 = h1.fma(wq, t31);
                    t32 = h2.fma(wq, t32);
                    t33 = h3.fma(wq, t33);
                    wq = FloatVector.broadcast(S, w[w0 + 4 * cols + q]);
                    t40 = h0.fma(wq, t40);
                    t41 = h1.fma(wq, t41);
                    t42 = h2.fma(wq, t42);
                    t43 = h3.fma(wq, t43);
                }
                int gr = go + r * stride + i;
                o0 = FloatVector.fromArray(S, g, gr).fma(t00, o0);
                o1 = FloatVector.fromArray(S, g, gr + L).fma(t01, o1);
                o2 = FloatVector.fromArray(S, g, gr + 2 * L).fma(t02, o2);
                o3 = FloatVector.fromArray(S, g, gr + 3 * L).fma(t03, o3);
                gr += stride;
                o0 = FloatVector.fromArray(S, g, gr).fma(t10, o0);
                o1 = FloatVector.fromArray(S, g, gr + L).fma(t11, o1);
                o2 = FloatVector.fromArray(S, g, gr + 2 * L).fma(t12, o2);
                o3 = FloatVector.fromArray(S, g, gr + 3 * L).fma(t13, o3);
                gr += stride;
                o0 = FloatVector.fromArray(S, g, gr).fma(t20, o0);
                o1 = FloatVector.fromArray(S, g, gr + L).fma(t21, o1);
                o2 = FloatVector.fromArray(S, g, gr + 2 * L).fma(t22, o2);
                o3 = FloatVector.fromArray(S, g, gr + 3 * L).fma(t23, o3);
                gr += stride;
                o0 = FloatVector.fromArray(S, g, gr).fma(t30, o0);
                o1 = FloatVector.fromArray(S, g, gr + L).fma(t31, o1);
                o2 = FloatVector.fromArray(S, g, gr + 2 * L).fma(t32, o2);
                o3 = FloatVector.fromArray(S, g, gr + 3 * L).fma(t33, o3);
                gr += stride;
                o0 = FloatVector.fromArray(S, g, gr).fma(t40, o0);
                o1 = FloatVector.fromArray(S, g, gr + L).fma(t41, o1);
                o2 = FloatVector.fromArray(S, g, gr + 2 * L).fma(t42, o2);
                o3 = FloatVector.fromArray(S, g, gr + 3 * L).fma(t43, o3);
            }
            for (; r < rows; r++) {
                FloatVector t0 = FloatVector.broadcast(S, b[r]);
                FloatVector t1 = t0;
                FloatVector t2 = t0;
                FloatVector t3 = t0;
                int hq = ho + i;
                for (int q = 0; q < cols; q++, hq += stride) {
                    FloatVector wq = FloatVector.broadcast(S, w[r * cols + q]);
                    t0 = FloatVector.fromArray(S, h, hq).fma(wq, t0);
                    t1 = FloatVector.fromArray(S, h, hq + L).fma(wq, t1);
                    t2 = FloatVector.fromArray(S, h, hq + 2 * L).fma(wq, t2);
                    t3 = FloatVector.fromArray(S, h, hq + 3 * L).fma(wq, t3);
                }
                int gr = go + r * stride + i;
                o0 = FloatVector.fromArray(S, g, gr).fma(t0, o0);
                o1 = FloatVector.fromArray(S, g, gr + L).fma(t1, o1);
                o2 = FloatVector.fromArray(S, g, gr + 2 * L).fma(t2, o2);
                o3 = FloatVector.fromArray(S, g, gr + 3 * L).fma(t3, o3);
            }
            o0.intoArray(out, oo + i);
            o1.intoArray(out, oo + i + L);
            o2.intoArray(out, oo + i + 2 * L);
            o3.intoArray(out, oo + i + 3 * L);
        }
        for (; i < n; i += L) {
            VectorMask<Float> m = i + L <= n ? S.maskAll(true) : S.indexInRange(i, n);
            FloatVector o0 = FloatVector.zero(S);
            for (int r = 0; r < rows; r++) {
                FloatVector t0 = FloatVector.broadcast(S, b[r]);
                int hq = ho + i;
                for (int q = 0; q < cols; q++, hq += stride) {
                    t0 = FloatVector.fromArray(S, h, hq, m).fma(FloatVector.broadcast(S, w[r * cols + q]), t0);
                }
                o0 = FloatVector.fromArray(S, g, go + r * stride + i, m).fma(t0, o0);
            }
            o0.intoArray(out, oo + i, m);
        }
    }

    private static final double[] TAYLOR = org.distill4j.kernels.Blas1.expTaylor();
    private static final VectorSpecies<Double> D = VectorWidth.F64;

    /** See {@link org.distill4j.kernels.Blas1#scaleByExpPlain}: the same operations, lane by lane, then the tail in order. */
    public static void scaleByExp(double[] p, int po, double scale, double[] s, int so, int n, int k) {
        double[] c = TAYLOR;
        DoubleVector vs = DoubleVector.broadcast(D, scale);
        int i = 0;
        int up = D.loopBound(n);
        for (; i < up; i += D.length()) {
            DoubleVector y = DoubleVector.fromArray(D, s, so + i).mul(vs);
            DoubleVector r = DoubleVector.broadcast(D, c[0]);
            for (int j = 1; j < c.length; j++) {
                r = r.mul(y).add(c[j]);
            }
            for (int j = 0; j < k; j++) {
                r = r.mul(r);
            }
            DoubleVector.fromArray(D, p, po + i).mul(r).intoArray(p, po + i);
        }
        if (i < n) {
            org.distill4j.kernels.Blas1.scaleByExpPlain(p, po + i, scale, s, so + i, n - i, k);
        }
    }

    /**
     * See {@link org.distill4j.kernels.Blas1#scaleByExpAndSum}: {@link #scaleByExp}'s operations, then
     * the sum, lane by lane; the eleven coefficients broadcast once, not once per vector.
     */
    public static void scaleByExpAndSum(double[] p, int po, double scale, double[] s, int so, int n, int k, double[] sum,
                                        int sumo) {
        double[] c = TAYLOR;
        DoubleVector vs = DoubleVector.broadcast(D, scale);
        DoubleVector c0 = DoubleVector.broadcast(D, c[0]);
        DoubleVector c1 = DoubleVector.broadcast(D, c[1]);
        DoubleVector c2 = DoubleVector.broadcast(D, c[2]);
        DoubleVector c3 = DoubleVector.broadcast(D, c[3]);
        DoubleVector c4 = DoubleVector.broadcast(D, c[4]);
        DoubleVector c5 = DoubleVector.broadcast(D, c[5]);
        DoubleVector c6 = DoubleVector.broadcast(D, c[6]);
        DoubleVector c7 = DoubleVector.broadcast(D, c[7]);
        DoubleVector c8 = DoubleVector.broadcast(D, c[8]);
        DoubleVector c9 = DoubleVector.broadcast(D, c[9]);
        DoubleVector c10 = DoubleVector.broadcast(D, c[10]);
        int i = 0;
        int up = D.loopBound(n);
        for (; i < up; i += D.length()) {
            DoubleVector y = DoubleVector.fromArray(D, s, so + i).mul(vs);
            DoubleVector r = c0.mul(y).add(c1);
            r = r.mul(y).add(c2);
            r = r.mul(y).add(c3);
            r = r.mul(y).add(c4);
            r = r.mul(y).add(c5);
            r = r.mul(y).add(c6);
            r = r.mul(y).add(c7);
            r = r.mul(y).add(c8);
            r = r.mul(y).add(c9);
            r = r.mul(y).add(c10);
            for (int j = 0; j < k; j++) {
                r = r.mul(r);
            }
            DoubleVector v = DoubleVector.fromArray(D, p, po + i).mul(r);
            v.intoArray(p, po + i);
            DoubleVector.fromArray(D, sum, sumo + i).add(v).intoArray(sum, sumo + i);
        }
        if (i < n) {
            // The last partial vector, the same operations through a mask.
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector y = DoubleVector.fromArray(D, s, so + i, m).mul(vs);
            DoubleVector r = c0.mul(y).add(c1);
            r = r.mul(y).add(c2);
            r = r.mul(y).add(c3);
            r = r.mul(y).add(c4);
            r = r.mul(y).add(c5);
            r = r.mul(y).add(c6);
            r = r.mul(y).add(c7);
            r = r.mul(y).add(c8);
            r = r.mul(y).add(c9);
            r = r.mul(y).add(c10);
            for (int j = 0; j < k; j++) {
                r = r.mul(r);
            }
            DoubleVector v = DoubleVector.fromArray(D, p, po + i, m).mul(r);
            v.intoArray(p, po + i, m);
            DoubleVector.fromArray(D, sum, sumo + i, m).add(v).intoArray(sum, sumo + i, m);
        }
    }

    /** See {@link org.distill4j.kernels.Blas1#add}: the last partial vector masked. */
    public static void add(double[] x, int xo, double[] y, int yo, int n) {
        int i = 0;
        int up = D.loopBound(n);
        for (; i < up; i += D.length()) {
            DoubleVector.fromArray(D, x, xo + i).add(DoubleVector.fromArray(D, y, yo + i)).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector.fromArray(D, x, xo + i, m).add(DoubleVector.fromArray(D, y, yo + i, m)).intoArray(y, yo + i, m);
        }
    }

    /** The upper half of a float vector: where {@code DoubleVector.convert(D2F, -1)} puts its lanes. */
    private static final VectorMask<Float> UPPER = S.indexInRange(0, D.length()).not();

    /**
     * See {@link org.distill4j.kernels.Blas1#scaleRoundMinus}: two double vectors at a time,
     * converted into the lower and upper halves of one float vector of the same shape (one shape for
     * the whole package; with C2 of JDK 17 this is vector code, where a masked store of one half is
     * not), then one F32 subtraction and store; the last partial pair through masks.
     */
    public static void scaleRoundMinus(double[] p, int po, double[] r, int ro, float[] y, int yo, float[] u, int uo, int n) {
        int dl = D.length();
        int i = 0;
        for (; i <= n - L; i += L) {
            DoubleVector v0 = DoubleVector.fromArray(D, p, po + i).mul(DoubleVector.fromArray(D, r, ro + i));
            DoubleVector v1 = DoubleVector.fromArray(D, p, po + i + dl).mul(DoubleVector.fromArray(D, r, ro + i + dl));
            v0.intoArray(p, po + i);
            v1.intoArray(p, po + i + dl);
            FloatVector f0 = (FloatVector) v0.convert(VectorOperators.D2F, 0);
            FloatVector f1 = (FloatVector) v1.convert(VectorOperators.D2F, -1);
            f0.blend(f1, UPPER).sub(FloatVector.fromArray(S, y, yo + i)).intoArray(u, uo + i);
        }
        if (i < n) {
            VectorMask<Double> m0 = D.indexInRange(i, n);
            VectorMask<Double> m1 = D.indexInRange(i + dl, n);
            VectorMask<Float> mf = S.indexInRange(i, n);
            DoubleVector v0 = DoubleVector.fromArray(D, p, po + i, m0).mul(DoubleVector.fromArray(D, r, ro + i, m0));
            DoubleVector v1 = DoubleVector.fromArray(D, p, po + i + dl, m1).mul(DoubleVector.fromArray(D, r, ro + i + dl, m1));
            v0.intoArray(p, po + i, m0);
            v1.intoArray(p, po + i + dl, m1);
            FloatVector f0 = (FloatVector) v0.convert(VectorOperators.D2F, 0);
            FloatVector f1 = (FloatVector) v1.convert(VectorOperators.D2F, -1);
            f0.blend(f1, UPPER).sub(FloatVector.fromArray(S, y, yo + i, mf)).intoArray(u, uo + i, mf);
        }
    }
}
