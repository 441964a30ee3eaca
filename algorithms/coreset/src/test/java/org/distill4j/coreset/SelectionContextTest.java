package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.autodiff.Autodiff;
import org.distill4j.autodiff.LossOps;
import org.distill4j.autodiff.Var;
import org.distill4j.data.Dataset;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Mode;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Reduce;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainListener;
import org.junit.jupiter.api.Test;

class SelectionContextTest {
    private static Dataset toy(int n, int classes) {
        Tensor x = Tensor.randn(new Generator(11), DType.F32, n, 1, 2, 3);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (i * 7) % classes;
        }
        return new Dataset("toy", x, labels, classes);
    }

    @Test
    void lastLayerGradientsEqualPerExampleAutodiffGradients() {
        Dataset d = toy(9, 4);
        Model m = Models.mlp(d.imageShape(), 5, 4);
        Params p = m.init(new Generator(3), DType.F64);
        SelectionContext ctx = new SelectionContext(d, m, p, null, 0, false);
        int[] order = {8, 0, 3, 5, 1, 2, 7, 6, 4};
        Tensor closed = ctx.lastLayerGradients(order);
        assertArrayEquals(new int[]{9, 4 * (5 + 1)}, closed.shape());
        for (int r = 0; r < order.length; r++) {
            int i = order[r];
            // One backward pass per example: the reference the closed form must equal.
            Var x = Var.constant(d.images().slice(0, i, i + 1).to(DType.F64));
            Var loss = LossOps.crossEntropy(m.forward(p, x, Mode.EVAL), Tensor.fromInts(new int[]{d.label(i)}, 1));
            Var[] g = Autodiff.grad(loss, p.get(m.lastBiasName()), p.get(m.lastWeightName()));
            double[] bias = g[0].value().toDoubleArray();
            double[] weight = g[1].value().toDoubleArray();
            double[] row = closed.select(0, r).toDoubleArray();
            for (int j = 0; j < bias.length; j++) {
                assertEquals(bias[j], row[j], 1e-6, "bias entry " + j + " of example " + i);
            }
            for (int j = 0; j < weight.length; j++) {
                assertEquals(weight[j], row[bias.length + j], 1e-6, "weight entry " + j + " of example " + i);
            }
        }
    }

    @Test
    void methodScoresAreComputedOnceAndHandedOutAsCopies() {
        Dataset d = toy(6, 2);
        Model m = Models.mlp(d.imageShape(), 4, 2);
        SelectionContext ctx = new SelectionContext(d, m, m.init(new Generator(1), DType.F32), null, 5, true);
        int[] calls = new int[1];
        java.util.function.Supplier<double[]> compute = () -> {
            calls[0]++;
            return new double[]{3, 1, 4, 1, 5, 9};
        };
        double[] first = ctx.scores("deepfool", compute);
        first[0] = -1;
        double[] second = ctx.scores("deepfool", compute);
        assertEquals(1, calls[0], "computed once per context and method");
        assertArrayEquals(new double[]{3, 1, 4, 1, 5, 9}, second, "a caller's changes do not reach the cache");
        ctx.scores("other", compute);
        assertEquals(2, calls[0], "each method has its own scores");
        // DeepFool at two budgets: the second ranks the kept scores, the smaller pick inside the larger.
        Selection small = new DeepFool().select(ctx, 2);
        Selection large = new DeepFool().select(ctx, 4);
        for (int i : small.indices()) {
            assertTrue(java.util.Arrays.stream(large.indices()).anyMatch(j -> j == i), "index " + i + " kept");
        }
    }

    @Test
    void cachesAndClassHelpers() {
        Dataset d = toy(10, 3);
        Model m = Models.mlp(d.imageShape(), 4, 3);
        SelectionContext ctx = new SelectionContext(d, m, m.init(new Generator(1), DType.F32), null, 5, true);
        assertSame(ctx.embeddings(), ctx.embeddings());
        assertSame(ctx.probabilities(), ctx.probabilities());
        assertArrayEquals(new int[]{10, 4}, ctx.embeddings().shape());
        assertEquals(DType.F32, ctx.probabilities().dtype());
        Tensor reference = org.distill4j.tensor.Softmax.softmax(org.distill4j.train.Evaluator.logits(m, ctx.params(), d), 1);
        assertTrue(org.distill4j.tensor.Elementwise.allClose(reference, ctx.probabilities(), 1e-5, 1e-6),
                "softmax of the last layer on the embeddings is the model's output");
        assertArrayEquals(new int[]{0, 3, 6, 9}, ctx.classIndices(0));
        assertArrayEquals(new int[]{2, 1, 1}, ctx.classBudgets(4));
        assertEquals(ctx.generator("x").nextDouble(), ctx.generator("x").nextDouble());
        assertNotEquals(ctx.generator("x").nextDouble(), ctx.generator("y").nextDouble());
        assertThrows(IllegalArgumentException.class, () -> ctx.classIndices(3));
    }

    @Test
    void trainRecordsCorrectnessAndEnsembleMembersDifferBySeed() {
        Dataset d = toy(12, 2);
        SelectionContext ctx = SelectionContext.train(d, Models.mlp(d.imageShape(), 4, 2), 2,
                TrainConfig.sgd(1, 4, 0.1, 0.9, 7), false, TrainListener.NONE);
        assertEquals(7, ctx.seed());
        assertEquals(2, ctx.correctness().epochs());
        var members = ctx.ensemble(3, 2);
        assertEquals(3, members.size());
        assertSame(ctx, members.get(0));
        assertEquals(ctx.memberSeed(1), members.get(1).seed());
        assertSame(members.get(2), ctx.ensemble(3, 2).get(2), "members are trained once");
        assertNotEquals(members.get(0).probabilities().get(0, 0), members.get(1).probabilities().get(0, 0));
        // Independent of neighbouring contexts: no member seed is another context's seed or member seed.
        SelectionContext next = SelectionContext.train(d, Models.mlp(d.imageShape(), 4, 2), 2,
                TrainConfig.sgd(1, 4, 0.1, 0.9, 8), false, TrainListener.NONE);
        java.util.Set<Long> seeds = new java.util.HashSet<>();
        for (int k = 0; k < 10; k++) {
            assertTrue(seeds.add(ctx.memberSeed(k)), "member " + k);
            assertTrue(seeds.add(next.memberSeed(k)), "next context's member " + k);
        }
        // At another epoch, member 0 is the selection model's own seed trained that long (0: its initialisation).
        var atInit = ctx.ensemble(2, 0);
        assertEquals(7, atInit.get(0).seed());
        assertNotSame(ctx, atInit.get(0));
        Params init = Models.mlp(d.imageShape(), 4, 2).init(new Generator(7).fork(0), DType.F32);
        assertArrayEquals(init.array()[0].value().toFloatArray(), atInit.get(0).params().array()[0].value().toFloatArray(),
                "epoch 0 is the initialisation");
        SelectionContext given = SelectionContext.precomputed(d, ctx.embeddings(), ctx.probabilities(), null, 0, false);
        assertEquals(1, given.ensemble(3, 2).size(), "a context without a training recipe cannot train more models");
        assertEquals(-1, given.selectionEpochs());
    }

    @Test
    void recordingTheDynamicsLeavesTheModelAsItIsAndMeasuresEveryEpoch() {
        Dataset d = toy(12, 2);
        TrainConfig cfg = TrainConfig.sgd(1, 4, 0.1, 0.9, 3);
        SelectionContext plain = SelectionContext.train(d, Models.mlp(d.imageShape(), 4, 2), 3, cfg, false, TrainListener.NONE);
        SelectionContext recorded = SelectionContext.train(d, Models.mlp(d.imageShape(), 4, 2), 3, cfg, false,
                TrainListener.NONE, true);
        assertTrue(recorded.hasDynamics());
        assertFalse(plain.hasDynamics());
        for (int p = 0; p < plain.params().array().length; p++) {
            assertArrayEquals(plain.params().array()[p].value().toFloatArray(),
                    recorded.params().array()[p].value().toFloatArray(), "the same parameters bit for bit");
        }
        TrainingDynamics dyn = recorded.dynamics();
        assertEquals(3, dyn.epochs());
        // The last epoch's row is the trained model's loss, margin and gradient norm.
        float[] p = recorded.probabilities().toFloatArray();
        int[] all = java.util.stream.IntStream.range(0, 12).toArray();
        double[] gn = Reduce.sum(Elementwise.mul(recorded.lastLayerGradients(all), recorded.lastLayerGradients(all)),
                new int[]{1}, false).toDoubleArray();
        float[] logits = org.distill4j.train.Evaluator.logits(recorded.model(), recorded.params(), d).toFloatArray();
        for (int i = 0; i < 12; i++) {
            int y = d.label(i);
            assertEquals(-Math.log(p[i * 2 + y]), dyn.loss(3)[i], 1e-4, "loss of " + i);
            assertEquals(logits[i * 2 + y] - logits[i * 2 + 1 - y], dyn.margin(3)[i], 1e-4, "margin of " + i);
            assertEquals(Math.sqrt(gn[i]), dyn.gradientNorm(3)[i], 1e-4, "gradient norm of " + i);
        }
        // A context trained without them records them on request, training again to the same model.
        TrainingDynamics again = plain.dynamics();
        for (int t = 0; t <= 3; t++) {
            assertArrayEquals(dyn.loss(t), again.loss(t), "epoch " + t);
        }
        assertThrows(IllegalArgumentException.class, () -> dyn.loss(4));
        SelectionContext given = SelectionContext.precomputed(d, recorded.embeddings(), recorded.probabilities(), null, 0, false);
        assertThrows(IllegalStateException.class, given::dynamics);
    }

    @Test
    void aCopyWithFeaturesOnlySharesTheFeaturesButNotWhatMethodsKept() {
        Dataset d = toy(12, 2);
        SelectionContext ctx = SelectionContext.train(d, Models.mlp(d.imageShape(), 4, 2), 2,
                TrainConfig.sgd(1, 4, 0.1, 0.9, 7), true, TrainListener.NONE);
        var members = ctx.ensemble(2, 2);
        int[] calls = new int[1];
        java.util.function.Supplier<double[]> compute = () -> {
            calls[0]++;
            return new double[12];
        };
        ctx.scores("deepfool", compute);
        SelectionContext copy = ctx.withFeaturesOnly();
        assertSame(ctx.embeddings(), copy.embeddings());
        assertSame(ctx.probabilities(), copy.probabilities());
        assertSame(ctx.params(), copy.params());
        assertSame(ctx.correctness(), copy.correctness());
        assertEquals(ctx.seed(), copy.seed());
        assertEquals(ctx.balance(), copy.balance());
        assertEquals(ctx.trainingSeconds(), copy.trainingSeconds());
        copy.scores("deepfool", compute);
        assertEquals(2, calls[0], "the copy computes its own scores");
        var again = copy.ensemble(2, 2);
        assertSame(copy, again.get(0));
        assertTrue(again.get(1) != members.get(1), "the copy trains its own ensemble");
        assertEquals(members.get(1).probabilities().get(0, 0), again.get(1).probabilities().get(0, 0),
                "from the same recipe and seed, the same model");
        SelectionContext given = SelectionContext.precomputed(d, ctx.embeddings(), ctx.probabilities(), null, 0, false);
        assertSame(given.embeddings(), given.withFeaturesOnly().embeddings(), "a context without a model copies too");
    }

    @Test
    void aContextOfFeaturesAloneServesEmbeddingMethodsAndRefusesModelMethods() {
        // Three tight clusters far apart, labels across them: k-center greedy with budget 3 must take one point of each.
        double[][] centers = {{0, 0}, {10, 0}, {0, 10}};
        float[] f = new float[12 * 2];
        int[] labels = new int[12];
        for (int i = 0; i < 12; i++) {
            f[2 * i] = (float) (centers[i % 3][0] + 0.1 * (i / 3));
            f[2 * i + 1] = (float) (centers[i % 3][1] - 0.1 * (i / 3));
            labels[i] = i % 2;
        }
        SelectionContext ctx = SelectionContext.ofFeatures(Tensor.fromFloats(f, 12, 2).to(DType.F64), labels, 2, 5, false);
        assertEquals(DType.F32, ctx.embeddings().dtype());
        assertArrayEquals(f, ctx.embeddings().toFloatArray());
        assertEquals(12, ctx.data().size());
        assertArrayEquals(labels, ctx.data().labels());
        assertEquals(2, ctx.classes());
        assertEquals(null, ctx.model());

        int[] picked = new KCenterGreedy().select(ctx, 3).indices();
        boolean[] cluster = new boolean[3];
        for (int i : picked) {
            cluster[i % 3] = true;
        }
        assertArrayEquals(new boolean[]{true, true, true}, cluster, "one pick per cluster, got " + java.util.Arrays.toString(picked));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Entropy().select(ctx, 3));
        assertTrue(e.getMessage().contains("probabilities"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SelectionContext.ofFeatures(Tensor.fromFloats(f, 12, 2, 1), labels, 2, 5, false));
        IllegalArgumentException wrongLabels = assertThrows(IllegalArgumentException.class,
                () -> SelectionContext.ofFeatures(Tensor.fromFloats(f, 12, 2), new int[11], 2, 5, false));
        assertTrue(wrongLabels.getMessage().contains("11 labels"), wrongLabels.getMessage());
    }
}
