package org.distill4j.coreset.adaptive;

import org.distill4j.tensor.Generator;

/**
 * GLISTER-ONLINE as CORDS's {@code GLISTERStrategy} runs it in its configurations
 * ({@code selection_type='Supervised'}, {@code linear_layer=False}, {@code greedy='Stochastic'}):
 * over the whole training split, with the held-out validation split, on the logit gradients
 * {@code g = softmax - onehot} (the last layer's bias gradient).
 *
 * <p>Each pick draws {@code s = int(n / k * ln 100)} candidates from those left (stochastic greedy,
 * Mirzasoleiman et al. 2015), takes the one with the largest Taylor gain {@code g_e . grad L_val}
 * (the first-order drop of the validation loss after a step along {@code -g_e}), adds its gradient
 * to the running sum {@code S} and recomputes the validation gradient at the validation logits
 * moved by the step {@code -eta S} (CORDS's {@code _update_grads_val}: only the bias moves, so every
 * validation row's logits shift by the same vector). Weights are 1.
 *
 * <p>The softmax of the shifted logits is {@code p_ic exp(-eta S_c)} renormalised per row, so each
 * pick costs {@code O(m C)} multiplications and {@code C} exponentials, none per validation row.
 */
final class GlisterOnline {
    private GlisterOnline() {
    }

    /**
     * @param g         the candidates' logit gradients, {@code [n * classes]} row-major
     * @param valProbs  the validation examples' softmax outputs at the current model, {@code [m * classes]}
     * @param valLabels the validation labels
     * @param k         how many to pick, in [1, n]
     * @param eta       the step size (CORDS: the training learning rate)
     * @return the picked candidates, in pick order
     */
    static int[] select(float[] g, float[] valProbs, int[] valLabels, int classes, int k, double eta, Generator gen) {
        int n = g.length / classes;
        int m = valLabels.length;
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("glister: cannot pick " + k + " of " + n + " candidates");
        }
        double[] mass = new double[classes];
        for (int label : valLabels) {
            mass[label] += 1.0 / m;
        }
        double[] p = new double[m * classes];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.max(valProbs[i], Double.MIN_NORMAL);
        }
        int s = Math.max(1, (int) ((double) n / k * Math.log(100)));
        int[] left = new int[n];
        for (int i = 0; i < n; i++) {
            left[i] = i;
        }
        int remaining = n;
        double[] sum = new double[classes];
        double[] shift = new double[classes];
        double[] gradVal = new double[classes];
        int[] picked = new int[k];
        for (int t = 0; t < k; t++) {
            validationGradient(p, m, classes, sum, eta, mass, shift, gradVal);
            int draws = Math.min(s, remaining);
            int bestSlot = -1;
            double bestGain = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < draws; j++) {
                // Partial Fisher-Yates: slots [0, draws) of 'left' become a uniform sample of those remaining.
                int r = j + gen.nextInt(remaining - j);
                int tmp = left[j];
                left[j] = left[r];
                left[r] = tmp;
                int cand = left[j];
                double gain = 0;
                for (int c = 0; c < classes; c++) {
                    gain += g[cand * classes + c] * gradVal[c];
                }
                if (gain > bestGain || (gain == bestGain && cand < left[bestSlot])) {
                    bestGain = gain;
                    bestSlot = j;
                }
            }
            if (bestSlot < 0) {
                bestSlot = 0; // every gain NaN: take the first draw
            }
            int e = left[bestSlot];
            picked[t] = e;
            left[bestSlot] = left[remaining - 1];
            remaining--;
            for (int c = 0; c < classes; c++) {
                sum[c] += g[e * classes + c];
            }
        }
        return picked;
    }

    /**
     * The mean over the validation rows of {@code softmax(z_i - eta S) - onehot_i}, where the
     * starting logits are {@code log p_i}.
     */
    private static void validationGradient(double[] p, int m, int classes, double[] sum, double eta, double[] mass,
                                           double[] shift, double[] out) {
        double top = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            top = Math.max(top, -eta * sum[c]);
        }
        for (int c = 0; c < classes; c++) {
            shift[c] = Math.exp(-eta * sum[c] - top);
            out[c] = 0;
        }
        for (int i = 0; i < m; i++) {
            double z = 0;
            int row = i * classes;
            for (int c = 0; c < classes; c++) {
                z += p[row + c] * shift[c];
            }
            double inv = 1 / (z * m);
            for (int c = 0; c < classes; c++) {
                out[c] += p[row + c] * shift[c] * inv;
            }
        }
        for (int c = 0; c < classes; c++) {
            out[c] -= mass[c];
        }
    }
}
