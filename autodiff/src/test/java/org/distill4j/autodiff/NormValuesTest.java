package org.distill4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Forward values of the normalisation layers against their definitions, computed by hand. */
class NormValuesTest {
    @Test
    void localResponseNormMatchesPyTorchsDefinitionForEvenSizes() {
        Tensor x = Tensor.randn(new Generator(1), DType.F64, 1, 5, 1, 1);
        double[] v = x.toDoubleArray();
        int size = 4;
        double alpha = 1e-3 / 9;
        double beta = 0.75;
        double[] y = NormOps.localResponseNorm(Var.constant(x), size, alpha, beta, 1).value().toDoubleArray();
        for (int c = 0; c < 5; c++) {
            double sum = 0;
            // torch pads size/2 channels before and (size-1)/2 after, then averages over size channels.
            for (int j = c - size / 2; j <= c + (size - 1) / 2; j++) {
                if (j >= 0 && j < 5) {
                    sum += v[j] * v[j];
                }
            }
            assertEquals(v[c] / Math.pow(1 + alpha * sum / size, beta), y[c], 1e-12);
        }
    }

    @Test
    void instanceNormGivesZeroMeanUnitVariancePlanes() {
        Tensor x = Tensor.randn(new Generator(2), DType.F64, 2, 3, 4, 4);
        double[] y = NormOps.instanceNorm(Var.constant(x), null, null, 0).value().toDoubleArray();
        for (int plane = 0; plane < 6; plane++) {
            double mean = 0;
            double sq = 0;
            for (int i = 0; i < 16; i++) {
                mean += y[plane * 16 + i] / 16;
            }
            for (int i = 0; i < 16; i++) {
                sq += Math.pow(y[plane * 16 + i] - mean, 2) / 16;
            }
            assertEquals(0, mean, 1e-12);
            assertEquals(1, sq, 1e-9);
        }
    }

    @Test
    void batchNormUpdatesRunningStatisticsWithUnbiasedVariance() {
        Tensor x = Tensor.fromDoubles(new double[]{1, 3, 5, 7}, 4, 1, 1, 1);
        Tensor mean = Tensor.zeros(DType.F64, 1);
        Tensor var = Tensor.ones(DType.F64, 1);
        NormOps.batchNorm(Var.constant(x), null, null, mean, var, true, 0.1, 1e-5);
        assertEquals(0.1 * 4, mean.item(), 1e-12);
        assertEquals(0.9 + 0.1 * (9 + 1 + 1 + 9) / 3.0, var.item(), 1e-12);
    }

    /**
     * The one-node standardisation (trailing axes) against its composition from differentiable
     * ops: the same values, first derivatives and Hessian-vector products, on a non-contiguous input.
     */
    @Test
    void fusedStandardizeAgreesWithTheComposition() {
        Generator gen = new Generator(3);
        Tensor base = Tensor.randn(gen, DType.F64, 3, 2, 5, 4);
        Tensor probe = Tensor.randn(gen, DType.F64, 2, 3, 4, 5);
        Tensor v = Tensor.randn(gen, DType.F64, 2, 3, 5, 4);
        int[] axes = {2, 3};
        Tensor[][] results = new Tensor[2][];
        for (int fused = 0; fused < 2; fused++) {
            Var x = Var.param(base.permute(1, 0, 2, 3));
            Var y = fused == 1 ? NormOps.standardize(x, axes, 1e-5) : NormOps.composedStandardize(x, axes, 1e-5);
            Var loss = y.mul(Var.constant(probe.permute(0, 1, 3, 2))).sum();
            Var g = Autodiff.grad(loss, true, x)[0];
            Var hv = Autodiff.grad(g.mul(Var.constant(v)).sum(), x)[0];
            results[fused] = new Tensor[]{y.value(), g.value(), hv.value()};
        }
        for (int i = 0; i < 3; i++) {
            double[] a = results[0][i].toDoubleArray();
            double[] b = results[1][i].toDoubleArray();
            for (int j = 0; j < a.length; j++) {
                assertEquals(a[j], b[j], 1e-10 * (1 + Math.abs(a[j])), "output " + i + " element " + j);
            }
        }
    }

