package org.distill4j.coreset;

import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.coreset.submodular.Greedy;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.MatMul;
import org.distill4j.tensor.Pointwise;
import org.distill4j.tensor.Reductions;
import org.distill4j.tensor.Softmax;
import org.distill4j.tensor.Tensor;

/**
 * GLISTER (Killamsetty, Sivasubramanian, Ramakrishnan and Iyer 2021, "GLISTER: Generalization
 * based Data Subset Selection for Efficient and Robust Learning", Alg. 1 GreedyTaylorApprox):
 * greedily pick the example whose one gradient step most lowers the validation loss, to first
 * order {@code eta g_e . grad L_val(theta)}, then take that step ({@code theta <- theta - eta g_e})
 * and recompute the validation gradient before the next pick.
 *
 * <p>As in the paper's implementation (CORDS) only the last linear layer moves, which makes every
 * quantity closed form from the selection model's embeddings {@code h} and logit gradients
 * {@code g = softmax - onehot}: the gain of {@code e} is
 * {@code eta (g_e . b_val + g_e^T W_val h_e)} with {@code (b_val, W_val)} the mean validation
 * gradient of the last layer's bias and weight, and the step moves every validation logit row by
 * {@code -eta (1 + h_i . h_e) g_e}. All of it is a few matrix products per pick.
 *
 * <p>Validation set: the training examples themselves (DeepCore's default when no validation set
 * is given); with class balance, the members of the class being selected (DeepCore's per-class
 * validation). Starting logits are {@code log softmax}, equal to the model's up to a per-row shift
 * that softmax ignores. {@code eta} is the step size: by default the selection model's learning
 * rate, as CORDS and DeepCore take the training learning rate. Greedy picks exactly the budget, so nothing is padded. Weights are 1;
 * the score of an example is its Taylor gain when picked.
 */
public final class Glister implements CoresetMethod {
    /** The step size for a context not trained here, whose learning rate is unknown. */
    public static final double DEFAULT_ETA = 0.01;

    /** NaN: the selection model's learning rate. */
    private final double eta;

    /** Step size: the selection model's learning rate (CORDS's and DeepCore's choice). */
    public Glister() {
        this(Double.NaN);
    }

    /** @param eta the step size, or NaN for the selection model's learning rate ({@link #DEFAULT_ETA} without one) */
    public Glister(double eta) {
        if (!Double.isNaN(eta) && (!(eta > 0) || Double.isInfinite(eta))) {
            throw new IllegalArgumentException("glister step size eta must be finite and > 0, got " + eta);
        }
        this.eta = eta;
    }

    /** The step size used on {@code ctx}. */
    double eta(SelectionContext ctx) {
        if (!Double.isNaN(eta)) {
            return eta;
        }
        return Double.isNaN(ctx.learningRate()) ? DEFAULT_ETA : ctx.learningRate();
    }

    @Override
    public String name() {
        return "glister";
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        double eta = eta(ctx);
        int[] indices = new int[budget];
        double[] scores = new double[budget];
        int filled = 0;
        for (Groups.Group g : Groups.of(ctx, budget)) {
            int[] members = g.positions();
            Tensor idx = Tensor.fromInts(members, members.length);
            Tensor h = Indexing.indexSelect(ctx.embeddings(), 0, idx);
            Tensor logitGrads = ctx.logitGradients(members);
            Tensor p = Indexing.indexSelect(ctx.probabilities(), 0, idx);
            Tensor logits = Pointwise.unary(UnaryOp.LOG, Pointwise.unary(UnaryOp.CLAMP, p, Float.MIN_NORMAL, 1));
            Tensor onehot = oneHot(ctx, members);
            Greedy.Result r = greedy(logitGrads, h, logits, onehot, h, g.budget(), eta);
            for (int i = 0; i < r.order().length; i++) {
                indices[filled] = members[r.order()[i]];
                scores[filled++] = r.gains()[i];
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("eta", eta);
        settings.put("validation", "training set");
        settings.put("balance", ctx.balance());
        return Selection.unweighted(name(), indices, scores, settings);
    }

    private static Tensor oneHot(SelectionContext ctx, int[] members) {
        int[] labels = new int[members.length];
        float[] ones = new float[members.length];
        for (int i = 0; i < members.length; i++) {
            labels[i] = ctx.data().label(members[i]);
            ones[i] = 1;
        }
        return Indexing.scatterRows(Tensor.fromFloats(ones, ones.length), Tensor.fromInts(labels, labels.length), ctx.classes());
    }

    /**
     * The greedy loop on plain tensors.
     *
     * @param g         F32 {@code [n, C]} candidates' logit gradients
     * @param h         F32 {@code [n, E]} candidates' embeddings
     * @param valLogits F32 {@code [m, C]} validation logits at the starting parameters
     * @param valOneHot F32 {@code [m, C]} validation labels, one-hot
     * @param valH      F32 {@code [m, E]} validation embeddings
     */
    static Greedy.Result greedy(Tensor g, Tensor h, Tensor valLogits, Tensor valOneHot, Tensor valH, int k, double eta) {
        int n = g.dim(0);
        int m = valLogits.dim(0);
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("glister: cannot pick " + k + " of " + n + " candidates");
        }
        g = g.to(DType.F32);
        h = h.to(DType.F32);
        valH = valH.to(DType.F32);
        Tensor z = valLogits.to(DType.F32);
        boolean[] used = new boolean[n];
        int[] order = new int[k];
        double[] gains = new double[k];
        for (int t = 0; t < k; t++) {
            // Mean validation gradient of the last layer: bias part b_val [1, C], weight part W_val [C, E].
            Tensor gv = Pointwise.sub(Softmax.softmax(z, 1), valOneHot);
            Tensor bVal = Pointwise.affine(Reductions.sum(gv, new int[]{0}, true), 1.0 / m, 0);
            Tensor wVal = Pointwise.affine(MatMul.matmul(gv.mT(), valH), 1.0 / m, 0);
            // eta (g_i . b_val + g_i . (W_val h_i)) for every candidate at once.
            Tensor a = Pointwise.add(MatMul.matmul(h, wVal.mT()), bVal);
            float[] gain = Reductions.sum(Pointwise.mul(g, a), new int[]{1}, false).toFloatArray();
            int e = -1;
            for (int i = 0; i < n; i++) {
                if (!used[i] && (e < 0 || Greedy.better(gain[i], i, gain[e], e))) {
                    e = i;
                }
            }
            used[e] = true;
            order[t] = e;
            gains[t] = eta * gain[e];
            // theta <- theta - eta grad l_e: z_i -= eta (1 + h_i . h_e) g_e.
            Tensor he = h.slice(0, e, e + 1);
            Tensor s = Pointwise.affine(MatMul.matmul(valH, he.mT()), eta, eta); // [m, 1]
            z = Pointwise.sub(z, Pointwise.mul(s, g.slice(0, e, e + 1)));
        }
        return new Greedy.Result(order, gains);
    }
}
