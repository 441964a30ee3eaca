package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.autodiff.Var;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Init;
import org.distill4j.nn.Mode;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DeepFoolTest {
    /** {@code x W^T + b} on flattened inputs: a linear classifier, whose decision boundaries are known exactly. */
    private record Linear(int features, int classes) implements Model {
        @Override
        public String name() {
            return "linear";
        }

        @Override
        public int[] inputShape() {
            return new int[]{features};
        }

        @Override
        public Params init(Generator gen, DType dtype) {
            Map<String, Var> vars = new LinkedHashMap<>();
            vars.put("w", Var.param(Tensor.randn(gen, dtype, classes, features)));
            vars.put("b", Var.param(Tensor.randn(gen, dtype, classes)));
            return new Params(vars, Map.of());
        }

        @Override
        public Params init(Generator gen, DType dtype, Init rule) {
            return init(gen, dtype);
        }

        @Override
        public Var forward(Params params, Var x, Mode mode, Generator gen) {
            return x.matmul(params.get("w").mT()).add(params.get("b"));
        }

        @Override
        public Var embed(Params params, Var x, Mode mode) {
            return x;
        }

        @Override
        public int embeddingSize() {
            return features;
        }

        @Override
        public String lastWeightName() {
            return "w";
        }

        @Override
        public String lastBiasName() {
            return "b";
        }

        @Override
        public int parameterCount() {
            return classes * (features + 1);
        }
    }

    @Test
    void onALinearClassifierTheDistanceIsTheAnalyticDistanceToTheBoundary() {
        int features = 6;
        int classes = 4;
        Linear model = new Linear(features, classes);
        Params p = model.init(new Generator(2), DType.F64);
        Tensor x = Tensor.randn(new Generator(3), DType.F64, 40, features);
        double[] d = DeepFool.distances(model, p, x, DeepFool.MAX_ITERATIONS, DeepFool.OVERSHOOT, 16);
        double[] w = p.get("w").value().toDoubleArray();
        double[] b = p.get("b").value().toDoubleArray();
        double[] xs = x.toDoubleArray();
        for (int i = 0; i < 40; i++) {
            double[] f = new double[classes];
            int k = 0;
            for (int c = 0; c < classes; c++) {
                f[c] = b[c];
                for (int j = 0; j < features; j++) {
                    f[c] += w[c * features + j] * xs[i * features + j];
                }
                k = f[c] > f[k] ? c : k;
            }
            // |(w_k - w_l) . x + b_k - b_l| / ||w_k - w_l||, the nearest of the boundaries of k's region.
            double exact = Double.POSITIVE_INFINITY;
            for (int l = 0; l < classes; l++) {
                if (l != k) {
                    double norm = 0;
                    for (int j = 0; j < features; j++) {
                        double dw = w[k * features + j] - w[l * features + j];
                        norm += dw * dw;
                    }
                    exact = Math.min(exact, Math.abs(f[k] - f[l]) / Math.sqrt(norm));
                }
            }
            assertEquals(exact, d[i], 1e-9 * Math.max(1, exact), "example " + i);
        }
    }

    @Test
    void onANetworkThePerturbationIsSmallAndFinite() {
        Model mlp = Models.mlp(new int[]{5}, 16, 3);
        Params p = mlp.init(new Generator(4), DType.F64);
        Tensor x = Tensor.randn(new Generator(5), DType.F64, 30, 5);
        double[] d = DeepFool.distances(mlp, p, x, DeepFool.MAX_ITERATIONS, DeepFool.OVERSHOOT, 7);
        double[] again = DeepFool.distances(mlp, p, x, DeepFool.MAX_ITERATIONS, DeepFool.OVERSHOOT, 30);
        for (int i = 0; i < 30; i++) {
            assertTrue(d[i] > 0 && Double.isFinite(d[i]), "example " + i + ": " + d[i]);
            assertEquals(d[i], again[i], 1e-12, "the batch size does not change the answer");
        }
    }
}
