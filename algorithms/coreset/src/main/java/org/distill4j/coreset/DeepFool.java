package org.distill4j.coreset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.autodiff.Autodiff;
import org.distill4j.autodiff.Var;
import org.distill4j.nn.Mode;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Tensor;

/**
 * DeepFool selection (Ducoffe and Precioso 2018, "Adversarial Active Learning for Deep Networks:
 * a Margin Based Approach"; DeepCore's DeepFool): keep the examples closest to the decision
 * boundary, measured by the norm of the DeepFool perturbation (Moosavi-Dezfooli, Fawzi and
 * Frossard 2016, Alg. 2) on the selection model.
 *
 * <p>From {@code x_0 = x} with predicted class {@code k}, each iteration linearises the model at
 * {@code x_i}: with {@code w_l = grad f_l - grad f_k} and {@code f'_l = f_l - f_k}, the nearest
 * linearised boundary is {@code l* = argmin_{l != k} |f'_l| / ||w_l||} and the step is
 * {@code r_i = |f'_l*| / ||w_l*||^2 w_l*}. The total {@code r = sum r_i} is tried at
 * {@code x + (1 + overshoot) r} (overshoot 0.02, as in the reference code) and the iteration stops
 * when the prediction there changes, or after at most 50 iterations. The score is {@code ||r||};
 * for a linear classifier it is exactly the distance to the nearest decision boundary.
 *
 * <p>Input gradients of every class logit come from autodiff, one backward pass per class over a
 * batch of examples (evaluation mode, so examples do not interact); examples that have crossed
 * leave the batch. An example whose class gradients all coincide gets score +infinity (it cannot
 * be moved across a boundary). The smallest scores win, per class with class balance, else
 * overall: a top-k cut, so the budget is met exactly with nothing to pad. Weights are 1.
 */
public final class DeepFool extends ScoreRanking {
    public static final int MAX_ITERATIONS = 50;
    public static final double OVERSHOOT = 0.02;
    private static final int BATCH = 256;
    private final int maxIterations;

    /** The reference code's (and DeepCore's) limit of 50 iterations. */
    public DeepFool() {
        this(MAX_ITERATIONS);
    }