    /**
     * The one-node per-channel affine (and with the ReLU folded in) against the broadcast ops (and
     * ReLU) it replaces: in float the same bits forward and for all three first-order gradients
     * (the one-pass backward), with and without the parameters' gradients, on ConvNet-3's plane
     * sizes and runs longer than a reduction block; in double the same first derivatives and
     * Hessian-vector products (the composed rule under a graph) on a non-contiguous input.
     */
    @Test
    void channelAffineAgreesWithTheComposition() {
        Generator gen = new Generator(5);
        for (boolean relu : new boolean[] {false, true}) {
            for (int[] shape : new int[][] {{4, 3, 14, 14}, {2, 5, 7, 7}, {2, 3, 40, 40}, {3, 2, 3}, {2, 4, 1, 1}}) {
                int c = shape[1];
                Tensor base = Tensor.randn(gen, DType.F32, shape);
                Tensor probe = Tensor.randn(gen, DType.F32, shape);
                Tensor gamma = Tensor.randn(gen, DType.F32, c);
                Tensor beta = Tensor.randn(gen, DType.F32, c);
                for (boolean params : new boolean[] {true, false}) {
                    Tensor[][] results = new Tensor[2][];
                    for (int fused = 0; fused < 2; fused++) {
                        Var x = Var.param(base);
                        Var gv = params ? Var.param(gamma) : Var.constant(gamma);
                        Var bv = params ? Var.param(beta) : Var.constant(beta);
                        Var y = fused == 1 ? NormOps.channelAffine(x, gv, bv, relu) : composed(x, gv, bv, relu);
                        Var loss = y.mul(Var.constant(probe)).sum();
                        Var[] g = params ? Autodiff.grad(loss, x, gv, bv) : Autodiff.grad(loss, x);
                        results[fused] = params ? new Tensor[]{y.value(), g[0].value(), g[1].value(), g[2].value()}
                                : new Tensor[]{y.value(), g[0].value()};
                    }
                    for (int i = 0; i < results[0].length; i++) {
                        float[] a = results[0][i].toFloatArray();
                        float[] b = results[1][i].toFloatArray();
                        for (int j = 0; j < a.length; j++) {
                            assertEquals(Float.floatToIntBits(a[j]), Float.floatToIntBits(b[j]), java.util.Arrays.toString(shape)
                                    + " relu=" + relu + " params=" + params + " output " + i + " element " + j);
                        }
                    }
                }
            }
            Tensor base = Tensor.randn(gen, DType.F64, 3, 2, 5, 4);
            Tensor probe = Tensor.randn(gen, DType.F64, 2, 3, 4, 5);
            Tensor v = Tensor.randn(gen, DType.F64, 2, 3, 5, 4);
            Tensor vg = Tensor.randn(gen, DType.F64, 3);
            Tensor gamma = Tensor.randn(gen, DType.F64, 3);
            Tensor beta = Tensor.randn(gen, DType.F64, 3);
            Tensor[][] results = new Tensor[2][];
            for (int fused = 0; fused < 2; fused++) {
                Var x = Var.param(base.permute(1, 0, 2, 3));
                Var gv = Var.param(gamma);
                Var bv = Var.param(beta);
                Var y = fused == 1 ? NormOps.channelAffine(x, gv, bv, relu) : composed(x, gv, bv, relu);
                Var loss = y.tanh().mul(Var.constant(probe.permute(0, 1, 3, 2))).sum();
                Var[] g = Autodiff.grad(loss, true, x, gv, bv);
                Var[] hv = Autodiff.grad(g[0].mul(Var.constant(v)).sum().add(g[1].mul(Var.constant(vg)).sum()), x, gv, bv);
                results[fused] = new Tensor[]{y.value(), g[0].value(), g[1].value(), g[2].value(), hv[0].value(),
                    hv[1].value(), hv[2].value()};
            }
            for (int i = 0; i < results[0].length; i++) {
                double[] a = results[0][i].toDoubleArray();
                double[] b = results[1][i].toDoubleArray();
                for (int j = 0; j < a.length; j++) {
                    assertEquals(a[j], b[j], 1e-10 * (1 + Math.abs(a[j])), "double relu=" + relu + " output " + i + " element " + j);
                }
            }
        }
    }

    /**
     * Instance norm recording no graph (grad mode off, or no input that requires a gradient) runs
     * in one pass with no standardised tensor ({@code Norm.standardizeAffine}): the same values, bit
     * for bit, as the recorded nodes, with the ReLU and without, on ConvNet-3's plane sizes, a
     * single channel, rank 3, and a non-contiguous input.
     */
    @Test
    void instanceNormWithoutAGraphGivesTheSameBits() {
        Generator gen = new Generator(6);
        for (int[] shape : new int[][] {{4, 3, 14, 14}, {2, 5, 7, 7}, {2, 3, 40, 40}, {3, 2, 3}, {2, 1, 5, 5}}) {
            int c = shape[1];
            Tensor base = Tensor.randn(gen, DType.F32, shape);
            Tensor gamma = Tensor.randn(gen, DType.F32, c);
            Tensor beta = Tensor.randn(gen, DType.F32, c);
            for (boolean relu : new boolean[] {false, true}) {
                Var recorded = norm(Var.param(base), Var.param(gamma), Var.param(beta), relu);
                Var constants = norm(Var.constant(base), Var.constant(gamma), Var.constant(beta), relu);
                Var off;
                try (GradMode.Scope s = GradMode.disabled()) {
                    off = norm(Var.param(base), Var.param(gamma), Var.param(beta), relu);
                }
                assertTrue(recorded.requiresGrad() && !constants.requiresGrad() && !off.requiresGrad());
                float[] want = recorded.value().toFloatArray();
                for (Var v : new Var[] {constants, off}) {
                    float[] got = v.value().toFloatArray();
                    for (int j = 0; j < want.length; j++) {
                        assertEquals(Float.floatToIntBits(want[j]), Float.floatToIntBits(got[j]),
                                java.util.Arrays.toString(shape) + " relu=" + relu + " element " + j);
                    }
                }
            }
        }
        Tensor strided = Tensor.randn(gen, DType.F32, 2, 3, 6, 5).permute(1, 0, 3, 2);   // [3, 2, 5, 6]
        Tensor gamma = Tensor.randn(gen, DType.F32, 2);
        Tensor beta = Tensor.randn(gen, DType.F32, 2);
        float[] want = norm(Var.param(strided), Var.param(gamma), Var.param(beta), true).value().toFloatArray();
        float[] got = norm(Var.constant(strided), Var.constant(gamma), Var.constant(beta), true).value().toFloatArray();
        for (int j = 0; j < want.length; j++) {
            assertEquals(Float.floatToIntBits(want[j]), Float.floatToIntBits(got[j]), "non-contiguous element " + j);
        }
    }

    private static Var norm(Var x, Var gamma, Var beta, boolean relu) {
        return relu ? NormOps.instanceNormRelu(x, gamma, beta, 1e-5) : NormOps.instanceNorm(x, gamma, beta, 1e-5);
    }

    private static Var composed(Var x, Var gamma, Var beta, boolean relu) {
        Var y = NormOps.composedAffine(x, gamma, beta);
        return relu ? y.relu() : y;
    }
}
