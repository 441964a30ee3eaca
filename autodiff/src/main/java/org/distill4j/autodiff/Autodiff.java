package org.distill4j.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Shape;

/**
 * Reverse-mode differentiation over the recorded graph, with {@code torch.autograd.grad}'s
 * semantics: with {@code createGraph} the backward pass is itself recorded, so its result can be
 * differentiated again (Hessian-vector products, gradients through unrolled training).
 */
public final class Autodiff {
    private Autodiff() {
    }

    /** Gradients of the scalar {@code output} with respect to {@code inputs}, not differentiable further. */
    public static Var[] grad(Var output, Var... inputs) {
        return grad(new Var[]{output}, inputs, null, false, false);
    }

    /** Gradients of the scalar {@code output}; with {@code createGraph} they can be differentiated again. */
    public static Var[] grad(Var output, boolean createGraph, Var... inputs) {
        return grad(new Var[]{output}, inputs, null, createGraph, createGraph);
    }

    /**
     * The vector-Jacobian product {@code sum_j gradOutputs[j] . d outputs[j] / d inputs[i]} for each
     * input. {@code gradOutputs} may be null when every output is a scalar (ones are used). An input
     * that the outputs do not depend on gets a zero gradient. The graph is freed afterwards unless
     * {@code retainGraph} (implied by {@code createGraph}).
     */
    public static Var[] grad(Var[] outputs, Var[] inputs, Var[] gradOutputs, boolean createGraph, boolean retainGraph) {
        Map<Var, Var> grads = propagate(outputs, gradOutputs, createGraph, retainGraph || createGraph,
                Collections.newSetFromMap(new IdentityHashMap<>()), inputs);
        Var[] result = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Var g = grads.get(inputs[i]);
            result[i] = g != null ? g : Var.constant(Elementwise.fullLike(inputs[i].value(), 0));
        }
        return result;
    }

    /** Accumulates the gradient of scalar {@code output} into the {@code grad()} of every reachable leaf parameter. */
    public static void backward(Var output, boolean retainGraph) {
        Set<Var> leaves = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Var, Var> grads = propagate(new Var[]{output}, null, false, retainGraph, leaves);
        for (Var leaf : leaves) {
            Var g = grads.get(leaf);
            if (g != null) {
                leaf.accumulateGrad(g.value());
            }
        }
    }

    /** The Hessian-vector product {@code (d^2 output / d params^2) v} of a scalar output. */
    public static Var[] hessianVectorProduct(Var output, Var[] params, Var[] v) {
        Var[] g = grad(new Var[]{output}, params, null, true, true);
        Var dot = null;
        for (int i = 0; i < params.length; i++) {
            Var term = g[i].mul(v[i]).sum();
            dot = dot == null ? term : dot.add(term);
        }
        return grad(new Var[]{dot}, params, null, false, false);
    }

    private static Map<Var, Var> propagate(Var[] outputs, Var[] gradOutputs, boolean createGraph, boolean retainGraph,
                                           Set<Var> leaves, Var... keep) {
        Set<Var> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        wanted.addAll(Arrays.asList(keep));
        Map<Var, Var> grads = new IdentityHashMap<>();
        for (int i = 0; i < outputs.length; i++) {
            Var out = outputs[i];
            Var seed;
            if (gradOutputs != null && gradOutputs[i] != null) {
                seed = gradOutputs[i];
                if (!Arrays.equals(seed.shape(), out.shape())) {
                    throw new IllegalArgumentException("gradient of shape " + Shape.str(seed.shape())
                            + " for an output of shape " + Shape.str(out.shape()));
                }
            } else {
                if (out.size() != 1) {
                    throw new IllegalArgumentException("grad of a non-scalar output " + Shape.str(out.shape())
                            + " needs gradOutputs");
                }
                seed = Var.constant(Elementwise.fullLike(out.value(), 1));
            }
            grads.merge(out, seed, Autodiff::sum);
        }
        List<Var> order = topologicalOrder(outputs, leaves);
        Set<Var> needed = keep.length == 0 ? null : leadingTo(order, wanted);
        try (GradMode.Scope scope = GradMode.enabled(createGraph)) {
            for (int idx = order.size() - 1; idx >= 0; idx--) {
                Var v = order.get(idx);
                Var g = wanted.contains(v) ? grads.get(v) : grads.remove(v);
                if (g == null || needed != null && !needed.contains(v)) {
                    continue;
                }
                Var[] inputs = v.node.inputs();
                Var[] inputGrads = v.node.apply(g);
                for (int i = 0; i < inputs.length; i++) {
                    Var in = inputs[i];
                    if (in == null || !in.requiresGrad() || inputGrads[i] == null) {
                        continue;
                    }
                    if (!Arrays.equals(inputGrads[i].shape(), in.shape())) {
                        throw new IllegalStateException("backward of '" + v.node.op + "' gave a gradient of shape "
                                + Shape.str(inputGrads[i].shape()) + " for input " + i + " of shape "
                                + Shape.str(in.shape()));
                    }
                    grads.merge(in, inputGrads[i], Autodiff::sum);
                }
                if (!retainGraph) {
                    v.node.release();
                }
            }
        }
        return grads;
    }

    private static Var sum(Var a, Var b) {
        return ElementwiseOps.add(a, b);
    }

    /**
     * The variables of {@code order} from which some wanted input can be reached. Like
     * torch.autograd.grad, backward rules run only on these: when the inputs are intermediate
     * values (the parameters at step t of an unrolled training run), nothing flows on into the
     * history behind them.
     */
    private static Set<Var> leadingTo(List<Var> order, Set<Var> wanted) {
        Set<Var> needed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Var v : order) {
            if (wanted.contains(v)) {
                needed.add(v);
                continue;
            }
            for (Var in : v.node.inputs()) {
                if (in != null && (wanted.contains(in) || needed.contains(in))) {
                    needed.add(v);
                    break;
                }
            }
        }
        return needed;
    }

    /** Non-leaf variables reachable from {@code outputs}, each after all its inputs; leaves go to {@code leaves}. */
    private static List<Var> topologicalOrder(Var[] outputs, Set<Var> leaves) {
        List<Var> order = new ArrayList<>();
        Set<Var> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        for (Var out : outputs) {
            if (out.node == null) {
                if (out.requiresGrad()) {
                    leaves.add(out);
                }
                continue;
            }
            if (visited.add(out)) {
                stack.push(new Object[]{out, 0});
            }
            while (!stack.isEmpty()) {
                Object[] frame = stack.peek();
                Var v = (Var) frame[0];
                Var[] inputs = v.node.inputs();
                int next = (Integer) frame[1];
                if (next < inputs.length) {
                    frame[1] = next + 1;
                    Var in = inputs[next];
                    if (in == null || !in.requiresGrad()) {
                        continue;
                    }
                    if (in.node == null) {
                        leaves.add(in);
                    } else if (visited.add(in)) {
                        stack.push(new Object[]{in, 0});
                    }
                } else {
                    stack.pop();
                    order.add(v);
                }
            }
        }
        return order;
    }
}
