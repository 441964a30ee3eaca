package org.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.autodiff.Var;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Init;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The hypergradient is exact: it matches central finite differences of the outer loss in float64
 * (the spirit of the reference code's own check), and both memory modes give the same numbers.
 */
class HypergradientTest {
    private static final DType F64 = DType.F64;

    private record Problem(Model model, Params init, DistilledLeaves leaves, Tensor realX, Tensor realY) {
    }

    private static Problem problem(Model model, int steps, int epochs, boolean soft, long seed) {
        Generator gen = new Generator(seed);
        Params init = model.init(gen.fork(0), F64, Init.XAVIER_NORMAL);
        DistilledLeaves d = DistilledLeaves.init(gen.fork(1), F64, model.inputShape(), model.classes(), 1, steps, epochs,
                0.3, soft);
        // Different rates per step, so a mix-up of which rate belongs to which step would show.
        for (int t = 0; t < d.rawLrs().length; t++) {
            d.rawLrs()[t] = Var.param(Tensor.scalar(F64, -1.0 + 0.4 * t));
        }
        int[] shape = model.inputShape();
        int[] xs = new int[shape.length + 1];
        xs[0] = 12;
        System.arraycopy(shape, 0, xs, 1, shape.length);
        Tensor realX = Tensor.randn(gen.fork(2), F64, xs);
        int[] y = new int[12];
        for (int i = 0; i < y.length; i++) {
            y[i] = gen.fork(3).fork(i).nextInt(model.classes());
        }
        return new Problem(model, init, d, realX, Tensor.fromInts(y, y.length));
    }

    private static double loss(Problem p) {
        return UnrolledTraining.hypergradient(p.model, p.init, p.leaves, p.realX, p.realY,
                UnrolledTraining.Memory.RECOMPUTE).loss();
    }

    /** Central difference of the loss along one coordinate of a leaf (modified in place, then restored). */
    private static double finiteDifference(Problem p, Var leaf, int index) {
        double eps = 1e-6;
        double[] v = leaf.value().toDoubleArray();
        Tensor original = leaf.value().copy();
        v[index] += eps;
        setValue(leaf, Tensor.from(F64, v, leaf.shape()));
        double plus = loss(p);
        v[index] -= 2 * eps;
        setValue(leaf, Tensor.from(F64, v, leaf.shape()));
        double minus = loss(p);
        setValue(leaf, original);
        return (plus - minus) / (2 * eps);
    }

    private static void setValue(Var leaf, Tensor value) {
        org.distill4j.tensor.Elementwise.unaryInto(org.distill4j.kernels.UnaryOp.AFFINE, value, 1, 0, leaf.value());
    }

    @Test
    void hypergradientMatchesFiniteDifferences() {
        for (boolean soft : new boolean[]{false, true}) {
            Problem p = problem(Models.mlp(new int[]{1, 3, 3}, 6, 3), 2, 2, soft, 7);
            UnrolledTraining.Hypergradient g = UnrolledTraining.hypergradient(p.model, p.init, p.leaves, p.realX,
                    p.realY, UnrolledTraining.Memory.KEEP);
            Generator pick = new Generator(11);
            for (int s = 0; s < p.leaves.steps(); s++) {
                for (int k = 0; k < 4; k++) {
                    int i = pick.nextInt(p.leaves.images()[s].size());
                    check(finiteDifference(p, p.leaves.images()[s], i), g.images()[s].toDoubleArray()[i], "image " + s + "/" + i);
                }
                if (soft) {
                    int i = pick.nextInt(p.leaves.labelLogits()[s].size());
                    check(finiteDifference(p, p.leaves.labelLogits()[s], i), g.labelLogits()[s].toDoubleArray()[i],
                            "label logit " + s + "/" + i);
                }
            }
            for (int t = 0; t < p.leaves.rawLrs().length; t++) {
                check(finiteDifference(p, p.leaves.rawLrs()[t], 0), g.rawLrs()[t].item(), "rate " + t);
            }
        }
    }

    private static void check(double numeric, double analytic, String what) {
        assertTrue(Math.abs(numeric) + Math.abs(analytic) > 1e-9, what + ": gradient is zero, the test would be empty");
        assertEquals(numeric, analytic, 1e-5 + 1e-3 * Math.abs(numeric), what);
    }

    @Test
    void keepAndRecomputeAgree() {
        Model[] models = {Models.mlp(new int[]{1, 4, 4}, 8, 3), Models.lenet(new int[]{1, 28, 28}, 4)};
        for (Model m : models) {
            Problem p = problem(m, 2, 2, m.name().equals("mlp"), 3);
            UnrolledTraining.Hypergradient a = UnrolledTraining.hypergradient(p.model, p.init, p.leaves, p.realX,
                    p.realY, UnrolledTraining.Memory.KEEP);
            UnrolledTraining.Hypergradient b = UnrolledTraining.hypergradient(p.model, p.init, p.leaves, p.realX,
                    p.realY, UnrolledTraining.Memory.RECOMPUTE);
            assertEquals(a.loss(), b.loss(), 1e-12);
            for (int s = 0; s < a.images().length; s++) {
                assertClose(a.images()[s], b.images()[s], m.name() + " image step " + s);
            }
            for (int t = 0; t < a.rawLrs().length; t++) {
                assertClose(a.rawLrs()[t], b.rawLrs()[t], m.name() + " rate " + t);
            }
            if (a.labelLogits() != null) {
                for (int s = 0; s < a.labelLogits().length; s++) {
                    assertClose(a.labelLogits()[s], b.labelLogits()[s], m.name() + " labels " + s);
                }
            }
        }
    }

    private static void assertClose(Tensor x, Tensor y, String what) {
        double[] a = x.toDoubleArray();
        double[] b = y.toDoubleArray();
        double scale = 0;
        for (double v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, what + ": all-zero gradient");
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-10 * (1 + scale), what + " [" + i + "]");
        }
    }
}
