package org.distill4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.autodiff.GradCheck;
import org.distill4j.autodiff.LossOps;
import org.distill4j.autodiff.Var;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ModelsTest {
    private final Generator gen = new Generator(11);

    @Test
    void paperShapesAndParameterCounts() {
        Model lenet = Models.lenet(new int[]{1, 28, 28}, 10);
        assertEquals(61_706, lenet.parameterCount());
        assertEquals(84, lenet.embeddingSize());
        assertEquals("fc3.weight", lenet.lastWeightName());
        Model mlp = Models.mlp(new int[]{1, 28, 28}, 256, 10);
        assertEquals(784 * 256 + 256 + 2570, mlp.parameterCount());
        Model convnet = Models.byName("convnet", new int[]{1, 28, 28}, 10);
        // 3 x (conv + instance-norm affine) + linear on 128 x 4 x 4 (28 padded to 32 by the first conv).
        int convs = (128 * 9 + 128) + 2 * (128 * 128 * 9 + 128) + 3 * 256;
        assertEquals(convs + 2048 * 10 + 10, convnet.parameterCount());
        assertEquals(2048, convnet.embeddingSize());
        Model alex = Models.alexCifarNet(new int[]{3, 32, 32}, 10);
        assertEquals((64 * 75 + 64) + (64 * 64 * 25 + 64) + (4096 * 384 + 384) + (384 * 192 + 192) + 1930,
                alex.parameterCount());
        Model resnet = Models.resnet18(new int[]{3, 32, 32}, 10);
        assertEquals(11_173_962, resnet.parameterCount(), "torchvision-style CIFAR ResNet-18 has 11,173,962");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Models.byName("vgg", new int[]{1, 28, 28}, 10));
        assertTrue(e.getMessage().contains("known: mlp, lenet"), e.getMessage());
    }

    @Test
    void forwardShapesAndEmbeddings() {
        Model lenet = Models.lenet(new int[]{1, 28, 28}, 10);
        Params p = lenet.init(gen, DType.F32);
        Var x = Var.constant(Tensor.randn(gen, DType.F32, 3, 1, 28, 28));
        assertArrayEquals(new int[]{3, 10}, lenet.forward(p, x, Mode.EVAL).shape());
        assertArrayEquals(new int[]{3, 84}, lenet.embed(p, x, Mode.EVAL).shape());
        Model resnet = Models.resnet18(new int[]{3, 8, 8}, 4);
        Params rp = resnet.init(gen, DType.F32);
        assertArrayEquals(new int[]{2, 4}, resnet.forward(rp, Var.constant(Tensor.randn(gen, DType.F32, 2, 3, 8, 8)),
                Mode.TRAIN).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lenet.forward(p, Var.constant(Tensor.zeros(DType.F32, 2, 3, 28, 28)), Mode.EVAL));
        assertEquals("lenet expects input [N, 1, 28, 28], got [2, 3, 28, 28]", e.getMessage());
    }

    @Test
    void linearAndConvLayersOnHandComputedCases() {
        Model tiny = new Sequential("tiny", new int[]{1, 2, 2}, Init.PYTORCH_DEFAULT,
                "conv", new Conv2d(1, 2, 0), "flatten", Activations.flatten(), "fc", new Linear(2));
        Params p = tiny.init(gen, DType.F64).map((n, v) -> switch (n) {
            case "conv.weight" -> Var.param(Tensor.fromDoubles(new double[]{1, 2, 3, 4}, 1, 1, 2, 2));
            case "conv.bias" -> Var.param(Tensor.fromDoubles(new double[]{0.5}, 1));
            case "fc.weight" -> Var.param(Tensor.fromDoubles(new double[]{1, -1}, 2, 1));
            default -> Var.param(Tensor.fromDoubles(new double[]{10, 20}, 2));
        });
        Var x = Var.constant(Tensor.fromDoubles(new double[]{1, 1, 2, 2}, 1, 1, 2, 2));
        // conv: 1 + 2 + 6 + 8 + 0.5 = 17.5; fc: [17.5 + 10, -17.5 + 20]
        assertArrayEquals(new double[]{27.5, 2.5}, tiny.forward(p, x, Mode.EVAL).value().toDoubleArray(), 1e-12);
    }

    @Test
    void initialisersHaveTheirVariances() {
        Tensor w = Init.KAIMING_NORMAL.weight(gen, DType.F64, 200, 50);
        double var = java.util.Arrays.stream(w.toDoubleArray()).map(v -> v * v).average().orElseThrow();
        assertEquals(2.0 / 50, var, 0.003);
        Tensor u = Init.PYTORCH_DEFAULT.weight(gen, DType.F64, 30, 4, 5, 5);
        double bound = 1 / Math.sqrt(100);
        assertTrue(java.util.Arrays.stream(u.toDoubleArray()).allMatch(v -> Math.abs(v) <= bound));
        Tensor x = Init.XAVIER_NORMAL.weight(gen, DType.F64, 100, 300);
        double xv = java.util.Arrays.stream(x.toDoubleArray()).map(v -> v * v).average().orElseThrow();
        assertEquals(2.0 / 400, xv, 0.0003);
    }

    @Test
    void paramsFlattenAndUnflattenRoundTrip() {
        Params p = Models.mlp(new int[]{1, 3, 3}, 4, 2).init(gen, DType.F64);
        Tensor flat = p.flatten();
        assertEquals(p.count(), flat.size());
        Params back = p.unflatten(flat);
        for (String n : p.names()) {
            assertArrayEquals(p.get(n).value().toDoubleArray(), back.get(n).value().toDoubleArray());
        }
    }

    /** The loss of each model against finite differences, with respect to parameters and inputs. */
    @Test
    void modelLossesPassGradcheck() {
        check(Models.mlp(new int[]{1, 3, 3}, 5, 3), new int[]{4, 1, 3, 3}, Integer.MAX_VALUE);
        check(Models.lenet(new int[]{1, 28, 28}, 10), new int[]{2, 1, 28, 28}, 25);
        check(Models.convnet(new int[]{1, 8, 8}, 3, 4, 2), new int[]{2, 1, 8, 8}, 40);
        check(Models.alexCifarNet(new int[]{3, 8, 8}, 3), new int[]{2, 3, 8, 8}, 25);
        check(Models.resnet18(new int[]{3, 4, 4}, 3), new int[]{3, 3, 4, 4}, 8);
    }

    private void check(Model model, int[] inputShape, int coordinates) {
        Params p = model.init(gen, DType.F64);
        Tensor labels = Tensor.fromInts(java.util.stream.IntStream.range(0, inputShape[0])
                .map(i -> i % model.classes()).toArray(), inputShape[0]);
        Tensor[] inputs = new Tensor[p.count() == 0 ? 1 : p.names().size() + 1];
        inputs[0] = Tensor.randn(gen, DType.F64, inputShape);
        for (int i = 0; i < p.names().size(); i++) {
            inputs[i + 1] = p.get(p.names().get(i)).value();
        }
        GradCheck.checkSampled(xs -> {
            Params q = p.map((n, v) -> xs[1 + p.names().indexOf(n)]);
            return LossOps.crossEntropy(model.forward(q, xs[0], Mode.EVAL), labels);
        }, coordinates, inputs);
    }
}
