package org.distill4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AutodiffTest {
    private static Var vec(double... v) {
        return Var.param(Tensor.fromDoubles(v, v.length));
    }

    @Test
    void backwardAccumulatesIntoLeaves() {
        Var x = vec(1, 2, 3);
        Var y = x.square().sum();
        y.backward();
        assertArrayEquals(new double[]{2, 4, 6}, x.grad().toDoubleArray());
        x.mul(3).sum().backward();
        assertArrayEquals(new double[]{5, 7, 9}, x.grad().toDoubleArray());
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void aFreedGraphCannotBeDifferentiatedTwiceUnlessRetained() {
        Var x = vec(1, 2);
        Var y = x.exp().sum();
        Autodiff.grad(y, x);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Autodiff.grad(y, x));
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
        Var z = x.exp().sum();
        Autodiff.grad(new Var[]{z}, new Var[]{x}, null, false, true);
        assertEquals(Math.exp(1), Autodiff.grad(z, x)[0].value().get(0), 1e-12);
    }

    @Test
    void noGradScopesRecordNothingAndUnreachedInputsGetZeros() {
        Var x = vec(1, 2);
        try (GradMode.Scope s = GradMode.disabled()) {
            Var y = x.square();
            assertFalse(y.requiresGrad());
            assertTrue(y.isLeaf());
        }
        Var unused = vec(5, 6, 7);
        Var[] g = Autodiff.grad(x.sum(), x, unused);
        assertArrayEquals(new double[]{0, 0, 0}, g[1].value().toDoubleArray());
    }

    @Test
    void maxPoolingWithoutAGradientToComeGivesTheSameValues() {
        Generator gen = new Generator(5);
        Tensor t = Tensor.randn(gen, DType.F32, 2, 3, 8, 10);
        Var recorded = PoolOps.maxPool2d(Var.param(t), 2, 2, 0);
        assertTrue(recorded.requiresGrad());
        Var constantInput = PoolOps.maxPool2d(Var.constant(t), 2, 2, 0);
        assertFalse(constantInput.requiresGrad());
        assertArrayEquals(recorded.value().toDoubleArray(), constantInput.value().toDoubleArray());
        try (GradMode.Scope s = GradMode.disabled()) {
            Var inference = PoolOps.maxPool2d(Var.param(t), 2, 2, 0);
            assertTrue(inference.isLeaf());
            assertArrayEquals(recorded.value().toDoubleArray(), inference.value().toDoubleArray());
        }
    }

    @Test
    void firstOrderGradientsAreNotDifferentiableButCreateGraphOnesAre() {
        Var x = vec(2);
        Var g1 = Autodiff.grad(x.pow(3.0).sum(), x)[0];
        assertFalse(g1.requiresGrad());
        Var g2 = Autodiff.grad(x.pow(3.0).sum(), true, x)[0];
        assertTrue(g2.requiresGrad());
        assertEquals(12, g2.item(), 1e-12);
        assertEquals(12, Autodiff.grad(g2.sum(), x)[0].item(), 1e-12); // d(3x^2)/dx = 6x
    }

    /** The Hessian-vector product of a tiny tanh MLP's loss against finite differences of its gradient. */
    @Test
    void hessianVectorProductOfAnMlpMatchesFiniteDifferences() {
        Generator gen = new Generator(3);
        Tensor x = Tensor.randn(gen, DType.F64, 5, 4);
        Tensor labels = Tensor.fromInts(new int[]{0, 2, 1, 1, 0}, 5);
        Tensor w1 = Tensor.randn(gen, DType.F64, 6, 4);
        Tensor w2 = Tensor.randn(gen, DType.F64, 3, 6);
        Tensor v1 = Tensor.randn(gen, DType.F64, 6, 4);
        Tensor v2 = Tensor.randn(gen, DType.F64, 3, 6);
        java.util.function.BiFunction<Tensor, Tensor, Var[]> gradAt = (a, b) -> {
            Var p1 = Var.param(a);
            Var p2 = Var.param(b);
            Var hidden = GemmOps.linear(Var.constant(x), p1, null).tanh();
            Var loss = LossOps.crossEntropy(GemmOps.linear(hidden, p2, null), labels);
            return Autodiff.grad(loss, p1, p2);
        };
        Var p1 = Var.param(w1);
        Var p2 = Var.param(w2);
        Var loss = LossOps.crossEntropy(GemmOps.linear(GemmOps.linear(Var.constant(x), p1, null).tanh(), p2, null),
                labels);
        Var[] hv = Autodiff.hessianVectorProduct(loss, new Var[]{p1, p2}, new Var[]{Var.constant(v1), Var.constant(v2)});
        double h = 1e-5;
        Var[] plus = gradAt.apply(org.distill4j.tensor.Elementwise.add(w1, org.distill4j.tensor.Elementwise.affine(v1, h, 0)),
                org.distill4j.tensor.Elementwise.add(w2, org.distill4j.tensor.Elementwise.affine(v2, h, 0)));
        Var[] minus = gradAt.apply(org.distill4j.tensor.Elementwise.add(w1, org.distill4j.tensor.Elementwise.affine(v1, -h, 0)),
                org.distill4j.tensor.Elementwise.add(w2, org.distill4j.tensor.Elementwise.affine(v2, -h, 0)));
        for (int i = 0; i < 2; i++) {
            double[] a = hv[i].value().toDoubleArray();
            double[] p = plus[i].value().toDoubleArray();
            double[] m = minus[i].value().toDoubleArray();
            for (int j = 0; j < a.length; j++) {
                assertEquals((p[j] - m[j]) / (2 * h), a[j], 1e-6 + 1e-4 * Math.abs(a[j]), "param " + i + " element " + j);
            }
        }
    }

    /**
     * One unrolled SGD step on a quadratic, differentiated with respect to the learning rate:
     * L(theta - eta * grad) with L = 0.5 |theta - c|^2 gives dL/deta = -|theta - c|^2 (1 - eta).
     */
    @Test
    void differentiatesThroughAnSgdStepWithRespectToTheLearningRate() {
        Var theta = vec(3, -1);
        Var c = Var.constant(Tensor.fromDoubles(new double[]{1, 1}, 2));
        Var eta = Var.param(Tensor.scalar(DType.F64, 0.25));
        Var inner = theta.sub(c).square().sum().mul(0.5);
        Var g = Autodiff.grad(inner, true, theta)[0];
        Var next = theta.sub(g.mul(eta));
        Var outer = next.sub(c).square().sum().mul(0.5);
        double d2 = 4 + 4;
        assertEquals(-d2 * (1 - 0.25), Autodiff.grad(outer, eta)[0].item(), 1e-12);
    }

    @Test
    void deepGraphsDoNotOverflowTheStack() {
        Var x = vec(1);
        Var y = x;
        for (int i = 0; i < 20000; i++) {
            y = y.mul(1.0001);
        }
        assertEquals(Math.pow(1.0001, 20000), Autodiff.grad(y.sum(), x)[0].item(), 1e-9);
    }
}
