package org.distill4j.autodiff;

import org.distill4j.kernels.BinaryOp;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;

/** Ops that draw random numbers from a seeded {@link Generator}. */
public final class RngOps {
    private RngOps() {
    }

    /**
     * Inverted dropout: in training, each element is zeroed with probability {@code p} and the rest
     * scaled by {@code 1/(1-p)}; the mask is a constant of the forward pass. Identity otherwise.
     */
    public static Var dropout(Var x, double p, Generator gen, boolean training) {
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        if (!training || p == 0) {
            return x;
        }
        Tensor u = Tensor.uniform(gen, x.dtype(), 0, 1, x.shape());
        Tensor keep = Elementwise.binary(BinaryOp.GE, u, Elementwise.scalarLike(u, p));
        return ElementwiseOps.mul(x, Var.constant(Elementwise.affine(keep, 1 / (1 - p), 0)));
    }
}
