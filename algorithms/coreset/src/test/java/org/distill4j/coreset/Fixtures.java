package org.distill4j.coreset;

import org.distill4j.data.Dataset;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Models;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.CorrectnessLog;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainListener;

/** Small data sets and contexts for the coreset tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** {@code labels.length} random 1x2x2 images with the given labels. */
    static Dataset data(int[] labels, int classes) {
        Tensor x = Tensor.randn(new Generator(17), DType.F32, labels.length, 1, 2, 2);
        return new Dataset("fixture", x, labels, classes);
    }

    /** Labels {@code i % classes} for {@code n} examples, but class 0 twice as often as the rest. */
    static int[] unevenLabels(int n, int classes) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int r = i % (classes + 1);
            labels[i] = r == classes ? 0 : r;
        }
        return labels;
    }

    /** A context over given features: rows of {@code embeddings} and {@code probabilities}, F64 values. */
    static SelectionContext context(int[] labels, int classes, double[][] embeddings, double[][] probabilities,
                                    CorrectnessLog log, long seed, boolean balance) {
        return SelectionContext.precomputed(data(labels, classes), table(embeddings), table(probabilities), log, seed, balance);
    }

    static Tensor table(double[][] rows) {
        int cols = rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return Tensor.fromDoubles(flat, rows.length, cols);
    }

    /** A small MLP trained 2 epochs on {@code n} random examples with uneven classes: every method can run on it. */
    static SelectionContext trained(int n, int classes, long seed, boolean balance) {
        Dataset d = data(unevenLabels(n, classes), classes);
        return SelectionContext.train(d, Models.mlp(d.imageShape(), 6, classes), 2, TrainConfig.sgd(1, 8, 0.05, 0.9, seed),
                balance, TrainListener.NONE);
    }
}
