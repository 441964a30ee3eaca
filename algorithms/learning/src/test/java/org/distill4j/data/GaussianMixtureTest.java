package org.distill4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaussianMixtureTest {
    @Test
    void aRowIsTheSameWhereverAndWheneverItIsMade() {
        GaussianMixture a = new GaussianMixture(7, 5, 9, 1.0);
        GaussianMixture b = new GaussianMixture(7, 5, 9, 1.0);
        float[] late = new float[9];
        b.row(123_456L, late, 0);
        Dataset first = a.rows("m", 123_450L, 10);
        assertArrayEquals(late, first.images().select(0, 6).toFloatArray());
        assertEquals(b.label(123_456L), first.label(6));
        float[] other = new float[9];
        new GaussianMixture(8, 5, 9, 1.0).row(123_456L, other, 0);
        assertTrue(!java.util.Arrays.equals(late, other), "another seed, other rows");
    }

    @Test
    void labelsAreUniformAndRowsScatterAroundTheirClassMeanWithUnitVariance() {
        GaussianMixture g = new GaussianMixture(1, 4, 3, 2.0);
        int n = 20_000;
        int[] count = new int[4];
        double[][] sum = new double[4][3];
        double[][] sq = new double[4][3];
        float[] x = new float[3];
        for (int i = 0; i < n; i++) {
            int c = g.label(i);
            count[c]++;
            g.row(i, x, 0);
            for (int d = 0; d < 3; d++) {
                sum[c][d] += x[d];
                sq[c][d] += (double) x[d] * x[d];
            }
        }
        for (int c = 0; c < 4; c++) {
            assertEquals(n / 4.0, count[c], 4 * Math.sqrt(n * 0.25 * 0.75), "class " + c);
            for (int d = 0; d < 3; d++) {
                double mean = sum[c][d] / count[c];
                double var = sq[c][d] / count[c] - mean * mean;
                assertEquals(1.0, var, 0.1, "class " + c + " dim " + d);
            }
        }
        float[] p = new float[4];
        g.row(5, x, 0);
        g.posterior(x, 0, p, 0);
        assertEquals(1.0, p[0] + p[1] + p[2] + p[3], 1e-5);
    }
}
