package org.distill4j.coreset.adaptive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.autodiff.Var;
import org.distill4j.data.Dataset;
import org.distill4j.data.WeightedSubset;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainListener;
import org.distill4j.train.TrainResult;
import org.distill4j.train.Trainer;
import org.junit.jupiter.api.Test;

/** InfoBatch's defining properties: only below-mean examples are pruned, the rescaling is unbiased, it anneals. */
class InfoBatchTest {
    /** Scores 0..n-1 (mean (n-1)/2): the lower half is "well learned". */
    private static float[] ramp(int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = i;
        }
        return s;
    }

    @Test
    void onlyExamplesBelowTheMeanLossArePrunedAndTheKeptOnesAreScaledUp() {
        float[] scores = ramp(100); // mean 49.5: examples 0..49 are below it
        InfoBatch.Pruned p = InfoBatch.prune(scores, 0.7, new Generator(3));
        int low = 0;
        for (int i = 0; i < p.indices().length; i++) {
            int e = p.indices()[i];
            if (e < 50) {
                low++;
                assertEquals(1 / 0.7, p.weights()[i], 1e-15, "a kept well-learned example weighs 1 / keep ratio");
            } else {
                assertEquals(1.0, p.weights()[i], "an example at or above the mean keeps weight 1");
            }
        }
        assertEquals((int) (0.7 * 50), low, "int(keep ratio * well-learned) of them stay");
        assertEquals(50 + low, p.indices().length, "every example at or above the mean stays");
        for (int e = 50; e < 100; e++) {
            assertTrue(java.util.Arrays.binarySearch(p.indices(), e) >= 0, "example " + e + " is above the mean");
        }
    }

    @Test
    void theRescaledSumOfLossesIsUnbiased() {
        // E[sum over kept of w_i l_i] = sum over all of l_i when keep * count is a whole number.
        int n = 40;
        Generator values = new Generator(9);
        float[] scores = new float[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            scores[i] = (float) (values.nextDouble() * (i < 20 ? 1 : 10)); // 20 low ones, spread out
        }
        double mean = 0;
        for (float s : scores) {
            mean += s;
        }
        mean /= n;
        int low = 0;
        for (float s : scores) {
            total += s;
            low += s < mean ? 1 : 0;
        }
        double keep = 0.5;
        assertEquals(0, (keep * low) % 1, 0, "the test wants a whole number kept: " + low + " low");
        int draws = 20_000;
        double sum = 0;
        double sumSq = 0;
        for (int d = 0; d < draws; d++) {
            InfoBatch.Pruned p = InfoBatch.prune(scores, keep, new Generator(d));
            double est = 0;
            for (int i = 0; i < p.indices().length; i++) {
                est += p.weights()[i] * scores[p.indices()[i]];
            }
            sum += est;
            sumSq += est * est;
        }
        double avg = sum / draws;
        double sd = Math.sqrt(Math.max(0, sumSq / draws - avg * avg));
        double se = sd / Math.sqrt(draws);
        assertTrue(sd > 0, "the estimate varies from draw to draw");
        assertEquals(total, avg, 5 * se, "mean of the rescaled sum over " + draws + " draws (standard error " + se + ")");
    }

    @Test
    void itAnnealsToTheWholeDataAfterDeltaOfTheEpochs() {
        InfoBatch ib = new InfoBatch(10, 8, 0.5, 0.75, 0);
        for (int e = 0; e < 8; e++) {
            assertEquals(e <= 6, ib.prunes(e), "epoch " + e + " of 8 with delta 0.75 (stop at 6)");
        }
        ib.subset(0, null);
        Var per = Var.constant(Tensor.fromFloats(new float[]{5, 5, 5, 5, 5, 1, 1, 1, 1, 1}, 10));
        ib.loss(0, per, new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        WeightedSubset pruning = ib.subset(1, null);
        assertEquals(5 + 2, pruning.size(), "5 above the mean, int(0.5 * 5) of the 5 below");
        assertNull(ib.subset(7, null), "annealing: the whole data");
        // In the annealing epochs every weight is 1: the loss is the plain mean.
        assertEquals(3.0, ib.loss(7, per, new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}).item(), 1e-6);
    }

    @Test
    void theFirstEpochPrunesNothingAndTheLossIsTheMeanOfWeightedLossesWhichBecomeScores() {
        InfoBatch ib = new InfoBatch(4, 4, 0.5, 0.875, 1);
        WeightedSubset first = ib.subset(0, null);
        assertArrayEquals(new int[]{0, 1, 2, 3}, first.indices(), "every score starts at 3: none below the mean");
        assertTrue(first.unweighted());
        Var per = Var.constant(Tensor.fromFloats(new float[]{0.1f, 0.2f, 4f, 5f}, 4));
        assertEquals((0.1 + 0.2 + 4 + 5) / 4, ib.loss(0, per, new int[]{0, 1, 2, 3}).item(), 1e-6);
        assertArrayEquals(new float[]{0.1f, 0.2f, 4f, 5f}, ib.scores());
        WeightedSubset second = ib.subset(1, null);
        // Mean 2.325: 0 and 1 are well learned; int(0.5 * 2) = 1 of them stays with weight 2.
        assertEquals(3, second.size());
        int kept = second.indices()[0];
        assertTrue(kept == 0 || kept == 1);
        assertEquals(2.0, second.weights()[0]);
        // The loss of a batch of positions 0 (the kept one) and 2 (example 3): mean(w * l) = (2 l0 + l3) / 2.
        Var batch = Var.constant(Tensor.fromFloats(new float[]{1f, 3f}, 2));
        assertEquals((2 * 1 + 3) / 2.0, ib.loss(1, batch, new int[]{0, 2}).item(), 1e-6);
        assertEquals(3f, ib.scores()[3]);
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new InfoBatch(10, 5, 0.95, 0.875, 0));
        assertThrows(IllegalArgumentException.class, () -> new InfoBatch(10, 5, -0.1, 0.875, 0));
        assertThrows(IllegalArgumentException.class, () -> new InfoBatch(10, 5, 0.5, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new InfoBatch(10, 5, 0.5, 1.5, 0));
    }

    @Test
    void itTrainsAModelAndSavesPresentations() {
        Tensor x = Tensor.randn(new Generator(2), DType.F32, 60, 1, 2, 2);
        int[] labels = new int[60];
        for (int i = 0; i < 60; i++) {
            labels[i] = i % 3;
        }
        Dataset d = new Dataset("toy", x, labels, 3);
        Model m = Models.mlp(d.imageShape(), 5, 3);
        InfoBatch ib = new InfoBatch(60, 10, 0.5, 0.875, 0);
        TrainResult r = Trainer.train(m, d, d, TrainConfig.sgd(10, 10, 0.1, 0.9, 0), TrainListener.NONE, ib);
        assertEquals(10, r.epochs().size());
        assertEquals(60, ib.trainedPerEpoch().get(0));
        assertTrue(ib.trainedPerEpoch().get(1) < 60, "the second epoch prunes: " + ib.trainedPerEpoch());
        assertTrue(ib.trainedPerEpoch().get(8) < 60, "epoch 8 <= 0.875 * 10 still prunes: " + ib.trainedPerEpoch());
        assertEquals(60, ib.trainedPerEpoch().get(9), "the last epoch (9 > 0.875 * 10) trains on all");
        assertTrue(ib.savedFraction() > 0 && ib.savedFraction() < 0.5, ib.summary());
    }
}
