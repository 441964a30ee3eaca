package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.distill4j.autodiff.Var;
import org.distill4j.distill.DistilledLeaves;
import org.distill4j.distill.UnrolledTraining;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Init;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The distillation hypergradient (second-order gradients through an unrolled training run) in
 * float64 on the CUDA backend equals the CPU backend's, for both memory modes and soft labels.
 * distill's HypergradientTest checks the CPU's against finite differences; this one is cheap
 * enough for the emulated device, where scripts/gpu-check --emulate runs it instead.
 */
@Tag("gpu")
class HypergradientCudaTest {

    private record Result(double loss, double[][] grads) {
    }

    private static Result hypergradient(UnrolledTraining.Memory memory) {
        DType f64 = DType.F64;
        Model model = Models.mlp(new int[] {1, 3, 3}, 6, 3);
        Generator gen = new Generator(7);
        Params init = model.init(gen.fork(0), f64, Init.XAVIER_NORMAL);
        DistilledLeaves d = DistilledLeaves.init(gen.fork(1), f64, model.inputShape(), model.classes(), 1, 2, 2, 0.3, true);
        for (int t = 0; t < d.rawLrs().length; t++) {
            d.rawLrs()[t] = Var.param(Tensor.scalar(f64, -1.0 + 0.4 * t));
        }
        Tensor realX = Tensor.randn(gen.fork(2), f64, 12, 1, 3, 3);
        int[] y = new int[12];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 3;
        }
        UnrolledTraining.Hypergradient g = UnrolledTraining.hypergradient(model, init, d, realX, Tensor.fromInts(y, 12), memory);
        int n = g.images().length + g.rawLrs().length + g.labelLogits().length;
        double[][] grads = new double[n][];
        int k = 0;
        for (Tensor[] part : new Tensor[][] {g.images(), g.rawLrs(), g.labelLogits()}) {
            for (Tensor t : part) {
                grads[k++] = t.toDoubleArray();
            }
        }
        return new Result(g.loss(), grads);
    }

    @Test
    void cudaGivesTheCpuHypergradient() {
        for (UnrolledTraining.Memory memory : UnrolledTraining.Memory.values()) {
            Result cpu;
            try (ComputeContext c = ComputeContext.cpu().open()) {
                cpu = hypergradient(memory);
            }
            Result cuda;
            try (ComputeContext c = ComputeContext.on(GpuUnderTest.probed()).open()) {
                cuda = hypergradient(memory);
            }
            assertEquals(cpu.loss(), cuda.loss(), 1e-12 * (1 + Math.abs(cpu.loss())), memory + " loss");
            for (int i = 0; i < cpu.grads().length; i++) {
                double scale = 0;
                for (double v : cpu.grads()[i]) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int j = 0; j < cpu.grads()[i].length; j++) {
                    assertEquals(cpu.grads()[i][j], cuda.grads()[i][j], 1e-10 * (1 + scale), memory + " gradient " + i + " [" + j + "]");
                }
            }
        }
    }
}
