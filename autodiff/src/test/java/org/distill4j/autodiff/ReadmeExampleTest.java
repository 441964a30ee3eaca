package org.distill4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The README's example, verbatim between the markers, so that it keeps compiling and stays true. */
class ReadmeExampleTest {
    @Test
    void readmeExample() {
        // README-BEGIN
        Generator gen = new Generator(0);
        Var x = Var.constant(Tensor.randn(gen, DType.F64, 8, 4));        // 8 examples, 4 features
        Tensor labels = Tensor.fromInts(new int[]{0, 1, 2, 0, 1, 2, 0, 1}, 8);
        Var w1 = Var.param(Tensor.randn(gen, DType.F64, 16, 4));         // parameters: leaves that need gradients
        Var w2 = Var.param(Tensor.randn(gen, DType.F64, 3, 16));

        Var hidden = GemmOps.linear(x, w1, null).tanh();              // a tiny MLP: 4 -> 16 -> 3
        Var loss = LossOps.crossEntropy(GemmOps.linear(hidden, w2, null), labels);

        // First-order gradients, recorded (createGraph) so that they can be differentiated again.
        Var[] g = Autodiff.grad(loss, true, w1, w2);

        // A Hessian-vector product: d/dw (g . v) = H v, by differentiating the gradient.
        Var v1 = Var.constant(Tensor.randn(gen, DType.F64, 16, 4));
        Var v2 = Var.constant(Tensor.randn(gen, DType.F64, 3, 16));
        Var gv = g[0].mul(v1).sum().add(g[1].mul(v2).sum());
        Var[] hv = Autodiff.grad(gv, w1, w2);
        // README-END
        assertArrayEquals(new int[]{16, 4}, hv[0].shape());
        Var[] again = Autodiff.hessianVectorProduct(
                LossOps.crossEntropy(GemmOps.linear(GemmOps.linear(x, w1, null).tanh(), w2, null), labels),
                new Var[]{w1, w2}, new Var[]{v1, v2});
        assertEquals(again[1].value().get(2, 5), hv[1].value().get(2, 5), 1e-12);
    }
}
