package org.distill4j.train;

import org.distill4j.autodiff.GradMode;
import org.distill4j.autodiff.Var;
import org.distill4j.data.Batch;
import org.distill4j.data.Dataset;
import org.distill4j.kernels.BufferPool;
import org.distill4j.nn.Mode;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Reduce;
import org.distill4j.tensor.Tensor;

/** Test accuracy and model outputs over a whole data set, without recording a graph. */
public final class Evaluator {
    /**
     * Images per forward pass. Small enough that a CNN's activations stay in a core's caches:
     * LeNet's first convolution writes 18.8 MB for 1,000 images, 1.2 MB for 64. Evaluating 10,000
     * test images with LeNet on one core (one run each): 39,000 images/s in batches of 128, 44,000
     * in batches of 64, 43,700 in batches of 32; on a busy core, 20,000 in batches of 1,000 and
     * 29,000 in batches of 64. Two threads still get whole images to share out.
     */
    private static final int BATCH = 64;

    private Evaluator() {
    }

    /** Fraction of {@code data} whose arg-max logit is the label. */
    public static double accuracy(Model model, Params params, Dataset data) {
        int correct = 0;
        // Each batch's activations are dead once its predictions are read: their buffers serve the next batch.
        BufferPool buffers = new BufferPool();
        try (GradMode.Scope s = GradMode.disabled()) {
            for (Batch b : data.batches(BATCH, null, false)) {
                int[] predicted;
                try (BufferPool.Step step = buffers.step()) {
                    Tensor logits = model.forward(params, Var.constant(b.images().to(params.dtype())), Mode.EVAL).value();
                    predicted = Reduce.argmax(logits, 1).toIntArray();
                }
                int[] labels = b.labels().toIntArray();
                for (int i = 0; i < predicted.length; i++) {
                    if (predicted[i] == labels[i]) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / data.size();
    }

    /** Logits for every example, {@code [N, classes]}, in data-set order. */
    public static Tensor logits(Model model, Params params, Dataset data) {
        return collect(model, params, data, false);
    }

    /** Penultimate embeddings for every example, {@code [N, embeddingSize]}. */
    public static Tensor embeddings(Model model, Params params, Dataset data) {
        return collect(model, params, data, true);
    }

    private static Tensor collect(Model model, Params params, Dataset data, boolean embed) {
        try (GradMode.Scope s = GradMode.disabled()) {
            java.util.List<Tensor> parts = new java.util.ArrayList<>();
            for (Batch b : data.batches(BATCH, null, false)) {
                Var x = Var.constant(b.images().to(params.dtype()));
                parts.add((embed ? model.embed(params, x, Mode.EVAL) : model.forward(params, x, Mode.EVAL)).value());
            }
            return org.distill4j.tensor.Indexing.concat(0, parts.toArray(new Tensor[0]));
        }
    }
}
