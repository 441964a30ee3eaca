package org.distill4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vector paths of {@link Blas1} against its plain loops (and exp against Math.exp), at lengths around the vector width. */
class Blas1Test {
    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void axpyAndDotMatchThePlainLoops() {
        Random r = new Random(3);
        for (int n : new int[]{0, 1, 7, 8, 9, 31, 64, 1000, 2049}) {
            float[] x = random(r, n + 5);
            float[] y = random(r, n + 5);
            float[] plain = y.clone();
            Blas1.axpyPlain(0.75f, x, 2, plain, 3, n);
            float[] fast = y.clone();
            Blas1.axpy(0.75f, x, 2, fast, 3, n);
            // Vector FMA rounds once where a * x + y rounds twice: equal to within an ulp of the terms.
            for (int i = 0; i < fast.length; i++) {
                assertEquals(plain[i], fast[i], 1e-6f * (1 + Math.abs(plain[i])), "axpy n=" + n + " at " + i);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.abs((double) x[1 + i] * y[4 + i]);
            }
            assertEquals(Blas1.dotPlain(x, 1, y, 4, n), Blas1.dot(x, 1, y, 4, n), 1e-6 * (1 + sum), "dot n=" + n);
        }
    }

    @Test
    void sumPositiveDifferencesIsTheSameOnBothPathsCloseToExactAndMonotone() {
        Random r = new Random(11);
        for (int n : new int[]{0, 1, 7, 8, 15, 16, 17, 31, 255, 256, 257, 1000, 1025, 10_007}) {
            float[] a = random(r, n + 5);
            float[] b = random(r, n + 9);
            double fast = Blas1.sumPositiveDifferences(a, 3, b, 7, n);
            double plain = Blas1.sumPositiveDifferencesPlain(a, 3, b, 7, n);
            assertEquals(plain, fast, 0.0, n + ": the vector path sums the same lanes in the same order");
            double exact = 0;
            double scale = 0;
            for (int i = 0; i < n; i++) {
                double d = (double) a[3 + i] - b[7 + i];
                exact += Math.max(0, d);
                scale += Math.abs(a[3 + i]) + Math.abs(b[7 + i]);
            }
            assertEquals(exact, fast, 1e-6 * scale + 1e-30, n + ": within F32 rounding of the exact sum");
            if (n == 0) {
                assertEquals(0.0, fast, 0.0);
                continue;
            }
            // Raising b (a facility location's current best) never raises the sum, bit for bit.
            float[] higher = b.clone();
            for (int trial = 0; trial < 20; trial++) {
                int i = 7 + r.nextInt(n);
                higher[i] += (float) (r.nextDouble() * (trial % 2 == 0 ? 1e-6 : 1));
                double next = Blas1.sumPositiveDifferences(a, 3, higher, 7, n);
                assertTrue(next <= fast, n + ": trial " + trial + " grew from " + fast + " to " + next);
                assertEquals(Blas1.sumPositiveDifferencesPlain(a, 3, higher, 7, n), next, 0.0);
                fast = next;
            }
        }
    }

    @Test
    void dotsAreEveryRowPairsDotProduct() {
        Random r = new Random(4);
        for (int[] shape : new int[][]{{1, 1, 5}, {2, 4, 16}, {3, 5, 37}, {10, 84, 1024}, {5, 3, 9}}) {
            int ar = shape[0];
            int br = shape[1];
            int n = shape[2];
            int stride = n + 3;
            float[] a = random(r, ar * stride + 2);
            float[] b = random(r, br * stride + 1);
            double[] out = new double[ar * br];
            out[0] = 1.5;   // dots adds to what is there
            Blas1.dots(a, 2, ar, b, 1, br, stride, n, out);
            for (int i = 0; i < ar; i++) {
                for (int q = 0; q < br; q++) {
                    double want = Blas1.dotPlain(a, 2 + i * stride, b, 1 + q * stride, n) + (i == 0 && q == 0 ? 1.5 : 0);
                    assertEquals(want, out[i * br + q], 1e-5 * Math.sqrt(n), "row " + i + " x row " + q + " of " + ar + "x" + br);
                }
            }
        }
    }

