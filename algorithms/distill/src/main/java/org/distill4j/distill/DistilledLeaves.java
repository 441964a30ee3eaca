package org.distill4j.distill;

import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.autodiff.Var;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;

/**
 * The learnable side of a distillation run, as leaf variables: S step tensors of images
 * {@code [n, C, H, W]}, T = S x epochs raw rates (the rate is {@code softplus(raw)}, so it stays
 * positive), and per step either fixed hard labels {@code [n]} or learnable label logits
 * {@code [n, classes]} (soft labels, through softmax).
 */
public record DistilledLeaves(Var[] images, Var[] rawLrs, Tensor[] hardLabels, Var[] labelLogits) {

    public int steps() {
        return images.length;
    }

    public boolean soft() {
        return labelLogits != null;
    }

    /**
     * The reference code's start: images N(0, 1) in normalised pixel space, labels
     * {@code 0..classes-1} repeated ipc times in every step, every rate {@code lr0}
     * ({@code raw = softplus^-1(lr0) = log(expm1(lr0))}); soft-label logits start as the one-hot
     * labels scaled so softmax puts most mass on the true class.
     */
    public static DistilledLeaves init(Generator gen, DType dtype, int[] imageShape, int classes, int ipc, int steps,
                                       int epochs, double lr0, boolean soft) {
        int n = ipc * classes;
        Var[] images = new Var[steps];
        Tensor[] labels = new Tensor[steps];
        Var[] logits = soft ? new Var[steps] : null;
        int[] lab = new int[n];
        for (int i = 0; i < n; i++) {
            lab[i] = i % classes;
        }
        int[] shape = new int[imageShape.length + 1];
        shape[0] = n;
        System.arraycopy(imageShape, 0, shape, 1, imageShape.length);
        for (int s = 0; s < steps; s++) {
            images[s] = Var.param(Tensor.randn(gen.fork(s), dtype, shape));
            labels[s] = Tensor.fromInts(lab, n);
            if (soft) {
                double[] l = new double[n * classes];
                for (int i = 0; i < n; i++) {
                    l[i * classes + lab[i]] = Math.log(classes) * 2;
                }
                logits[s] = Var.param(Tensor.from(dtype, l, n, classes));
            }
        }
        if (!(lr0 > 0)) {
            throw new IllegalArgumentException("initial distilled learning rate must be positive, got " + lr0);
        }
        Var[] raw = new Var[steps * epochs];
        for (int t = 0; t < raw.length; t++) {
            raw[t] = Var.param(Tensor.scalar(dtype, Math.log(Math.expm1(lr0))));
        }
        return new DistilledLeaves(images, raw, labels, logits);
    }

    /** Every leaf: images, then rates, then label logits. */
    public Var[] all() {
        int k = images.length + rawLrs.length + (soft() ? labelLogits.length : 0);
        Var[] out = new Var[k];
        System.arraycopy(images, 0, out, 0, images.length);
        System.arraycopy(rawLrs, 0, out, images.length, rawLrs.length);
        if (soft()) {
            System.arraycopy(labelLogits, 0, out, images.length + rawLrs.length, labelLogits.length);
        }
        return out;
    }

    /** Gradients in the order of {@link #all} as a {@link UnrolledTraining.Hypergradient}. */
    UnrolledTraining.Hypergradient split(double loss, Tensor[] flat) {
        Tensor[] gi = java.util.Arrays.copyOfRange(flat, 0, images.length);
        Tensor[] gr = java.util.Arrays.copyOfRange(flat, images.length, images.length + rawLrs.length);
        Tensor[] gl = soft() ? java.util.Arrays.copyOfRange(flat, images.length + rawLrs.length, flat.length) : null;
        return new UnrolledTraining.Hypergradient(loss, gi, gr, gl);
    }

    /** The leaves as named {@link Params}, so a stock optimiser (Adam) can update them in place. */
    public Params asParams() {
        Map<String, Var> m = new LinkedHashMap<>();
        for (int s = 0; s < images.length; s++) {
            m.put("images." + s, images[s]);
        }
        for (int t = 0; t < rawLrs.length; t++) {
            m.put("raw_lr." + t, rawLrs[t]);
        }
        if (soft()) {
            for (int s = 0; s < labelLogits.length; s++) {
                m.put("label_logits." + s, labelLogits[s]);
            }
        }
        return new Params(m, Map.of());
    }

    /** The learned rates {@code softplus(raw_t)}. */
    public double[] learningRates() {
        double[] lr = new double[rawLrs.length];
        for (int t = 0; t < lr.length; t++) {
            double r = rawLrs[t].item();
            lr[t] = r > 30 ? r : Math.log1p(Math.exp(r));
        }
        return lr;
    }
}
