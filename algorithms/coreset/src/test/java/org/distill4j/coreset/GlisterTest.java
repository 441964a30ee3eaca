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

    /**
     * The lazy, tracked evaluation picks exactly what evaluating every candidate at every step picks:
     * a plain double-precision GLISTER on random instances (several classes, many picks, so the
     * bounds are exercised far from the first step).
     */
    @Test
    void lazyEvaluationPicksWhatAFullEvaluationPicks() {
        for (long seed = 1; seed <= 4; seed++) {
            int n = 300;
            int e = 6;
            int c = 4;
            int k = 80;
            double eta = 0.05 * seed;
            float[] h = Tensor.randn(new Generator(seed), DType.F32, n, e).toFloatArray();
            float[] z = Tensor.randn(new Generator(seed + 10), DType.F32, n, c).toFloatArray();
            int[] y = new int[n];
            float[] onehot = new float[n * c];
            float[] g = new float[n * c];
            for (int i = 0; i < n; i++) {
                y[i] = (int) (seed + i) % c;
                onehot[i * c + y[i]] = 1;
                double[] p = softmax(z, i, c);
                for (int j = 0; j < c; j++) {
                    g[i * c + j] = (float) (p[j] - onehot[i * c + j]);
                }
            }
            Tensor ht = Tensor.fromFloats(h, n, e);
            Greedy.Result lazy = Glister.greedy(Tensor.fromFloats(g, n, c), ht, Tensor.fromFloats(z, n, c),
                    Tensor.fromFloats(onehot, n, c), ht, k, eta);
            // The plain loop: every candidate's gain at every step, in double.
            double[] zd = new double[n * c];
            for (int i = 0; i < zd.length; i++) {
                zd[i] = z[i];
            }
            boolean[] used = new boolean[n];
            for (int t = 0; t < k; t++) {
                double[] b = new double[c];
                double[] w = new double[c * e];
                for (int v = 0; v < n; v++) {
                    double[] p = softmaxD(zd, v, c);
                    for (int j = 0; j < c; j++) {
                        double u = p[j] - onehot[v * c + j];
                        b[j] += u;
                        for (int q = 0; q < e; q++) {
                            w[j * e + q] += u * h[v * e + q];
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
                    for (int j = 0; j < c; j++) {
                        double a = b[j];
                        for (int q = 0; q < e; q++) {
                            a += w[j * e + q] * h[i * e + q];
                        }
                        gain += g[i * c + j] * a;
                    }
                    if (gain > bestGain) {
                        bestGain = gain;
                        best = i;
                    }
                }
                assertEquals(best, lazy.order()[t], "seed " + seed + " pick " + t);
                assertEquals(eta * bestGain / n, lazy.gains()[t], 1e-5 * Math.max(1, Math.abs(eta * bestGain / n)),
                        "gain of pick " + t);
                used[best] = true;
                for (int v = 0; v < n; v++) {
                    double s = 1;
                    for (int q = 0; q < e; q++) {
                        s += (double) h[v * e + q] * h[best * e + q];
                    }
                    for (int j = 0; j < c; j++) {
                        zd[v * c + j] -= eta * s * g[best * c + j];
                    }
                }
            }
        }
    }

    /**
     * One class, as with class balance: every validation example has the same label, the steps soon
     * make the model predict it everywhere, and the gains fall from about 1 to rounding noise (10^-12
     * and below) while the first picks' changes of W were large. The lazy evaluation must still pick
     * what evaluating every candidate picks, with the same W, at every step (on Fashion-MNIST its
     * bounds once failed exactly there: changes below the rounding unit of running totals were lost).
     */
    @Test
    void boundsHoldWhenTheGainsFallToRoundingNoise() {
        int n = 400;
        int e = 8;
        int c = 4;
        int k = 300;
        float[] h = Tensor.randn(new Generator(21), DType.F32, n, e).toFloatArray();
        for (int i = 0; i < h.length; i++) {
            h[i] = 2 * Math.abs(h[i]);   // non-negative, as after a ReLU
        }
        float[] z = Tensor.randn(new Generator(22), DType.F32, n, c).toFloatArray();
        float[] onehot = new float[n * c];
        float[] g = new float[n * c];
        for (int i = 0; i < n; i++) {
            onehot[i * c] = 1;
            double[] p = softmax(z, i, c);
            for (int j = 0; j < c; j++) {
                g[i * c + j] = (float) (p[j] - onehot[i * c + j]);
            }
        }
        Tensor ht = Tensor.fromFloats(h, n, e);
        Tensor gt = Tensor.fromFloats(g, n, c);
        Tensor zt = Tensor.fromFloats(z, n, c);
        Tensor yt = Tensor.fromFloats(onehot, n, c);
        double eta = 0.05;
        Greedy.Result r = Glister.greedy(gt, ht, zt, yt, ht, k, eta);
        double first = Math.abs(r.gains()[0]);
        double last = Math.abs(r.gains()[k - 1]);
        org.junit.jupiter.api.Assertions.assertTrue(last < 1e-9 * first,
                "the instance must reach gains at rounding level: first " + first + ", last " + last);
        int[] run = Glister.checkedRun(gt, ht, zt, yt, ht, k, eta);
        assertEquals(0, run[0], "picks a full evaluation would change");
        // Both ways of reaching a pick in the noise: the F32 pass after tracking (which starts a
        // streak and probes it), and the F32 pass instead of tracking, within a streak.
        org.junit.jupiter.api.Assertions.assertTrue(run[1] > 0 && run[2] > 0,
                "F32 pass after tracking at " + run[1] + " picks, instead of tracking at " + run[2]);
    }

    private static double[] softmax(float[] z, int row, int c) {
        double[] d = new double[c];
        for (int j = 0; j < c; j++) {
            d[j] = z[row * c + j];
        }
        return softmaxD(d, 0, c);
    }

    private static double[] softmaxD(double[] z, int row, int c) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, z[row * c + j]);
        }
        double[] p = new double[c];
        double sum = 0;
        for (int j = 0; j < c; j++) {
            p[j] = Math.exp(z[row * c + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < c; j++) {
            p[j] /= sum;
        }
        return p;
    }
}