    @Test
    void axpyRowsIsOneAxpyPerRowInOrder() {
        Random r = new Random(6);
        for (int[] shape : new int[][]{{1, 1}, {3, 7}, {4, 8}, {5, 9}, {84, 1024}, {10, 880}, {9, 37}}) {
            int rows = shape[0];
            int n = shape[1];
            int stride = n + 5;
            float[] a = random(r, rows * stride + 3);
            float[] x = random(r, rows + 2);
            float[] y = random(r, n + 4);
            float[] chain = y.clone();
            for (int k = 0; k < rows; k++) {
                Blas1.axpy(x[2 + k], a, 3 + k * stride, chain, 1, n);
            }
            float[] fast = y.clone();
            Blas1.axpyRows(a, 3, stride, rows, x, 2, fast, 1, n);
            float[] plain = y.clone();
            Blas1.axpyRowsPlain(a, 3, stride, rows, x, 2, plain, 1, n);
            assertArrayEquals(chainPlain(a, x, y, rows, stride, n), plain, 0f, "the plain loop is axpyPlain row after row");
            if (n % org.distill4j.kernels.cpu.VectorSupport.floatLanes() == 0) {
                // Without a partial vector both paths take one FMA per row and element, in row order.
                assertArrayEquals(chain, fast, 0f, rows + "x" + n + ": axpy row after row");
            }
            for (int i = 0; i < y.length; i++) {
                double scale = 1 + Math.abs(y[i]);
                for (int k = 0; i >= 1 && i < n + 1 && k < rows; k++) {
                    scale += Math.abs((double) x[2 + k] * a[3 + k * stride + i - 1]);
                }
                assertEquals(plain[i], fast[i], 1e-6 * scale, rows + "x" + n + " at " + i);
                if (i < 1 || i >= n + 1) {
                    assertEquals(y[i], fast[i], 0f, "outside the run: untouched");
                }
            }
        }
    }

    /** axpyRowsPlain is axpyPlain row after row (the vector axpy rounds differently at its FMAs). */
    private static float[] chainPlain(float[] a, float[] x, float[] y, int rows, int stride, int n) {
        float[] out = y.clone();
        for (int k = 0; k < rows; k++) {
            Blas1.axpyPlain(x[2 + k], a, 3 + k * stride, out, 1, n);
        }
        return out;
    }

    @Test
    void dots5x4AreEveryRowPairsDotProduct() {
        Random r = new Random(7);
        for (int[] shape : new int[][]{{1, 1, 5}, {5, 4, 16}, {10, 84, 1024}, {10, 84, 880}, {7, 6, 37}, {11, 9, 3}, {5, 4, 0}}) {
            int ar = shape[0];
            int br = shape[1];
            int n = shape[2];
            int stride = n + 3;
            float[] a = random(r, ar * stride + 2);
            float[] b = random(r, br * stride + 1);
            double[] out = new double[ar * br];
            out[ar * br - 1] = -2.5;   // adds to what is there
            Blas1.dots5x4(a, 2, ar, b, 1, br, stride, n, out);
            for (int i = 0; i < ar; i++) {
                for (int q = 0; q < br; q++) {
                    double want = Blas1.dotPlain(a, 2 + i * stride, b, 1 + q * stride, n) + (i == ar - 1 && q == br - 1 ? -2.5 : 0);
                    assertEquals(want, out[i * br + q], 1e-5 * Math.sqrt(n + 1), "row " + i + " x row " + q + " of " + ar + "x" + br + "x" + n);
                }
            }
        }
    }

