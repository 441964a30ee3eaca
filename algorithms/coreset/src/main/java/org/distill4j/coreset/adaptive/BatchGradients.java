package org.distill4j.coreset.adaptive;

import org.distill4j.coreset.SelectionContext;
import org.distill4j.data.Dataset;
import org.distill4j.tensor.Tensor;

/**
 * The per-batch variants' atoms: the training split cut, in its order, into mini-batches of
 * {@code batchSize} consecutive examples (the last may be smaller), as CORDS's unshuffled training
 * loader cuts it ({@code trainloader.batch_sampler}), and each batch's mean last-layer gradient at
 * the current model.
 */
final class BatchGradients {
    private BatchGradients() {
    }

    /** How many batches {@code n} examples make. */
    static int count(int n, int batchSize) {
        return (n + batchSize - 1) / batchSize;
    }

    /** The examples of batch {@code b}. */
    static int[] members(int b, int n, int batchSize) {
        int from = b * batchSize;
        int to = Math.min(n, from + batchSize);
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    /**
     * F32 {@code [batches, C]} (logit gradients only, CORDS's {@code linear_layer=False}) or
     * {@code [batches, C * (E + 1)]} (bias then weight, CORDS's {@code linear_layer=True}, in
     * {@link SelectionContext#lastLayerGradients}' layout): each batch's mean over its examples of
     * {@code g = softmax - onehot(label)} and {@code g (x) h}. Computed from the context's softmax
     * outputs and embeddings, one batch at a time: no {@code [N, C * (E + 1)]} matrix.
     */
    static Tensor of(SelectionContext ctx, int batchSize, boolean linearLayer) {
        Dataset data = ctx.data();
        int n = data.size();
        int c = data.classes();
        float[] p = ctx.probabilities().toFloatArray();
        float[] h = linearLayer ? ctx.embeddings().toFloatArray() : null;
        int e = linearLayer ? ctx.embeddings().dim(1) : 0;
        int d = linearLayer ? c * (e + 1) : c;
        int batches = count(n, batchSize);
        float[] out = new float[batches * d];
        double[] acc = new double[d];
        double[] g = new double[c];
        for (int b = 0; b < batches; b++) {
            java.util.Arrays.fill(acc, 0);
            int from = b * batchSize;
            int to = Math.min(n, from + batchSize);
            for (int i = from; i < to; i++) {
                for (int k = 0; k < c; k++) {
                    g[k] = p[i * c + k] - (data.label(i) == k ? 1 : 0);
                    acc[k] += g[k];
                }
                if (linearLayer) {
                    for (int k = 0; k < c; k++) {
                        int row = c + k * e;
                        for (int j = 0; j < e; j++) {
                            acc[row + j] += g[k] * h[i * e + j];
                        }
                    }
                }
            }
            for (int k = 0; k < d; k++) {
                out[b * d + k] = (float) (acc[k] / (to - from));
            }
        }
        return Tensor.fromFloats(out, batches, d);
    }
}
