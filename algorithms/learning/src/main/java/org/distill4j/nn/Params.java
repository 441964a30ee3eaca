package org.distill4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.distill4j.autodiff.Var;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/**
 * A model's parameters, named and ordered, as {@link Var}s that a forward pass reads explicitly:
 * {@code model.forward(params, x, mode)}. Because parameters are passed in rather than owned,
 * a distiller can run a training step as {@code params.map((name, p) -> p - eta * grad)} and
 * differentiate through it. Non-trainable state (batch-norm running statistics) lives in
 * {@link #buffers()} and is shared, not copied, by {@link #map}.
 */
public final class Params {
    private final LinkedHashMap<String, Var> vars;
    private final LinkedHashMap<String, Tensor> buffers;

    public Params(Map<String, Var> vars, Map<String, Tensor> buffers) {
        this.vars = new LinkedHashMap<>(vars);
        this.buffers = new LinkedHashMap<>(buffers);
    }

    public Var get(String name) {
        Var v = vars.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'; have " + vars.keySet());
        }
        return v;
    }

    public Tensor buffer(String name) {
        Tensor t = buffers.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no buffer '" + name + "'; have " + buffers.keySet());
        }
        return t;
    }

    public List<String> names() {
        return List.copyOf(vars.keySet());
    }

    public List<Var> vars() {
        return List.copyOf(vars.values());
    }

    public Var[] array() {
        return vars.values().toArray(new Var[0]);
    }

    public Map<String, Tensor> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /** Total number of trainable scalars. */
    public int count() {
        int n = 0;
        for (Var v : vars.values()) {
            n += v.size();
        }
        return n;
    }

    /** New parameters {@code f(name, var)} under the same names, sharing the buffers. */
    public Params map(BiFunction<String, Var, Var> f) {
        LinkedHashMap<String, Var> out = new LinkedHashMap<>();
        for (Map.Entry<String, Var> e : vars.entrySet()) {
            Var v = f.apply(e.getKey(), e.getValue());
            if (!java.util.Arrays.equals(v.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' changed shape from "
                        + Shape.str(e.getValue().shape()) + " to " + Shape.str(v.shape()));
            }
            out.put(e.getKey(), v);
        }
        return new Params(out, buffers);
    }

    /** The same values as fresh leaves that require gradients (the start of a training run). */
    public Params asLeaves() {
        return map((n, v) -> Var.param(v.value()));
    }

    /** A deep copy: fresh leaf tensors and fresh buffers, nothing shared. */
    public Params copy() {
        LinkedHashMap<String, Var> out = new LinkedHashMap<>();
        vars.forEach((n, v) -> out.put(n, Var.param(v.value().copy())));
        LinkedHashMap<String, Tensor> bufs = new LinkedHashMap<>();
        buffers.forEach((n, t) -> bufs.put(n, t.copy()));
        return new Params(out, bufs);
    }

    /** All parameters as one vector, in order. */
    public Tensor flatten() {
        List<Tensor> parts = new ArrayList<>();
        for (Var v : vars.values()) {
            parts.add(v.value().reshape(v.size()));
        }
        return Indexing.concat(0, parts.toArray(new Tensor[0]));
    }

    /** Parameters shaped like these, filled from {@code flat} (the inverse of {@link #flatten}). */
    public Params unflatten(Tensor flat) {
        if (flat.rank() != 1 || flat.size() != count()) {
            throw new IllegalArgumentException("unflatten: expected a vector of " + count() + " values, got "
                    + Shape.str(flat.shape()));
        }
        int[] offset = {0};
        return map((n, v) -> {
            Tensor part = flat.slice(0, offset[0], offset[0] + v.size()).reshape(v.shape()).copy();
            offset[0] += v.size();
            return Var.param(part);
        });
    }

    public DType dtype() {
        return vars.values().iterator().next().dtype();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Params[").append(count()).append(" scalars");
        vars.forEach((n, v) -> sb.append(", ").append(n).append(Shape.str(v.shape())));
        return sb.append(']').toString();
    }
}
