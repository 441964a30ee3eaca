package org.distill4j.nn;

import static org.distill4j.nn.Activations.flatten;
import static org.distill4j.nn.Activations.relu;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.autodiff.Autodiff;
import org.distill4j.autodiff.Var;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Sequential} runs an instance norm and the ReLU after it as one node
 * ({@code NormOps.instanceNormRelu}): ConvNet-3 gives the same outputs, parameter and input
 * gradients, and second-order gradients (DC's gradient matching differentiates a gradient), bit
 * for bit, as the same network with the two layers kept apart.
 */
class NormReluFoldingTest {
    /** A ConvNet of {@code depth} blocks; with {@code apart} a no-op layer between each norm and its ReLU. */
    private static Model convnet(boolean apart, int width, int depth) {
        java.util.List<Object> layers = new java.util.ArrayList<>();
        for (int d = 0; d < depth; d++) {
            layers.add("conv" + (d + 1));
            layers.add(new Conv2d(width, 3, d == 0 ? 3 : 1));
            layers.add("norm" + (d + 1));
            layers.add(Norm.instance());
            if (apart) {
                layers.add("apart" + (d + 1));
                layers.add(new Layer() {
                    @Override
                    public int[] build(String name, int[] in, ParamSpec spec) {
                        return in;
                    }

                    @Override
                    public Var forward(Context ctx, Var x) {
                        return x;
                    }
                });
            }
            layers.add("relu" + (d + 1));
            layers.add(relu());
            layers.add("pool" + (d + 1));
            layers.add(Pool2d.avg(2, 2, 0));
        }
        layers.add("flatten");
        layers.add(flatten());
        layers.add("fc");
        layers.add(new Linear(10));
        return new Sequential("convnet", new int[]{1, 28, 28}, Init.PYTORCH_DEFAULT, layers.toArray());
    }

    @Test
    void foldedNormAndReluGiveTheSameBitsAsTheLayersApart() {
        Generator gen = new Generator(7);
        Model folded = convnet(false, 16, 3);
        Model apart = convnet(true, 16, 3);
        Params params = folded.init(new Generator(3), DType.F32);
        Tensor images = Tensor.randn(gen, DType.F32, 6, 1, 28, 28);
        Tensor probe = Tensor.randn(gen, DType.F32, 6, 10);
        Tensor[][] results = new Tensor[2][];
        for (int side = 0; side < 2; side++) {
            Model model = side == 0 ? folded : apart;
            Params p = params.copy().asLeaves();
            Var x = Var.param(images);
            Var out = model.forward(p, x, Mode.TRAIN);
            Var loss = out.mul(Var.constant(probe)).sum();
            Var[] vars = p.array();
            Var[] inputs = java.util.Arrays.copyOf(vars, vars.length + 1);
            inputs[vars.length] = x;
            Var[] first = Autodiff.grad(loss, inputs);
            // Second order, as DC differentiates its gradient-matching distance: d/dx of sum(g_w^2).
            Var[] g = Autodiff.grad(model.forward(p, x, Mode.TRAIN).mul(Var.constant(probe)).sum(), true, p.array());
            Var distance = g[0].mul(g[0]).sum();
            for (int i = 1; i < g.length; i++) {
                distance = distance.add(g[i].mul(g[i]).sum());
            }
            Var second = Autodiff.grad(distance, x)[0];
            results[side] = new Tensor[first.length + 2];
            results[side][0] = out.value();
            for (int i = 0; i < first.length; i++) {
                results[side][i + 1] = first[i].value();
            }
            results[side][first.length + 1] = second.value();
        }
        assertTrue(results[0].length > 10, "outputs and gradients compared: " + results[0].length);
        for (int i = 0; i < results[0].length; i++) {
            float[] a = results[0][i].toFloatArray();
            float[] b = results[1][i].toFloatArray();
            assertEquals(a.length, b.length);
            for (int j = 0; j < a.length; j++) {
                assertEquals(Float.floatToIntBits(b[j]), Float.floatToIntBits(a[j]), "result " + i + " element " + j);
            }
        }
    }
}
