package org.distill4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.distill4j.autodiff.Var;
import org.distill4j.data.Dataset;
import org.distill4j.data.WeightedSubset;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The trainer's per-epoch hook: what it is asked, when, and that without it nothing changes. */
class EpochPlanTest {
    private static Dataset toy(int n) {
        Tensor x = Tensor.randn(new Generator(5), DType.F32, n, 1, 2, 2);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
        }
        return new Dataset("toy", x, labels, 2);
    }

    private static float[] flat(Params p) {
        return p.flatten().toFloatArray();
    }

    @Test
    void aPlanThatChangesNothingTrainsBitForBitAsNoPlan() {
        Dataset d = toy(20);
        Model m = Models.mlp(d.imageShape(), 4, 2);
        TrainConfig cfg = new TrainConfig("sgd", 0.1, 0.9, 5e-4, true, 3, 6, "cosine", 11, false);
        TrainResult plain = Trainer.train(m, d, null, d, cfg, TrainListener.NONE);
        EpochPlan same = new EpochPlan() {
            @Override
            public WeightedSubset subset(int epoch, Params params) {
                return null;
            }

            @Override
            public Var loss(int epoch, Var perExample, int[] positions) {
                return EpochPlan.weightedMean(perExample, null, positions);
            }
        };
        TrainResult planned = Trainer.train(m, d, d, cfg, TrainListener.NONE, same);
        assertArrayEquals(flat(plain.params()), flat(planned.params()));
        assertEquals(plain.finalTestAccuracy(), planned.finalTestAccuracy());
        assertEquals(plain.epochs().size(), planned.epochs().size());
    }

    @Test
    void eachEpochTrainsOnItsSubsetWithThePlansLossAndSkippedEpochsStillCountInTheSchedule() {
        Dataset d = toy(12);
        Model m = Models.mlp(d.imageShape(), 3, 2);
        List<String> asked = new ArrayList<>();
        List<Integer> batchSizes = new ArrayList<>();
        EpochPlan plan = new EpochPlan() {
            @Override
            public boolean trains(int epoch) {
                return epoch != 1;
            }

            @Override
            public WeightedSubset subset(int epoch, Params params) {
                asked.add("subset " + epoch);
                return epoch == 0 ? null : WeightedSubset.uniform(new int[]{1, 2, 3});
            }

            @Override
            public Var loss(int epoch, Var perExample, int[] positions) {
                batchSizes.add(positions.length);
                return perExample.mean();
            }
        };
        TrainConfig cfg = new TrainConfig("sgd", 0.1, 0, 0, false, 3, 4, "step", 0, false);
        TrainResult r = Trainer.train(m, d, null, cfg, TrainListener.NONE, plan);
        assertEquals(List.of("subset 0", "subset 2"), asked);
        // Epoch 1 (12 examples, batches of 4), epoch 3 (3 examples, one batch).
        assertEquals(List.of(4, 4, 4, 3), batchSizes);
        assertEquals(2, r.epochs().size());
        assertEquals(List.of(1, 3), r.epochs().stream().map(EpochStats::epoch).toList());
        // The step schedule (x0.1 every epoch of 3) saw the skipped epoch: epoch 3 ran at 0.001.
        assertEquals(0.1 * 0.01, r.epochs().get(1).learningRate(), 1e-15);
    }

    @Test
    void theLossThePlanReturnsIsWhatIsMinimised() {
        Dataset d = toy(8);
        Model m = Models.mlp(d.imageShape(), 3, 2);
        Params start = m.init(new Generator(3), DType.F32);
        float[] before = flat(start);
        EpochPlan frozen = new EpochPlan() {
            @Override
            public WeightedSubset subset(int epoch, Params params) {
                return null;
            }

            @Override
            public Var loss(int epoch, Var perExample, int[] positions) {
                return perExample.mean().mul(0.0);
            }
        };
        Trainer.train(m, start, d, null, null, TrainConfig.sgd(2, 4, 0.5, 0, 0), TrainListener.NONE, frozen);
        assertArrayEquals(before, flat(start), "a zero loss moves nothing");
    }

    @Test
    void aPlanRefusesAFixedSubsetAndCorrectnessRecording() {
        Dataset d = toy(8);
        Model m = Models.mlp(d.imageShape(), 3, 2);
        EpochPlan plan = new EpochPlan() {
            @Override
            public WeightedSubset subset(int epoch, Params params) {
                return null;
            }

            @Override
            public Var loss(int epoch, Var perExample, int[] positions) {
                return perExample.mean();
            }
        };
        Params p = m.init(new Generator(0), DType.F32);
        assertThrows(IllegalArgumentException.class, () -> Trainer.train(m, p, d, WeightedSubset.uniform(new int[]{0}), null,
                TrainConfig.sgd(1, 4, 0.1, 0, 0), TrainListener.NONE, plan));
        assertThrows(IllegalArgumentException.class, () -> Trainer.train(m, d, null,
                TrainConfig.sgd(1, 4, 0.1, 0, 0).recordingCorrectness(), TrainListener.NONE, plan));
    }
}
