package org.distill4j.coreset.adaptive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
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
import org.distill4j.train.EpochStats;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainListener;
import org.distill4j.train.TrainResult;
import org.distill4j.train.Trainer;
import org.junit.jupiter.api.Test;

/** Adaptive selection in the training loop: the schedule, the weights in the loss, whole batches, fresh random draws. */
class AdaptiveSelectionTest {
    /** {@code n} random 1x3x3 images, labels {@code i % classes}, shifted by class so that a model can learn them. */
    static Dataset data(int n, int classes, long seed) {
        Tensor noise = Tensor.randn(new Generator(seed), DType.F32, n, 1, 3, 3);
        float[] x = noise.toFloatArray();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            x[i * 9 + labels[i]] += 2;
        }
        return new Dataset("toy", Tensor.fromFloats(x, n, 1, 3, 3), labels, classes);
    }

    private static Model mlp(Dataset d) {
        return Models.mlp(d.imageShape(), 6, d.classes());
    }

    private static Params params(Model m) {
        return m.init(new Generator(4), DType.F32);
    }

    @Test
    void theScheduleReselectsEveryREpochsAfterTheWarmStartAndTheWarmStartTrainsOnEverything() {
        AdaptiveSchedule plain = new AdaptiveSchedule(10, 0.1, 0, 4);
        List<Integer> reselect = new ArrayList<>();
        for (int e = 0; e < 10; e++) {
            assertEquals(AdaptiveSchedule.Phase.SUBSET, plain.phase(e));
            if (plain.reselects(e)) {
                reselect.add(e);
            }
        }
        assertEquals(List.of(0, 4, 8), reselect);
        assertTrue(plain.initialRandom(0));
        assertFalse(plain.initialRandom(4));
        // kappa 0.5 of 20 epochs at 30%: the first 10 are the warm start, round(10 * 0.3) = 3 of them on everything.
        AdaptiveSchedule warm = new AdaptiveSchedule(20, 0.3, 0.5, 5);
        assertEquals(10, warm.selectAfter());
        assertEquals(3, warm.fullEpochs());
        StringBuilder phases = new StringBuilder();
        reselect.clear();
        for (int e = 0; e < 20; e++) {
            phases.append(warm.phase(e).name().charAt(1));
            if (warm.reselects(e)) {
                reselect.add(e);
            }
        }
        assertEquals("UUUKKKKKKKUUUUUUUUUU", phases.toString(), "F(U)LL, S(K)IP, S(U)BSET");
        assertEquals(List.of(10, 15), reselect, "the first subset epoch selects from the warm model");
        assertFalse(warm.initialRandom(0));
        // Python's round: half to even (round(2.5) = 2).
        assertEquals(2, new AdaptiveSchedule(10, 0.5, 0.5, 5).fullEpochs());
    }

    @Test
    void inTrainingTheWarmStartTrainsFullEpochsSkipsTheRestAndReselectsOnSchedule() {
        Dataset d = data(60, 3, 1);
        Model m = mlp(d);
        AdaptiveSchedule s = new AdaptiveSchedule(12, 0.25, 0.5, 2);
        AdaptiveSelection plan = new AdaptiveSelection(AdaptiveMethod.CRAIG, m, d, null, s, 10, 0.1, 0);
        List<Integer> sizes = new ArrayList<>();
        TrainResult r = Trainer.train(m, d, null, TrainConfig.sgd(12, 10, 0.1, 0.9, 0), new TrainListener() {
            @Override
            public void onEpoch(EpochStats st) {
                sizes.add(st.epoch());
            }
        }, plan);
        // selectAfter 6, round(6 * 0.25) = 2 full epochs (1, 2), epochs 3-6 skipped, subset epochs 7-12.
        assertEquals(List.of(1, 2, 7, 8, 9, 10, 11, 12), sizes);
        assertEquals(List.of(6, 8, 10), plan.reselections().stream().map(AdaptiveSelection.Reselection::epoch).toList());
        assertEquals("craig", plan.reselections().get(0).how(), "after a warm start the first subset is a selection");
        assertEquals(15, plan.budget());
        for (AdaptiveSelection.Reselection x : plan.reselections()) {
            assertEquals(15, x.examples());
        }
        assertEquals(8, r.epochs().size());
    }

    @Test
    void withoutAWarmStartTheFirstSubsetIsAUniformDrawAndLaterOnesComeFromTheCurrentModel() {
        Dataset d = data(60, 3, 2);
        Model m = mlp(d);
        AdaptiveSelection plan = new AdaptiveSelection(AdaptiveMethod.GRADMATCH, m, d, null, new AdaptiveSchedule(5, 0.2, 0, 2),
                10, 0.1, 0);
        Trainer.train(m, d, null, TrainConfig.sgd(5, 10, 0.1, 0.9, 0), TrainListener.NONE, plan);
        assertEquals(List.of("uniform", "gradmatch", "gradmatch"),
                plan.reselections().stream().map(AdaptiveSelection.Reselection::how).toList());
        assertEquals(List.of(0, 2, 4), plan.reselections().stream().map(AdaptiveSelection.Reselection::epoch).toList());
    }

    @Test
    void theSubsetsWeightsReachTheLoss() {
        Dataset d = data(60, 3, 3);
        Model m = mlp(d);
        AdaptiveSchedule s = new AdaptiveSchedule(4, 0.2, 0, 1);
        AdaptiveSelection plan = new AdaptiveSelection(AdaptiveMethod.CRAIG, m, d, null, s, 10, 0.1, 0);
        Params p = params(m);
        plan.subset(0, p); // the initial uniform draw
        WeightedSubset sub = plan.subset(1, p);
        assertFalse(sub.unweighted(), "CRAIG weighs each pick by its cluster's size: " + Arrays.toString(sub.weights()));
        double[] w = sub.weights();
        assertEquals(d.size(), Arrays.stream(w).sum(), 1e-9, "CRAIG's weights of a class sum to its size");
        float[] losses = {0.5f, 2f, 1f};
        int[] positions = {0, 3, 7};
        Var loss = plan.loss(1, Var.constant(Tensor.fromFloats(losses, 3)), positions);
        double num = 0;
        double den = 0;
        for (int i = 0; i < 3; i++) {
            num += w[positions[i]] * losses[i];
            den += w[positions[i]];
        }
        assertEquals(num / den, loss.item(), 1e-6, "sum(w l) / sum(w) with the subset's weights");
    }

    /** Whether {@code indices} (ascending) is a union of whole batches {@code [bB, min(n, (b+1)B))}. */
    private static void assertWholeBatches(int[] indices, int n, int b) {
        int[] sorted = indices.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, indices, "ascending");
        for (int i = 0; i < indices.length; ) {
            int batch = indices[i] / b;
            int end = Math.min(n, (batch + 1) * b);
            for (int e = batch * b; e < end; e++, i++) {
                assertTrue(i < indices.length && indices[i] == e, "batch " + batch + " is incomplete at " + e + ": "
                        + Arrays.toString(indices));
            }
        }
    }

    @Test
    void perBatchVariantsPickWholeMiniBatchesEachWeighedAsOne() {
        Dataset d = data(95, 3, 4); // batches of 10: nine of 10 and one of 5
        Model m = mlp(d);
        for (AdaptiveMethod method : List.of(AdaptiveMethod.CRAIG_PB, AdaptiveMethod.GRADMATCH_PB)) {
            AdaptiveSelection plan = new AdaptiveSelection(method, m, d, null, new AdaptiveSchedule(3, 0.3, 0, 1), 10, 0.1, 0);
            Params p = params(m);
            plan.subset(0, p);
            WeightedSubset sub = plan.subset(1, p);
            assertEquals(method.cliName(), plan.reselections().get(1).how());
            assertWholeBatches(sub.indices(), d.size(), 10);
            int batches = (int) Math.ceil(plan.budget() / 10.0);
            int[] idx = sub.indices();
            long distinct = Arrays.stream(idx).map(i -> i / 10).distinct().count();
            assertEquals(batches, distinct, method + ": ceil(budget / B) batches");
            double[] w = sub.weights();
            for (int i = 1; i < idx.length; i++) {
                if (idx[i] / 10 == idx[i - 1] / 10) {
                    assertEquals(w[i - 1], w[i], method + ": one weight per batch");
                }
            }
        }
    }

    @Test
    void randomOnlineDrawsAFreshSubsetEveryEpochAndAdaptiveRandomAtEachReselection() {
        Dataset d = data(60, 3, 5);
        Model m = mlp(d);
        Params p = params(m);
        AdaptiveSchedule s = new AdaptiveSchedule(6, 0.25, 0, 3);
        AdaptiveSelection online = new AdaptiveSelection(AdaptiveMethod.RANDOM_ONLINE, m, d, null, s, 10, 0.1, 0);
        AdaptiveSelection every = new AdaptiveSelection(AdaptiveMethod.ADAPTIVE_RANDOM, m, d, null, s, 10, 0.1, 0);
        List<int[]> drawn = new ArrayList<>();
        WeightedSubset previous = null;
        for (int e = 0; e < 6; e++) {
            WeightedSubset o = online.subset(e, p);
            assertEquals(15, o.size());
            assertTrue(o.unweighted());
            for (int[] before : drawn) {
                assertFalse(Arrays.equals(before, o.indices()), "epoch " + e + " repeats an earlier draw");
            }
            drawn.add(o.indices());
            WeightedSubset a = every.subset(e, p);
            if (e % 3 == 0) {
                if (previous != null) {
                    assertFalse(Arrays.equals(previous.indices(), a.indices()), "a new draw at epoch " + e);
                }
            } else {
                assertSame(previous, a, "the same subset until the next re-selection");
            }
            previous = a;
        }
        assertEquals(6, online.reselections().size());
        assertEquals(2, every.reselections().size());
    }

    @Test
    void glisterPicksTheCandidateThatMostLowersTheValidationLoss() {
        // Two classes. The validation set is all class 0 with p = (0.5, 0.5): its gradient is (-0.5, 0.5).
        // Candidate gradients g = p - onehot; the Taylor gain g . grad_val is 0.9, -0.2, -0.6, 0.1: the
        // first (a class-0 example the model gives 0.1) is the step that most raises class 0's logit.
        float[] g = {-0.9f, 0.9f, 0.2f, -0.2f, 0.6f, -0.6f, -0.1f, 0.1f};
        float[] val = {0.5f, 0.5f, 0.5f, 0.5f};
        int[] valLabels = {0, 0};
        // k = 1: the stochastic sample int(4 / 1 * ln 100) = 18 >= 4 covers every candidate.
        int[] one = GlisterOnline.select(g, val, valLabels, 2, 1, 0.1, new Generator(0));
        assertArrayEquals(new int[]{0}, one, "gain 0.9 beats -0.2, -0.6 and 0.1");
        int[] all = GlisterOnline.select(g, val, valLabels, 2, 4, 0.1, new Generator(0));
        int[] sorted = all.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[]{0, 1, 2, 3}, sorted, "k = n takes every candidate once");
    }

    @Test
    void glisterReadsTheValidationSplitAndFullTrainsOnEverything() {
        Dataset d = data(80, 4, 6);
        Model m = mlp(d);
        AdaptiveTraining.Result r = AdaptiveTraining.run(m, d, d, AdaptiveSettings.of(AdaptiveMethod.GLISTER, 0.25)
                .withSelectEvery(1).withValSplit(0.25), TrainConfig.sgd(3, 10, 0.1, 0.9, 0), TrainListener.NONE);
        assertEquals(60, r.trainExamples());
        assertEquals(20, r.validationExamples());
        assertEquals(15, r.budget());
        assertEquals(List.of("uniform", "glister", "glister"), r.reselections().stream().map(AdaptiveSelection.Reselection::how).toList());
        assertEquals(3, r.training().epochs().size());
        assertTrue(r.selectionSeconds() <= r.training().trainSeconds(), "selection time is inside the training time");
        AdaptiveTraining.Result full = AdaptiveTraining.run(m, d, d, AdaptiveSettings.of(AdaptiveMethod.FULL, 0.25),
                TrainConfig.sgd(2, 10, 0.1, 0.9, 0), TrainListener.NONE);
        assertTrue(full.reselections().isEmpty());
        AdaptiveSelection plan = new AdaptiveSelection(AdaptiveMethod.FULL, m, d, null, new AdaptiveSchedule(2, 0.1, 0, 1), 10, 0.1, 0);
        assertNull(plan.subset(0, params(m)));
    }

    @Test
    void badInputIsRefusedInOneLine() {
        Dataset d = data(60, 3, 7);
        Model m = mlp(d);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdaptiveSelection(
                AdaptiveMethod.CRAIG, m, d, null, new AdaptiveSchedule(3, 0.02, 0, 1), 10, 0.1, 0));
        assertTrue(e.getMessage().contains("without a share"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        e = assertThrows(IllegalArgumentException.class, () -> AdaptiveMethod.byName("craigpb"));
        assertTrue(e.getMessage().contains("craig-pb"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AdaptiveSettings.of(AdaptiveMethod.CRAIG, 0.1).withValSplit(0.6));
        assertThrows(IllegalArgumentException.class, () -> AdaptiveSettings.of(AdaptiveMethod.CRAIG, 0.1).withValSplit(0));
        assertThrows(IllegalArgumentException.class, () -> AdaptiveSettings.of(AdaptiveMethod.CRAIG, 0.1).withWarmStart(1));
        assertThrows(IllegalArgumentException.class, () -> AdaptiveSettings.of(AdaptiveMethod.CRAIG, 0.1).withSelectEvery(0));
        assertNotEquals(0, AdaptiveMethod.NAMES.size());
    }
}
