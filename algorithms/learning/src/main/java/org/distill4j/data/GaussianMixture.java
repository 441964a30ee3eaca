package org.distill4j.data;

import org.distill4j.kernels.Philox;
import org.distill4j.tensor.Tensor;

/**
 * A labelled Gaussian mixture whose rows can be made one at a time, anywhere: row {@code i} is a
 * pure function of the seed and {@code i} (counter-based Philox draws), so one JVM, a benchmark and
 * every task of a distributed job make the same numbers for the same rows, in any order. Class
 * {@code c} has mean {@code mu_c ~ N(0, separation^2 I)} and unit covariance; a row's label is
 * uniform over the classes.
 */
public final class GaussianMixture {
    private final long key;
    private final int classes;
    private final int dim;
    private final double[][] means;

    public GaussianMixture(long seed, int classes, int dim, double separation) {
        if (classes < 1 || dim < 1) {
            throw new IllegalArgumentException("a mixture needs >= 1 class and >= 1 dimension, got " + classes + " and " + dim);
        }
        this.key = new org.distill4j.tensor.Generator(seed).fork(0x6A09E667L).seed();
        this.classes = classes;
        this.dim = dim;
        this.means = new double[classes][dim];
        double[] z = new double[dim];
        for (int c = 0; c < classes; c++) {
            normals(-1L - c, z);
            for (int d = 0; d < dim; d++) {
                means[c][d] = separation * z[d];
            }
        }
    }

    public int classes() {
        return classes;
    }

    public int dim() {
        return dim;
    }

    /** The label of row {@code i}. */
    public int label(long i) {
        int[] w = new int[4];
        Philox.block(key, i << 20, w);
        return (int) (((w[0] & 0xFFFFFFFFL) * classes) >>> 32);
    }

    /** Row {@code i}'s features into {@code out[0..dim)}, as float32. */
    public void row(long i, float[] out, int offset) {
        double[] z = new double[dim];
        normals(i, z);
        double[] mu = means[label(i)];
        for (int d = 0; d < dim; d++) {
            out[offset + d] = (float) (mu[d] + z[d]);
        }
    }

    /**
     * The Bayes posterior {@code P(class | x)} of row features {@code x} under this mixture (equal
     * priors, unit covariance): a softmax of {@code -||x - mu_c||^2 / 2}, as float32, into {@code out}.
     */
    public void posterior(float[] x, int offset, float[] out, int outOffset) {
        double[] logits = new double[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double s = 0;
            for (int d = 0; d < dim; d++) {
                double v = x[offset + d] - means[c][d];
                s += v * v;
            }
            logits[c] = -s / 2;
            max = Math.max(max, logits[c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            logits[c] = Math.exp(logits[c] - max);
            sum += logits[c];
        }
        for (int c = 0; c < classes; c++) {
            out[outOffset + c] = (float) (logits[c] / sum);
        }
    }

    /** A uniform double in [0, 1) for row {@code i}'s purpose {@code stream} (0 < stream < 2^19). */
    public double uniform(long i, int stream) {
        int[] w = new int[4];
        Philox.block(key, (i << 20) | (1L << 19) | stream, w);
        return ((((long) w[0] & 0xFFFFFFFFL) << 21) ^ (w[1] >>> 11)) * 0x1.0p-53;
    }

    /** Rows {@code [from, from + n)} as a data set of {@code [n, dim, 1, 1]} features named {@code name}. */
    public Dataset rows(String name, long from, int n) {
        float[] x = new float[n * dim];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            row(from + i, x, i * dim);
            y[i] = label(from + i);
        }
        return new Dataset(name, Tensor.fromFloats(x, n, dim, 1, 1), y, classes);
    }

    /** Standard normals for row {@code i} by Box-Muller, two per Philox block of the row's counters. */
    private void normals(long i, double[] z) {
        int[] w = new int[4];
        for (int d = 0; d < z.length; d += 2) {
            Philox.block(key, (i << 20) | (1 + d / 2), w);
            double u1 = ((((long) w[0] & 0xFFFFFFFFL) << 21) ^ (w[1] >>> 11)) * 0x1.0p-53;
            double u2 = ((((long) w[2] & 0xFFFFFFFFL) << 21) ^ (w[3] >>> 11)) * 0x1.0p-53;
            double r = Math.sqrt(-2 * Math.log(1 - u1));
            z[d] = r * Math.cos(2 * Math.PI * u2);
            if (d + 1 < z.length) {
                z[d + 1] = r * Math.sin(2 * Math.PI * u2);
            }
        }
    }
}