    @Test
    void dotAffineIsGAlongBPlusWh() {
        Random r = new Random(8);
        for (int[] shape : new int[][]{{1, 1}, {3, 4}, {10, 84}, {4, 13}, {2, 7}}) {
            int rows = shape[0];
            int cols = shape[1];
            float[] g = random(r, rows + 1);
            double[] b = new double[rows];
            double[] w = new double[rows * cols];
            double[] h = new double[cols + 3];
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextGaussian();
            }
            for (int i = 0; i < w.length; i++) {
                w[i] = r.nextGaussian();
            }
            for (int i = 0; i < h.length; i++) {
                h[i] = r.nextGaussian();
            }
            // Written out: g . (b + W h).
            double want = 0;
            double scale = 0;
            for (int k = 0; k < rows; k++) {
                double a = b[k];
                for (int q = 0; q < cols; q++) {
                    a += w[k * cols + q] * h[2 + q];
                    scale += Math.abs(g[1 + k] * w[k * cols + q] * h[2 + q]);
                }
                want += g[1 + k] * a;
            }
            assertEquals(want, Blas1.dotAffinePlain(g, 1, b, w, rows, cols, h, 2), 1e-13 * (1 + scale), rows + "x" + cols);
            assertEquals(want, Blas1.dotAffine(g, 1, b, w, rows, cols, h, 2), 1e-13 * (1 + scale), rows + "x" + cols);
        }
    }

    @Test
    void affineColumnsAreWithinTheirF32BoundOfTheExactValues() {
        Random r = new Random(9);
        for (int[] shape : new int[][]{{1, 1, 1}, {10, 84, 1024}, {10, 84, 880}, {4, 8, 37}, {3, 5, 64}, {2, 3, 5}}) {
            int rows = shape[0];
            int cols = shape[1];
            int n = shape[2];
            int stride = n + 3;
            float[] g = random(r, rows * stride + 1);
            float[] h = random(r, cols * stride + 2);
            float[] w = random(r, rows * cols);
            float[] b = random(r, rows);
            float[] out = new float[n + 4];
            float[] plain = new float[n + 4];
            Blas1.affineColumns(g, 1, rows, h, 2, cols, stride, w, b, out, 3, n);
            Blas1.affineColumnsPlain(g, 1, rows, h, 2, cols, stride, w, b, plain, 3, n);
            double bNorm = 0;
            double wNorm = 0;
            for (float v : b) {
                bNorm += v * v;
            }
            for (float v : w) {
                wNorm += v * v;
            }
            for (int i = 0; i < n; i++) {
                double exact = 0;
                double gNorm = 0;
                double hNorm = 0;
                for (int k = 0; k < rows; k++) {
                    double t = b[k];
                    for (int q = 0; q < cols; q++) {
                        t += (double) w[k * cols + q] * h[2 + q * stride + i];
                    }
                    exact += g[1 + k * stride + i] * t;
                    gNorm += (double) g[1 + k * stride + i] * g[1 + k * stride + i];
                }
                for (int q = 0; q < cols; q++) {
                    hNorm += (double) h[2 + q * stride + i] * h[2 + q * stride + i];
                }
                double tol = (rows + cols + 3) * Math.scalb(1.0, -24) * Math.sqrt(gNorm) * (Math.sqrt(bNorm) + Math.sqrt(wNorm * hNorm));
                assertEquals(exact, out[3 + i], tol, "vector path, " + rows + "x" + cols + " column " + i);
                assertEquals(exact, plain[3 + i], tol, "plain path, " + rows + "x" + cols + " column " + i);
            }
            assertEquals(0f, out[0], 0f, "before the run: untouched");
            assertEquals(0f, out[n + 3], 0f, "after the run: untouched");
        }
    }

    /** {@link Blas1#affineColumns}'s chains as a plain loop with {@link Math#fma}, in the order its javadoc gives. */
    private static float affineColumnFma(float[] g, int go, int rows, float[] h, int ho, int cols, int stride, float[] w,
                                         float[] b, int i) {
        float total = 0;
        for (int r = 0; r < rows; r++) {
            float t = b[r];
            for (int q = 0; q < cols; q++) {
                t = Math.fma(h[ho + q * stride + i], w[r * cols + q], t);
            }
            total = Math.fma(g[go + r * stride + i], t, total);
        }
        return total;
    }

    @Test
    void affineColumnsVectorPathIsTheFmaChainInOrderBitForBit() {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.distill4j.kernels.cpu.VectorSupport.AVAILABLE);
        Random r = new Random(19);
        // Rows: whole tiles of 5, tiles and leftover rows, leftover rows only; columns: whole blocks of
        // four vectors, blocks and single vectors, a partial last vector, fewer than one vector.
        for (int[] shape : new int[][]{{10, 84, 1024}, {10, 84, 997}, {7, 5, 70}, {5, 3, 33}, {3, 4, 41}, {1, 1, 1},
            {12, 9, 64}, {6, 2, 7}}) {
            int rows = shape[0];
            int cols = shape[1];
            int n = shape[2];
            int stride = n + 5;
            float[] g = random(r, rows * stride + 1);
            float[] h = random(r, cols * stride + 2);
            float[] w = random(r, rows * cols);
            float[] b = random(r, rows);
            float[] out = new float[n + 4];
            org.distill4j.kernels.cpu.VectorBlas1.affineColumns(g, 1, rows, h, 2, cols, stride, w, b, out, 3, n);
            for (int i = 0; i < n; i++) {
                assertEquals(affineColumnFma(g, 1, rows, h, 2, cols, stride, w, b, i), out[3 + i], 0f,
                        rows + "x" + cols + " n=" + n + " column " + i);
            }
            assertEquals(0f, out[2], 0f, "before the run: untouched");
            assertEquals(0f, out[n + 3], 0f, "after the run: untouched");
        }
    }

    @Test
    void scaleByExpIsExpToRoundingAndTheSameOnBothPaths() {
        Random r = new Random(5);
        for (double a : new double[]{0.0, 1e-3, -0.37, 2.5, -40}) {
            int n = 103;
            double[] s = new double[n];
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = r.nextGaussian() * 3;
                p[i] = 0.5 + r.nextDouble();
            }
            double[] fast = p.clone();
            Blas1.scaleByExp(fast, 0, a, s, 0, n);
            for (int i = 0; i < n; i++) {
                double want = p[i] * Math.exp(a * s[i]);
                assertEquals(want, fast[i], 1e-11 * want, "a=" + a + " s=" + s[i]);
            }
            // The plain reference with the same power of two gives the same bits.
            double max = 0;
            for (double v : s) {
                max = Math.max(max, Math.abs(a * v));
            }
            int k = 0;
            while (max > 0.25) {
                max *= 0.5;
                k++;
            }
            double[] plain = p.clone();
            Blas1.scaleByExpPlain(plain, 0, Math.scalb(a, -k), s, 0, n, k);
            assertArrayEquals(plain, fast, 0, "a=" + a);
        }
    }

    @Test
    void scaleByExpAndSumIsScaleByExpThenTheSumBitForBit() {
        Random r = new Random(21);
        for (double a : new double[]{0.0, -1e-3, 0.37, -2.5, 40, 900}) {
            for (int n : new int[]{0, 1, 3, 4, 5, 9, 103, 1024}) {
                double[] s = new double[n + 2];
                double[] p = new double[n + 3];
                double[] sum = new double[n + 4];
                double sMax = 0;
                for (int i = 0; i < s.length; i++) {
                    s[i] = r.nextGaussian() * 3;
                    if (i >= 1 && i < n + 1) {
                        sMax = Math.max(sMax, Math.abs(s[i]));
                    }
                }
                for (int i = 0; i < p.length; i++) {
                    p[i] = 0.5 + r.nextDouble();
                }
                for (int i = 0; i < sum.length; i++) {
                    sum[i] = r.nextDouble();
                }
                double[] want = p.clone();
                Blas1.scaleByExp(want, 2, a, s, 1, n, sMax);
                double[] wantSum = sum.clone();
                for (int i = 0; i < n; i++) {
                    wantSum[3 + i] += want[2 + i];
                }
                double[] fast = p.clone();
                double[] fastSum = sum.clone();
                Blas1.scaleByExpAndSum(fast, 2, a, s, 1, n, sMax, fastSum, 3);
                assertArrayEquals(want, fast, 0, "p, a=" + a + " n=" + n);
                assertArrayEquals(wantSum, fastSum, 0, "sum, a=" + a + " n=" + n);
                if (a == 0.37 && n > 0) {
                    // And the plain reference, with the power of two scaleByExp chooses, gives the same bits.
                    double max = Math.abs(a) * sMax;
                    int k = 0;
                    while (max > 0.25) {
                        max *= 0.5;
                        k++;
                    }
                    double[] plain = p.clone();
                    double[] plainSum = sum.clone();
                    Blas1.scaleByExpAndSumPlain(plain, 2, Math.scalb(a, -k), s, 1, n, k, plainSum, 3);
                    assertArrayEquals(want, plain, 0, "plain p, n=" + n);
                    assertArrayEquals(wantSum, plainSum, 0, "plain sum, n=" + n);
                    assertEquals(p[2] * Math.exp(a * s[1]), fast[2], 1e-11 * fast[2], "exp itself");
                }
            }
        }
    }

    @Test
    void addAndScaleRoundMinusAreThePlainLoopsBitForBit() {
        Random r = new Random(22);
        for (int n : new int[]{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 1023, 1024}) {
            double[] x = new double[n + 2];
            double[] y = new double[n + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextGaussian();
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextGaussian();
            }
            double[] want = y.clone();
            for (int i = 0; i < n; i++) {
                want[3 + i] += x[1 + i];
            }
            double[] got = y.clone();
            Blas1.add(x, 1, got, 3, n);
            assertArrayEquals(want, got, 0, "add n=" + n);

            double[] p = new double[n + 2];
            double[] scale = new double[n + 1];
            float[] labels = new float[n + 4];
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextDouble();
            }
            for (int i = 0; i < scale.length; i++) {
                scale[i] = 1 / (0.5 + r.nextDouble());
            }
            for (int i = 0; i < labels.length; i++) {
                labels[i] = r.nextInt(2);
            }
            double[] plainP = p.clone();
            float[] plainU = new float[n + 5];
            Blas1.scaleRoundMinusPlain(plainP, 2 - 1, scale, 1, labels, 3, plainU, 2, n);
            double[] fastP = p.clone();
            float[] fastU = new float[n + 5];
            Blas1.scaleRoundMinus(fastP, 2 - 1, scale, 1, labels, 3, fastU, 2, n);
            assertArrayEquals(plainP, fastP, 0, "p n=" + n);
            assertArrayEquals(plainU, fastU, 0f, "u n=" + n);
            for (int i = 0; i < n; i++) {
                assertEquals(p[1 + i] * scale[1 + i], fastP[1 + i], 0, "p n=" + n + " at " + i);
                assertEquals((float) (p[1 + i] * scale[1 + i]) - labels[3 + i], fastU[2 + i], 0f, "u n=" + n + " at " + i);
            }
            assertEquals(0f, fastU[1], 0f, "before the run: untouched");
            assertEquals(0f, fastU[n + 2], 0f, "after the run: untouched");
        }
    }
}
