package org.distill4j.optim;

import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Tensor;

/**
 * Adam (Kingma and Ba 2015) as {@code torch.optim.Adam}: {@code m = b1 m + (1-b1) g},
 * {@code v = b2 v + (1-b2) g^2}, {@code p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)},
 * with L2 weight decay added to the gradient.
 */
public final class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    public Adam(double learningRate, double beta1, double beta2, double eps, double weightDecay) {
        super(learningRate);
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    public Adam(double learningRate, double beta1, double beta2) {
        this(learningRate, beta1, beta2, 1e-8, 0);
    }

    @Override
    protected void update(String name, Tensor p, Tensor grad) {
        Tensor g = weightDecay == 0 ? grad : Elementwise.add(grad, Elementwise.affine(p, weightDecay, 0));
        Tensor m = state.computeIfAbsent(name + ".exp_avg", k -> Elementwise.fullLike(p, 0));
        Tensor v = state.computeIfAbsent(name + ".exp_avg_sq", k -> Elementwise.fullLike(p, 0));
        Elementwise.binaryInto(BinaryOp.ADD, Elementwise.affine(m, beta1, 0), Elementwise.affine(g, 1 - beta1, 0), m);
        Tensor g2 = Elementwise.unary(UnaryOp.SQUARE, g);
        Elementwise.binaryInto(BinaryOp.ADD, Elementwise.affine(v, beta2, 0), Elementwise.affine(g2, 1 - beta2, 0), v);
        double c1 = 1 - Math.pow(beta1, steps);
        double c2 = 1 - Math.pow(beta2, steps);
        Tensor denom = Elementwise.affine(Elementwise.unary(UnaryOp.SQRT, Elementwise.affine(v, 1 / c2, 0)), 1, eps);
        Tensor update = Elementwise.div(Elementwise.affine(m, learningRate / c1, 0), denom);
        Elementwise.binaryInto(BinaryOp.SUB, p, update, p);
    }
}
