package org.distill4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.distill4j.kernels.DType;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** grad() with respect to an intermediate value runs no backward rule behind it (unrolled training relies on this). */
class GradPruningTest {
    @Test
    void historyBehindTheInputsIsNotDifferentiated() {
        Var x = Var.param(Tensor.scalar(DType.F64, 3));
        Var history = Var.record("history", x.value().copy(), g -> {
            throw new AssertionError("backward ran on a node that does not lead to the inputs");
        }, x);
        Var y = history.mul(2.0);
        Var z = y.mul(y);
        Var[] g = Autodiff.grad(z, true, y);
        assertEquals(12.0, g[0].item(), 1e-12);
        Var[] h = Autodiff.grad(new Var[]{z}, new Var[]{y}, null, false, false);
        assertEquals(12.0, h[0].item(), 1e-12);
    }
}
