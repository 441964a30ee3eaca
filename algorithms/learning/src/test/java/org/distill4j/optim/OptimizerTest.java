package org.distill4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.autodiff.Var;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class OptimizerTest {
    private static Params one(double... v) {
        Map<String, Var> m = new LinkedHashMap<>();
        m.put("w", Var.param(Tensor.fromDoubles(v, v.length)));
        return new Params(m, Map.of());
    }

    private static Tensor[] grad(double... v) {
        return new Tensor[]{Tensor.fromDoubles(v, v.length)};
    }

    @Test
    void sgdWithMomentumNesterovAndWeightDecayFollowsPyTorch() {
        Params p = one(1.0);
        Sgd sgd = new Sgd(0.1, 0.9, 0.01, true);
        // step 1: g = 2 + 0.01*1 = 2.01, b = 2.01, g' = 2.01 + 0.9*2.01 = 3.819, p = 1 - 0.3819
        sgd.step(p, grad(2));
        assertEquals(0.6181, p.get("w").value().item(), 1e-12);
        // step 2: g = 2 + 0.006181, b = 0.9*2.01 + 2.006181 = 3.815181, g' = 2.006181 + 0.9*3.815181
        sgd.step(p, grad(2));
        double g2 = 2 + 0.01 * 0.6181;
        double b2 = 0.9 * 2.01 + g2;
        assertEquals(0.6181 - 0.1 * (g2 + 0.9 * b2), p.get("w").value().item(), 1e-12);
        assertEquals(b2, sgd.state().get("w.momentum").item(), 1e-12);
    }

    @Test
    void adamMatchesItsDefinitionAndStateRoundTrips() {
        Params p = one(1.0, -1.0);
        Adam adam = new Adam(0.01, 0.5, 0.999);
        double[] m = new double[2];
        double[] v = new double[2];
        double[] x = {1.0, -1.0};
        double[][] gs = {{0.5, -2}, {0.1, 3}, {-1, 0.2}};
        for (int t = 1; t <= 3; t++) {
            adam.step(p, grad(gs[t - 1]));
            for (int i = 0; i < 2; i++) {
                m[i] = 0.5 * m[i] + 0.5 * gs[t - 1][i];
                v[i] = 0.999 * v[i] + 0.001 * gs[t - 1][i] * gs[t - 1][i];
                x[i] -= 0.01 * (m[i] / (1 - Math.pow(0.5, t))) / (Math.sqrt(v[i] / (1 - Math.pow(0.999, t))) + 1e-8);
            }
        }
        assertArrayEquals(x, p.get("w").value().toDoubleArray(), 1e-12);
        Adam restored = new Adam(0.01, 0.5, 0.999);
        restored.loadState(adam.state());
        assertEquals(3, restored.steps());
        Params q = one(x);
        adam.step(p, grad(1, 1));
        restored.step(q, grad(1, 1));
        assertArrayEquals(p.get("w").value().toDoubleArray(), q.get("w").value().toDoubleArray(), 0);
    }

    @Test
    void schedules() {
        assertEquals(0.1 * 0.25, Schedule.step(0.1, 40, 0.5).rate(80), 1e-15);
        assertEquals(0.1 * 0.5, Schedule.step(0.1, 40, 0.5).rate(79), 1e-15);
        assertEquals(1e-3, Schedule.multiStep(0.1, new int[]{10, 5}, 0.1).rate(10), 1e-15);
        Schedule cos = Schedule.cosine(1, 100, 0);
        assertEquals(1, cos.rate(0), 1e-15);
        assertEquals(0.5, cos.rate(50), 1e-12);
        assertEquals(0, cos.rate(100), 1e-15);
    }
}
