package org.distill4j.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API paths of {@link org.distill4j.kernels.Blas1}; touched only when
 * {@link VectorSupport#AVAILABLE}. 256-bit vectors, as every Vector API class of this package
 * (see {@link VectorReduceF32} for why one shape).
 */
public final class VectorBlas1 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256
            ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED;
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
            double block = s0.add(s1).reduceLanes(VectorOperators.ADD);
            for (; i < len; i++) {
                block += (double) x[xo + b + i] * y[yo + b + i];
            }
            total += block;
        }
        return total;
    }

    /** See {@link org.distill4j.kernels.Blas1#dots}: 2 x 4 tiles, then the leftover rows and columns one dot at a time. */
    public static void dots(float[] a, int ao, int aRows, float[] b, int bo, int bRows, int stride, int n, double[] out) {
        int up = S.loopBound(n);
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
                double[] t = {s00.reduceLanes(VectorOperators.ADD), s01.reduceLanes(VectorOperators.ADD),
                        s02.reduceLanes(VectorOperators.ADD), s03.reduceLanes(VectorOperators.ADD),
                        s10.reduceLanes(VectorOperators.ADD), s11.reduceLanes(VectorOperators.ADD),
                        s12.reduceLanes(VectorOperators.ADD), s13.reduceLanes(VectorOperators.ADD)};
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

    private static final double[] TAYLOR = org.distill4j.kernels.Blas1.expTaylor();
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256
            ? DoubleVector.SPECIES_256 : DoubleVector.SPECIES_PREFERRED;

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
}
