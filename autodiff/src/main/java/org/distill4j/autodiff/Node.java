package org.distill4j.autodiff;

/**
 * The record of one op in the graph: its inputs and its backward rule. A rule maps the gradient of
 * the op's output to the gradients of its inputs, using differentiable {@link Var} ops only, so that
 * the gradient can itself be differentiated ({@code createGraph}).
 */
final class Node {
    /** {@code g -> [dL/dinput0, dL/dinput1, ...]}; an entry may be null where no gradient is needed. */
    @FunctionalInterface
    interface Backward {
        Var[] apply(Var g);
    }

    final String op;
    private Var[] inputs;
    private Backward backward;

    Node(String op, Var[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    Var[] inputs() {
        if (inputs == null) {
            throw new IllegalStateException("the graph through '" + op + "' was freed by an earlier backward pass;"
                    + " pass retainGraph=true to differentiate it twice");
        }
        return inputs;
    }

    Var[] apply(Var g) {
        inputs();
        return backward.apply(g);
    }

    /** Drops the references that keep saved tensors alive. */
    void release() {
        inputs = null;
        backward = null;
    }
}
