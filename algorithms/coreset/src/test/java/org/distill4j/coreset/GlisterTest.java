package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.distill4j.coreset.submodular.Greedy;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GlisterTest {
    /**
     * A last layer {@code z = W h + b} written out in doubles: the greedy must pick, at every step,
     * the example whose gradient step most lowers the mean validation loss to first order, then
     * take that step, exactly as the explicit parameters say.
     */
    @Test
    void greedyFollowsTheTaylorGainsOfExplicitLastLayerSteps() {
        int n = 25;
        int e = 4;
        int c = 3;
        double eta = 0.05;
        double[] h = Tensor.randn(new Generator(1), DType.F64, n, e).toDoubleArray();
        double[] w = Tensor.randn(new Generator(2), DType.F64, c, e).toDoubleArray();
        double[] b = Tensor.randn(new Generator(3), DType.F64, c).toDoubleArray();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = (i * 5) % c;
        }
        double[] g0 = logitGradients(h, w, b, y, n, e, c); // the candidates' gradients stay those of the start
        double[] z0 = logits(h, w, b, n, e, c);
        double[] onehot = new double[n * c];
        for (int i = 0; i < n; i++) {
            onehot[i * c + y[i]] = 1;
        }
        Tensor ht = Tensor.fromDoubles(h, n, e).to(DType.F32);
        Greedy.Result r = Glister.greedy(Tensor.fromDoubles(g0, n, c).to(DType.F32), ht, Tensor.fromDoubles(z0, n, c)
                .to(DType.F32), Tensor.fromDoubles(onehot, n, c).to(DType.F32), ht, 6, eta);

        boolean[] used = new boolean[n];
        for (int step = 0; step < 6; step++) {
            // Mean validation gradient at the current (w, b).
            double[] gv = logitGradients(h, w, b, y, n, e, c);
            double[] gb = new double[c];
            double[] gw = new double[c * e];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < c; k++) {
                    gb[k] += gv[i * c + k] / n;
                    for (int j = 0; j < e; j++) {
                        gw[k * e + j] += gv[i * c + k] * h[i * e + j] / n;
                    }
                }
            }
            int best = -1;
            double bestGain = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (used[i]) {
                    continue;
                }
                double gain = 0;
                for (int k = 0; k < c; k++) {
                    gain += g0[i * c + k] * gb[k];
                    for (int j = 0; j < e; j++) {
                        gain += g0[i * c + k] * h[i * e + j] * gw[k * e + j];
                    }
                }
                gain *= eta;
                if (gain > bestGain) {
                    bestGain = gain;
                    best = i;
                }
            }
            assertEquals(best, r.order()[step], "pick " + step);
            assertEquals(bestGain, r.gains()[step], 1e-5, "gain of pick " + step);
            used[best] = true;
            for (int k = 0; k < c; k++) {
                b[k] -= eta * g0[best * c + k];
                for (int j = 0; j < e; j++) {
                    w[k * e + j] -= eta * g0[best * c + k] * h[best * e + j];
                }
            }
        }
    }

    private static double[] logits(double[] h, double[] w, double[] b, int n, int e, int c) {
        double[] z = new double[n * c];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                z[i * c + k] = b[k];
                for (int j = 0; j < e; j++) {
                    z[i * c + k] += w[k * e + j] * h[i * e + j];
                }
            }
        }
        return z;
    }

    private static double[] logitGradients(double[] h, double[] w, double[] b, int[] y, int n, int e, int c) {
        double[] z = logits(h, w, b, n, e, c);
        double[] g = new double[n * c];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, z[i * c + k]);
            }
            double sum = 0;
            for (int k = 0; k < c; k++) {
                sum += Math.exp(z[i * c + k] - max);
            }
            for (int k = 0; k < c; k++) {
                g[i * c + k] = Math.exp(z[i * c + k] - max) / sum - (k == y[i] ? 1 : 0);
            }
        }
        return g;
    }

    @Test
    void picksAreDistinct() {
        SelectionContext ctx = Fixtures.trained(40, 2, 1, false);
        Selection s = new Glister().select(ctx, 40);
        int[] sorted = s.indices();
        java.util.Arrays.sort(sorted);
        int[] all = new int[40];
        for (int i = 0; i < 40; i++) {
            all[i] = i;
        }
        assertArrayEquals(all, sorted);
    }
}
