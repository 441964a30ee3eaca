package org.distill4j.distill;

import org.distill4j.autodiff.Autodiff;
import org.distill4j.autodiff.GradMode;
import org.distill4j.autodiff.LossOps;
import org.distill4j.autodiff.SoftmaxOps;
import org.distill4j.autodiff.Var;
import org.distill4j.nn.Mode;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Tensor;

/**
 * The inner loop of Dataset Distillation (Wang et al. 2018, Algorithm 1) and its exact
 * hypergradient. Starting from theta_0, step t trains on the step tensor {@code t mod S} with its
 * own rate {@code eta_t = softplus(raw_t)}:
 * {@code theta_{t+1} = theta_t - eta_t grad_theta l(x_{t mod S}, theta_t)}, and the outer loss is the
 * cross-entropy of theta_T on real data. Its gradient with respect to every image, rate (and soft
 * label) flows back through all T steps, each contributing a Hessian-vector product.
 *
 * <p>Two ways to get it, equal up to rounding: {@link Memory#KEEP} records one graph through all
 * T steps; {@link Memory#RECOMPUTE} keeps only the T parameter vectors and rebuilds each step's
 * graph during the reverse pass, propagating the adjoint dL/dtheta_{t+1} through it (the reference
 * code's own backward loop, {@code train_distilled_image.py}).
 */
public final class UnrolledTraining {
    public enum Memory { KEEP, RECOMPUTE }

    /** The outer loss and its gradient for each learnable leaf, in the order of {@link DistilledLeaves}. */
    public record Hypergradient(double loss, Tensor[] images, Tensor[] rawLrs, Tensor[] labelLogits) {
    }

    private UnrolledTraining() {
    }

    /** One inner step from {@code theta}; with {@code createGraph} the new parameters depend on x, rate and label. */
    static Params step(Model model, Params theta, DistilledLeaves d, int t, boolean createGraph) {
        int s = t % d.steps();
        Var x = createGraph ? d.images()[s] : Var.constant(d.images()[s].value());
        Var raw = createGraph ? d.rawLrs()[t] : Var.constant(d.rawLrs()[t].value());
        Var logits = model.forward(theta, x, Mode.TRAIN);
        Var loss;
        if (d.soft()) {
            Var logit = createGraph ? d.labelLogits()[s] : Var.constant(d.labelLogits()[s].value());
            loss = LossOps.crossEntropy(logits, SoftmaxOps.softmax(logit, 1));
        } else {
            loss = LossOps.crossEntropy(logits, d.hardLabels()[s]);
        }
        Var[] g = Autodiff.grad(loss, createGraph, theta.array());
        Var lr = raw.softplus();
        int[] i = {0};
        try (GradMode.Scope scope = GradMode.enabled(createGraph)) {
            return theta.map((name, p) -> p.sub(g[i[0]++].mul(lr)));
        }
    }

    /** theta_T from {@code init}, without recording a graph (replay, and the forward pass of RECOMPUTE). */
    public static Params train(Model model, Params init, DistilledLeaves d) {
        Params theta = init.asLeaves();
        for (int t = 0; t < d.rawLrs().length; t++) {
            theta = step(model, theta, d, t, false).asLeaves();
        }
        return theta;
    }

    /** The outer loss of training from {@code init} and its exact gradient w.r.t. the distilled leaves. */
    public static Hypergradient hypergradient(Model model, Params init, DistilledLeaves d, Tensor realX, Tensor realY,
                                              Memory memory) {
        return memory == Memory.KEEP ? keep(model, init, d, realX, realY) : recompute(model, init, d, realX, realY);
    }

    private static Var outerLoss(Model model, Params theta, Tensor realX, Tensor realY) {
        return LossOps.crossEntropy(model.forward(theta, Var.constant(realX), Mode.TRAIN), realY);
    }

    private static Hypergradient keep(Model model, Params init, DistilledLeaves d, Tensor realX, Tensor realY) {
        Params theta = init.asLeaves();
        for (int t = 0; t < d.rawLrs().length; t++) {
            theta = step(model, theta, d, t, true);
        }
        Var loss = outerLoss(model, theta, realX, realY);
        Var[] leaves = d.all();
        Var[] g = Autodiff.grad(new Var[]{loss}, leaves, null, false, false);
        Tensor[] flat = new Tensor[g.length];
        for (int i = 0; i < g.length; i++) {
            flat[i] = g[i].value();
        }
        return d.split(loss.item(), flat);
    }

    private static Hypergradient recompute(Model model, Params init, DistilledLeaves d, Tensor realX, Tensor realY) {
        int steps = d.rawLrs().length;
        Params[] saved = new Params[steps + 1];
        saved[0] = init.asLeaves();
        for (int t = 0; t < steps; t++) {
            saved[t + 1] = step(model, saved[t], d, t, false).asLeaves();
        }
        Var loss = outerLoss(model, saved[steps], realX, realY);
        Var[] adjoint = Autodiff.grad(loss, false, saved[steps].array());
        saved[steps] = null;
        Tensor[] gImages = new Tensor[d.steps()];
        Tensor[] gRaw = new Tensor[steps];
        Tensor[] gLabels = d.soft() ? new Tensor[d.steps()] : null;
        for (int t = steps - 1; t >= 0; t--) {
            int s = t % d.steps();
            Params theta = saved[t];
            saved[t] = null;
            Var[] next = step(model, theta, d, t, true).array();
            Var[] thetaVars = theta.array();
            int p = thetaVars.length;
            Var[] inputs = new Var[p + (d.soft() ? 3 : 2)];
            System.arraycopy(thetaVars, 0, inputs, 0, p);
            inputs[p] = d.images()[s];
            inputs[p + 1] = d.rawLrs()[t];
            if (d.soft()) {
                inputs[p + 2] = d.labelLogits()[s];
            }
            Var[] g = Autodiff.grad(next, inputs, adjoint, false, false);
            adjoint = java.util.Arrays.copyOf(g, p);
            gImages[s] = accumulate(gImages[s], g[p].value());
            gRaw[t] = g[p + 1].value();
            if (d.soft()) {
                gLabels[s] = accumulate(gLabels[s], g[p + 2].value());
            }
        }
        return new Hypergradient(loss.item(), gImages, gRaw, gLabels);
    }

    private static Tensor accumulate(Tensor sum, Tensor g) {
        return sum == null ? g : Elementwise.add(sum, g);
    }
}
