package org.distill4j.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.autodiff.Var;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/**
 * An optimiser updates parameter tensors in place from their gradients. Its state (momentum
 * buffers, Adam moments, step count) is a map of named tensors, so it can be inspected, saved
 * next to a checkpoint and loaded to continue training.
 */
public abstract class Optimizer {
    protected double learningRate;
    protected final Map<String, Tensor> state = new LinkedHashMap<>();
    protected long steps;

    protected Optimizer(double learningRate) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    public double learningRate() {
        return learningRate;
    }

    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    public long steps() {
        return steps;
    }

    /** Applies one update to every parameter; {@code grads[i]} belongs to {@code params.vars().get(i)}. */
    public final void step(Params params, Tensor[] grads) {
        List<String> names = params.names();
        if (grads.length != names.size()) {
            throw new IllegalArgumentException(grads.length + " gradients for " + names.size() + " parameters");
        }
        steps++;
        for (int i = 0; i < grads.length; i++) {
            Tensor p = params.get(names.get(i)).value();
            if (!p.sameShape(grads[i])) {
                throw new IllegalArgumentException("gradient of shape " + Shape.str(grads[i].shape()) + " for parameter '"
                        + names.get(i) + "' of shape " + Shape.str(p.shape()));
            }
            update(names.get(i), p, grads[i]);
        }
    }

    /** {@link #step(Params, Tensor[])} with the gradients as variables. */
    public final void step(Params params, Var[] grads) {
        Tensor[] g = new Tensor[grads.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = grads[i].value();
        }
        step(params, g);
    }

    /** Updates {@code param} (contiguous, in place) from {@code grad}. */
    protected abstract void update(String name, Tensor param, Tensor grad);

    /** The optimiser's buffers by {@code parameter.kind}, plus {@code steps} as a scalar. */
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>(state);
        out.put("steps", Tensor.scalar(org.distill4j.kernels.DType.F64, steps));
        return out;
    }

    public void loadState(Map<String, Tensor> saved) {
        state.clear();
        saved.forEach((k, v) -> {
            if (k.equals("steps")) {
                steps = (long) v.item();
            } else {
                state.put(k, v.copy());
            }
        });
    }
}
