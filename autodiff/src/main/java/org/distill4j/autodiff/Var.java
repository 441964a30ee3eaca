package org.distill4j.autodiff;

import org.distill4j.kernels.DType;
import org.distill4j.tensor.Tensor;

/**
 * A differentiable value: a {@link Tensor} plus, when it was computed from variables that require
 * gradients while {@link GradMode} was on, the {@link Node} that made it. Leaves made with
 * {@link #param} require gradients; {@link #backward()} accumulates into their {@link #grad()}.
 *
 * <p>The instance methods below are shorthands for the op families ({@link ElementwiseOps},
 * {@link ReduceOps}, {@link ShapeOps}, {@link GemmOps}); each family keeps an op's forward and
 * backward rule side by side.
 */
public final class Var {
    private final Tensor value;
    private final boolean requiresGrad;
    final Node node;
    private Tensor grad;

    private Var(Tensor value, boolean requiresGrad, Node node) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.node = node;
    }

    /** A value that gradients do not flow into. */
    public static Var constant(Tensor value) {
        return new Var(value, false, null);
    }

    /** A leaf that requires gradients (a parameter, a distilled image, a learning rate). */
    public static Var param(Tensor value) {
        return new Var(value, true, null);
    }

    /**
     * The output of an op: recorded with {@code backward} when grad mode is on and some input
     * requires gradients, a plain constant otherwise.
     */
    static Var record(String op, Tensor value, Node.Backward backward, Var... inputs) {
        if (GradMode.isEnabled()) {
            for (Var in : inputs) {
                if (in != null && in.requiresGrad) {
                    return new Var(value, true, new Node(op, inputs, backward));
                }
            }
        }
        return new Var(value, false, null);
    }

    /** A rank-0 constant of {@code like}'s dtype. */
    public static Var scalar(double value, Var like) {
        return constant(org.distill4j.tensor.Elementwise.scalarLike(like.value, value));
    }

    // ---- state --------------------------------------------------------------------------------

    public Tensor value() {
        return value;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** True for variables no op produced: constants and parameters. */
    public boolean isLeaf() {
        return node == null;
    }

    /** The gradient accumulated by {@link #backward()}; null before. */
    public Tensor grad() {
        return grad;
    }

    public void zeroGrad() {
        grad = null;
    }

    void accumulateGrad(Tensor g) {
        grad = grad == null ? g : org.distill4j.tensor.Elementwise.add(grad, g);
    }

    /** The same value, cut from the graph. */
    public Var detach() {
        return constant(value);
    }

    public int[] shape() {
        return value.shape();
    }

    public int dim(int axis) {
        return value.dim(axis);
    }

    public int rank() {
        return value.rank();
    }

    public int size() {
        return value.size();
    }

    public DType dtype() {
        return value.dtype();
    }

    public double item() {
        return value.item();
    }

    /** Backpropagates from this scalar into the {@link #grad()} of every leaf that requires gradients. */
    public void backward() {
        Autodiff.backward(this, false);
    }

    // ---- shorthands for the op families -------------------------------------------------------

    public Var add(Var o) {
        return ElementwiseOps.add(this, o);
    }

    public Var add(double c) {
        return ElementwiseOps.affine(this, 1, c);
    }

    public Var sub(Var o) {
        return ElementwiseOps.sub(this, o);
    }

    public Var sub(double c) {
        return ElementwiseOps.affine(this, 1, -c);
    }

    public Var mul(Var o) {
        return ElementwiseOps.mul(this, o);
    }

    public Var mul(double c) {
        return ElementwiseOps.affine(this, c, 0);
    }

    public Var div(Var o) {
        return ElementwiseOps.div(this, o);
    }

    public Var div(double c) {
        return ElementwiseOps.affine(this, 1 / c, 0);
    }

    public Var neg() {
        return ElementwiseOps.neg(this);
    }

    public Var pow(double p) {
        return ElementwiseOps.pow(this, p);
    }

    public Var pow(Var p) {
        return ElementwiseOps.pow(this, p);
    }

    public Var square() {
        return ElementwiseOps.square(this);
    }

    public Var exp() {
        return ElementwiseOps.exp(this);
    }

    public Var log() {
        return ElementwiseOps.log(this);
    }

    public Var sqrt() {
        return ElementwiseOps.sqrt(this);
    }

    public Var abs() {
        return ElementwiseOps.abs(this);
    }

    public Var relu() {
        return ElementwiseOps.relu(this);
    }

    public Var sigmoid() {
        return ElementwiseOps.sigmoid(this);
    }

    public Var tanh() {
        return ElementwiseOps.tanh(this);
    }

    public Var softplus() {
        return ElementwiseOps.softplus(this);
    }

    /** Sum of all elements (rank 0). */
    public Var sum() {
        return ReduceOps.sum(this, new int[0], false);
    }

    public Var sum(int[] axes, boolean keepDims) {
        return ReduceOps.sum(this, axes, keepDims);
    }

    /** Mean of all elements (rank 0). */
    public Var mean() {
        return ReduceOps.mean(this, new int[0], false);
    }

    public Var mean(int[] axes, boolean keepDims) {
        return ReduceOps.mean(this, axes, keepDims);
    }

    public Var max(int[] axes, boolean keepDims) {
        return ReduceOps.max(this, axes, keepDims);
    }

    public Var reshape(int... shape) {
        return ShapeOps.reshape(this, shape);
    }

    public Var permute(int... order) {
        return ShapeOps.permute(this, order);
    }

    public Var transpose(int a, int b) {
        return ShapeOps.transpose(this, a, b);
    }

    /** The transpose of the last two axes. */
    public Var mT() {
        return ShapeOps.transpose(this, -2, -1);
    }

    public Var slice(int axis, int start, int end) {
        return ShapeOps.slice(this, axis, start, end, 1);
    }

    public Var expand(int... shape) {
        return ShapeOps.expand(this, shape);
    }

    public Var unsqueeze(int axis) {
        return ShapeOps.unsqueeze(this, axis);
    }

    public Var squeeze(int axis) {
        return ShapeOps.squeeze(this, axis);
    }

    public Var matmul(Var o) {
        return GemmOps.matmul(this, o);
    }

    @Override
    public String toString() {
        return "Var" + (requiresGrad ? "(grad" + (node != null ? ", " + node.op : "") + ")" : "") + " " + value;
    }
}
