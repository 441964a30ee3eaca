package org.distill4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.distill4j.autodiff.LossOps;
import org.distill4j.autodiff.Var;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.data.WeightedSubset;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.optim.Sgd;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.distill4j.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path dir;

    private static Dataset fashionSlice(boolean train, int n) throws IOException {
        Path data = DataSets.defaultDir("fashion-mnist");
        Requirements.assumeOrFail(Files.exists(data.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
        Dataset d = DataSets.load("fashion-mnist", train, null);
        return d.subset(java.util.stream.IntStream.range(0, n).toArray());
    }

    @Test
    void anMlpLearnsAFashionMnistSlice() throws IOException {
        Dataset train = fashionSlice(true, 3000);
        Dataset test = fashionSlice(false, 1000);
        Model mlp = Models.mlp(train.imageShape(), 64, 10);
        TrainConfig cfg = TrainConfig.sgd(3, 64, 0.05, 0.9, 7).recordingCorrectness();
        TrainResult r = Trainer.train(mlp, train, null, test, cfg, TrainListener.NONE);
        assertEquals(3, r.epochs().size());
        assertTrue(r.finalTestAccuracy() > 0.65, "test accuracy " + r.finalTestAccuracy() + " should be far above chance");
        assertTrue(r.epochs().get(2).loss() < r.epochs().get(0).loss());
        assertEquals(3000, r.correctness().examples());
        TrainResult again = Trainer.train(mlp, train, null, test, cfg, TrainListener.NONE);
        assertEquals(r.finalTestAccuracy(), again.finalTestAccuracy(), 0, "same seed, same run");
    }

    private static Dataset toy() {
        Generator gen = new Generator(1);
        Tensor x = Tensor.randn(gen, DType.F32, 8, 1, 2, 2);
        return new Dataset("toy", x, new int[]{0, 1, 0, 1, 0, 1, 0, 1}, 2);
    }

    @Test
    void weightedLossIsTheWeightedMeanOfPerExampleLosses() {
        Var per = Var.constant(Tensor.fromDoubles(new double[]{1, 2, 3}, 3));
        double[] weights = {0, 0, 0, 4, 1, 0};
        assertEquals((4 * 2 + 1 * 3) / 5.0, Trainer.weightedMean(per, weights, new int[]{2, 3, 4}).item(), 1e-12);
        assertEquals(2.0, Trainer.weightedMean(per, null, new int[]{0, 1, 2}).item(), 1e-12);
    }

    @Test
    void theListenerHearsOfEachTestPassBeforeItRunsAndItsTimeAfter() {
        Dataset d = toy();
        Model m = Models.mlp(d.imageShape(), 3, 2);
        java.util.List<String> heard = new java.util.ArrayList<>();
        TrainListener listener = new TrainListener() {
            @Override
            public void onTestStart(int epoch) {
                heard.add("test " + epoch);
            }

            @Override
            public void onEpoch(EpochStats s) {
                heard.add("epoch " + s.epoch() + (s.testSeconds() > 0 ? " tested" : " untested"));
            }
        };
        Trainer.train(m, d, null, d, TrainConfig.sgd(2, 4, 0.1, 0, 0), listener);
        assertEquals(java.util.List.of("test 1", "epoch 1 tested", "test 2", "epoch 2 tested"), heard);
        heard.clear();
        TrainResult r = Trainer.train(m, d, null, null, TrainConfig.sgd(2, 4, 0.1, 0, 0), listener);
        assertEquals(java.util.List.of("epoch 1 untested", "epoch 2 untested"), heard);
        assertEquals(0.0, r.epochs().get(0).testSeconds());
    }

    @Test
    void trainingOnASubsetUsesOnlyItsExamples() {
        Dataset d = toy();
        Model m = Models.mlp(d.imageShape(), 3, 2);
        WeightedSubset s = new WeightedSubset(new int[]{0, 3}, new double[]{2, 5});
        TrainResult r = Trainer.train(m, d, s, d, TrainConfig.sgd(2, 4, 0.1, 0, 0).recordingCorrectness(),
                TrainListener.NONE);
        assertEquals(2, r.correctness().examples());
        WeightedSubset bad = new WeightedSubset(new int[]{0, 8}, new double[]{1, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.train(m, d, bad, d, TrainConfig.sgd(1, 4, 0.1, 0, 0), TrainListener.NONE));
        assertTrue(e.getMessage().contains("8"), e.getMessage());
    }

    @Test
    void forgettingEventsCountCorrectToIncorrectTransitions() {
        CorrectnessLog log = CorrectnessLog.of(new boolean[][]{
                {true, false, false}, {false, true, false}, {true, true, false}, {false, false, false}});
        assertArrayEquals(new int[]{2, 1, 0}, log.forgettingEvents());
        assertArrayEquals(new boolean[]{true, true, false}, log.everLearned());
    }

    @Test
    void checkpointsRoundTripParametersAndOptimizerState() throws IOException {
        Dataset d = toy();
        Model m = Models.mlp(d.imageShape(), 3, 2);
        Params p = m.init(new Generator(3), DType.F32);
        Sgd sgd = new Sgd(0.1, 0.9, 0, false);
        Var loss = LossOps.crossEntropy(m.forward(p, Var.constant(d.images()), org.distill4j.nn.Mode.TRAIN), d.labelTensor());
        sgd.step(p, org.distill4j.autodiff.Autodiff.grad(loss, p.array()));
        Path ck = dir.resolve("ck");
        Checkpoint.save(ck, m, p, sgd, 4);
        Params back = Checkpoint.load(ck, m);
        for (String n : p.names()) {
            assertArrayEquals(p.get(n).value().toFloatArray(), back.get(n).value().toFloatArray());
        }
        Sgd restored = new Sgd(0.1, 0.9, 0, false);
        Checkpoint.loadOptimizer(ck, restored);
        assertEquals(1, restored.steps());
        assertEquals(4, Checkpoint.epoch(ck));
        Model other = Models.lenet(new int[]{1, 28, 28}, 10);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(ck, other));
        assertTrue(e.getMessage().contains("'mlp'"), e.getMessage());
    }

    /**
     * Trainer reuses each step's buffers in the next (BufferPool); the parameters must be bit for
     * bit those of the same loop with fresh buffers every step (written out here), weighted and
     * unweighted, with a conv net (pooling, arg-max, the optimiser's first momentum step).
     */
    @Test
    void reusingBuffersAcrossStepsChangesNoBit() {
        Generator gen = new Generator(3);
        int n = 40;
        Tensor x = Tensor.randn(gen, DType.F32, n, 1, 16, 16);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (i * 7) % 3;
        }
        Dataset d = new Dataset("toy-images", x, labels, 3);
        Model m = Models.lenet(d.imageShape(), 3);
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            weights[i] = 0.5 + (i % 4);
        }
        WeightedSubset sub = new WeightedSubset(java.util.stream.IntStream.range(0, n).toArray(), weights);
        for (WeightedSubset s : new WeightedSubset[]{null, sub}) {
            TrainConfig cfg = TrainConfig.sgd(2, 16, 0.05, 0.9, 11);
            TrainResult pooled = Trainer.train(m, d, s, null, cfg, TrainListener.NONE);
            Params plain = m.init(new Generator(cfg.seed()).fork(0), DType.F32);
            Generator root = new Generator(cfg.seed());
            Generator shuffle = root.fork(1);
            Generator dropout = root.fork(2);
            Sgd sgd = new Sgd(0.05, 0.9, 0, false);
            for (int epoch = 0; epoch < 2; epoch++) {
                for (org.distill4j.data.Batch b : d.batches(16, shuffle, false)) {
                    Var logits = m.forward(plain, Var.constant(b.images()), org.distill4j.nn.Mode.TRAIN, dropout);
                    Var loss = Trainer.weightedMean(LossOps.crossEntropyPerExample(logits, b.labels()),
                            s == null ? null : weights, b.indices());
                    sgd.step(plain, org.distill4j.autodiff.Autodiff.grad(loss, plain.array()));
                }
            }
            for (int i = 0; i < plain.array().length; i++) {
                assertArrayEquals(plain.array()[i].value().toFloatArray(), pooled.params().array()[i].value().toFloatArray(),
                        "parameter " + i + (s == null ? "" : ", weighted"));
            }
        }
    }
}
