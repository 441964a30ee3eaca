package org.distill4j.optim;

import org.distill4j.kernels.BinaryOp;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Tensor;

/**
 * Stochastic gradient descent as {@code torch.optim.SGD}: with weight decay {@code g += wd * p};
 * with momentum {@code b = mu * b + g} (b = g on the first step), then {@code g = b}, or
 * {@code g += mu * b} with Nesterov; finally {@code p -= lr * g}.
 */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;

    public Sgd(double learningRate, double momentum, double weightDecay, boolean nesterov) {
        super(learningRate);
        if (momentum < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("momentum and weight decay must be >= 0, got " + momentum + " and " + weightDecay);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    protected void update(String name, Tensor p, Tensor grad) {
        Tensor g = weightDecay == 0 ? grad : Elementwise.add(grad, Elementwise.affine(p, weightDecay, 0));
        if (momentum != 0) {
            String key = name + ".momentum";
            Tensor buf = state.get(key);
            if (buf == null) {
                buf = g.copy();
                state.put(key, buf);
            } else {
                Elementwise.binaryInto(BinaryOp.ADD, Elementwise.affine(buf, momentum, 0), g, buf);
            }
            g = nesterov ? Elementwise.add(g, Elementwise.affine(buf, momentum, 0)) : buf;
        }
        Elementwise.binaryInto(BinaryOp.SUB, p, Elementwise.affine(g, learningRate, 0), p);
    }
}
