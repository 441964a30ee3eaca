package org.distill4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