    public DeepFool(int maxIterations) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("deepfool needs at least 1 iteration, got " + maxIterations);
        }
        this.maxIterations = maxIterations;
    }

    @Override
    public String name() {
        return "deepfool";
    }

    @Override
    double[] scores(SelectionContext ctx) {
        if (ctx.model() == null) {
            throw new IllegalStateException("deepfool needs the selection model (input gradients); this context has none");
        }
        return ctx.scores(name() + "@" + maxIterations, () -> distances(ctx.model(), ctx.params(), ctx.data().images(), maxIterations,
                OVERSHOOT, BATCH));
    }

    @Override
    boolean highestFirst() {
        return false;
    }

    @Override
    Map<String, Object> settings(SelectionContext ctx) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("max_iterations", maxIterations);
        s.put("overshoot", OVERSHOOT);
        s.put("balance", ctx.balance());
        return s;
    }

    /** {@code ||r||} of DeepFool for every image of {@code images} ({@code [N, ...]}), in batches. */
    static double[] distances(Model model, Params params, Tensor images, int maxIterations, double overshoot, int batch) {
        // Constants: the backward passes then only go towards the inputs.
        Params frozen = params.map((name, v) -> Var.constant(v.value()));
        int n = images.dim(0);
        double[] out = new double[n];
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            double[] d = batch(model, frozen, images.slice(0, from, to).to(params.dtype()).contiguous(), maxIterations,
                    overshoot);
            System.arraycopy(d, 0, out, from, to - from);
        }
        return out;
    }

    private static double[] batch(Model model, Params p, Tensor x0, int maxIterations, double overshoot) {
        int b = x0.dim(0);
        int dim = x0.size() / b;
        int classes = model.classes();
        double[] origin = x0.toDoubleArray();
        double[] total = new double[b * dim];
        double[] dist = new double[b];
        int[] label = new int[b];
        boolean[] stuck = new boolean[b];
        List<Integer> active = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            active.add(i);
        }
        for (int it = 0; it <= maxIterations && !active.isEmpty(); it++) {
            Var x = Var.param(perturbed(x0, origin, total, active, overshoot));
            Var logits = model.forward(p, x, Mode.EVAL);
            double[] f = logits.value().toDoubleArray();
            List<Integer> still = new ArrayList<>();
            List<Integer> rows = new ArrayList<>();
            for (int r = 0; r < active.size(); r++) {
                int predicted = argmax(f, r * classes, classes);
                if (it == 0) {
                    label[active.get(r)] = predicted;
                }
                if (predicted == label[active.get(r)]) {
                    still.add(active.get(r));
                    rows.add(r);
                }
            }
            active = still;
            if (it == maxIterations || active.isEmpty()) {
                break;
            }
            double[][] grads = classGradients(logits, x, classes);
            List<Integer> moving = new ArrayList<>();
            for (int a = 0; a < active.size(); a++) {
                int i = active.get(a);
                int r = rows.get(a);
                if (step(grads, f, r, dim, classes, label[i], total, i * dim)) {
                    moving.add(i);
                } else {
                    stuck[i] = true;
                }
            }
            active = moving;
        }
        for (int i = 0; i < b; i++) {
            double s = 0;
            for (int j = 0; j < dim; j++) {
                s += total[i * dim + j] * total[i * dim + j];
            }
            dist[i] = stuck[i] ? Double.POSITIVE_INFINITY : Math.sqrt(s);
        }
        return dist;
    }

    /** {@code x_0 + (1 + overshoot) r} for the active rows, in the input's dtype and shape. */
    private static Tensor perturbed(Tensor x0, double[] origin, double[] total, List<Integer> active, double overshoot) {
        int dim = x0.size() / x0.dim(0);
        double[] v = new double[active.size() * dim];
        for (int a = 0; a < active.size(); a++) {
            int i = active.get(a);
            for (int j = 0; j < dim; j++) {
                v[a * dim + j] = origin[i * dim + j] + (1 + overshoot) * total[i * dim + j];
            }
        }
        int[] shape = x0.shape();
        shape[0] = active.size();
        return Tensor.fromDoubles(v, shape).to(x0.dtype());
    }

    /** For each class {@code l}, the gradient of {@code sum_rows f_l} with respect to the inputs: per row, that row's gradient. */
    private static double[][] classGradients(Var logits, Var x, int classes) {
        double[][] grads = new double[classes][];
        int rows = logits.dim(0);
        for (int l = 0; l < classes; l++) {
            float[] ones = new float[rows];
            java.util.Arrays.fill(ones, 1f);
            int[] cols = new int[rows];
            java.util.Arrays.fill(cols, l);
            Tensor pick = Indexing.scatterRows(Tensor.fromFloats(ones, rows), Tensor.fromInts(cols, rows), classes)
                    .to(logits.dtype());
            Var[] g = Autodiff.grad(new Var[]{logits}, new Var[]{x}, new Var[]{Var.constant(pick)}, false, l < classes - 1);
            grads[l] = g[0].value().toDoubleArray();
        }
        return grads;
    }

    /**
     * One DeepFool step for the example in batch row {@code r}, added to {@code total} at {@code at}.
     * Returns false when no boundary can be reached (every {@code w_l} is zero).
     */
    private static boolean step(double[][] grads, double[] f, int r, int dim, int classes, int k,
                                double[] total, int at) {
        double best = Double.POSITIVE_INFINITY;
        int target = -1;
        double bestNorm = 0;
        for (int l = 0; l < classes; l++) {
            if (l == k) {
                continue;
            }
            double norm2 = 0;
            for (int j = 0; j < dim; j++) {
                double w = grads[l][r * dim + j] - grads[k][r * dim + j];
                norm2 += w * w;
            }
            double pert = Math.abs(f[r * classes + l] - f[r * classes + k]) / Math.sqrt(norm2);
            if (norm2 > 0 && pert < best) {
                best = pert;
                target = l;
                bestNorm = Math.sqrt(norm2);
            }
        }
        if (target < 0) {
            return false;
        }
        double scale = best / bestNorm;
        for (int j = 0; j < dim; j++) {
            total[at + j] += scale * (grads[target][r * dim + j] - grads[k][r * dim + j]);
        }
        return true;
    }

    private static int argmax(double[] v, int from, int len) {
        int best = 0;
        for (int c = 1; c < len; c++) {
            if (v[from + c] > v[from + best]) {
                best = c;
            }
        }
        return best;
    }
}
