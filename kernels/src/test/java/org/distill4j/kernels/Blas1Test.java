package org.distill4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
