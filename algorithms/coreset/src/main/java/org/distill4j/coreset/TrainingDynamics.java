package org.distill4j.coreset;

import org.distill4j.data.Dataset;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Gemm;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.Evaluator;

/**
 * What the selection model said about every training example at the start of training (epoch 0,
 * its initialisation) and at the end of each of its epochs, measured in evaluation mode on the whole
 * set: the cross-entropy loss, the margin (the assigned class's logit minus the largest other logit,
 * Pleiss et al. 2020's quantity behind AUM) and the norm of the loss gradient with respect to the
 * last linear layer ({@code |p - onehot| sqrt(1 + |h|^2)}, see {@link SelectionContext#lastLayerGradients}).
 * Recorded by {@link SelectionContext#train(Dataset, Model, int, org.distill4j.train.TrainConfig, boolean,
 * org.distill4j.train.TrainListener, boolean)} when asked: it costs one forward pass over the data per
 * epoch.
 */
public final class TrainingDynamics {
    private final float[][] loss;
    private final float[][] margin;
    private final float[][] gradientNorm;
    private int epochs = -1;

    TrainingDynamics(int epochs) {
        loss = new float[epochs + 1][];
        margin = new float[epochs + 1][];
        gradientNorm = new float[epochs + 1][];
    }

    /** Measures the model at {@code params} as epoch {@code epoch}'s row. */
    void record(int epoch, Model model, Params params, Dataset data) {
        Tensor h = Evaluator.embeddings(model, params, data).to(DType.F32).contiguous();
        Tensor w = params.get(model.lastWeightName()).value().to(DType.F32);
        Tensor logits = Gemm.matmul(h, w.mT());
        if (model.lastBiasName() != null) {
            logits = Elementwise.add(logits, params.get(model.lastBiasName()).value().to(DType.F32));
        }
        float[] z = logits.toFloatArray();
        float[] hh = h.toFloatArray();
        int n = data.size();
        int c = data.classes();
        int e = h.dim(1);
        float[] l = new float[n];
        float[] m = new float[n];
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            int y = data.label(i);
            double max = Double.NEGATIVE_INFINITY;
            double other = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, z[i * c + k]);
                if (k != y) {
                    other = Math.max(other, z[i * c + k]);
                }
            }
            double sum = 0;
            for (int k = 0; k < c; k++) {
                sum += Math.exp(z[i * c + k] - max);
            }
            double g2 = 0;
            for (int k = 0; k < c; k++) {
                double p = Math.exp(z[i * c + k] - max) / sum - (k == y ? 1 : 0);
                g2 += p * p;
            }
            double h2 = 0;
            for (int k = 0; k < e; k++) {
                h2 += (double) hh[i * e + k] * hh[i * e + k];
            }
            l[i] = (float) (max + Math.log(sum) - z[i * c + y]);
            m[i] = (float) (z[i * c + y] - (c > 1 ? other : 0));
            g[i] = (float) Math.sqrt(g2 * (1 + h2));
        }
        loss[epoch] = l;
        margin[epoch] = m;
        gradientNorm[epoch] = g;
        epochs = Math.max(epochs, epoch);
    }

    /** The last epoch recorded (0: only the initialisation). */
    public int epochs() {
        return epochs;
    }

    /** Per-example loss at {@code epoch} (0: the initialisation). */
    public float[] loss(int epoch) {
        return row(loss, epoch).clone();
    }

    /** Per-example margin at {@code epoch}. */
    public float[] margin(int epoch) {
        return row(margin, epoch).clone();
    }

    /** Per-example last-layer gradient norm at {@code epoch}. */
    public float[] gradientNorm(int epoch) {
        return row(gradientNorm, epoch).clone();
    }

    private float[] row(float[][] rows, int epoch) {
        if (epoch < 0 || epoch > epochs || rows[epoch] == null) {
            throw new IllegalArgumentException("no training dynamics recorded for epoch " + epoch + " (recorded: 0.." + epochs + ")");
        }
        return rows[epoch];
    }
}
