package org.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.distill4j.data.Dataset;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.distill.augment.Dsa;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.junit.jupiter.api.Test;

/** The papers' protocol: reproducible, epochs + 1 passes, the rate drop, what each method is evaluated with. */
class SyntheticSetEvaluationTest {
    private static final Model CONVNET = Models.convnet(SyntheticImages.SHAPE, SyntheticImages.CLASSES, 8, 2);

    @Test
    void reproducibleAndLearnsFromAFewImages() {
        Dataset train = SyntheticImages.make("few", 9, 0.3, 1);
        Dataset test = SyntheticImages.make("test", 60, 0.3, 2);
        SyntheticSetEvaluation.Config cfg = SyntheticSetEvaluation.Config.forMethod(DistillMethod.DM).withModels(2).withEpochs(6);
        List<int[]> passes = new ArrayList<>();
        SyntheticSetEvaluation.Listener l = new SyntheticSetEvaluation.Listener() {
            @Override
            public void onModel(int model, int models, double acc, double seconds) {
            }

            @Override
            public void onEpoch(int model, int epoch, int epochs, double loss, double trainAcc) {
                passes.add(new int[]{model, epoch});
            }
        };
        SyntheticSetEvaluation.Result a = SyntheticSetEvaluation.evaluate(CONVNET, train.images(), train.labels(), test, cfg, l);
        SyntheticSetEvaluation.Result b = SyntheticSetEvaluation.evaluate(CONVNET, train.images(), train.labels(), test, cfg,
                SyntheticSetEvaluation.Listener.NONE);
        assertArrayEquals(a.testAccuracy().values(), b.testAccuracy().values(), 0);
        assertEquals(2 * 7, passes.size(), "epochs + 1 passes per network, as range(Epoch + 1)");
        assertEquals(4, cfg.decayEpoch());
        assertTrue(a.testAccuracy().mean() > 0.5, "9 clean images of 3 patterns teach the patterns: " + a.testAccuracy().mean());
        SyntheticSetEvaluation.Result c = SyntheticSetEvaluation.evaluate(CONVNET, train.images(), train.labels(), test,
                cfg.withSeed(1), SyntheticSetEvaluation.Listener.NONE);
        assertTrue(!java.util.Arrays.equals(a.testAccuracy().values(), c.testAccuracy().values())
                || a.testAccuracy().mean() == 1.0, "another seed, other networks");
    }

    @Test
    void eachMethodGetsTheReferencesChoice() {
        for (DistillMethod m : List.of(DistillMethod.DSA, DistillMethod.DM, DistillMethod.MTT)) {
            SyntheticSetEvaluation.Config c = SyntheticSetEvaluation.Config.forMethod(m);
            assertEquals(1000, c.epochs());
            assertTrue(c.augmentation() instanceof Dsa d && !d.siamese() && d.strategy().equals(Dsa.DEFAULT_STRATEGY));
        }
        for (DistillMethod m : List.of(DistillMethod.DC, DistillMethod.WANG2018)) {
            SyntheticSetEvaluation.Config c = SyntheticSetEvaluation.Config.forMethod(m);
            assertEquals(300, c.epochs());
            assertEquals(Augmentation.NONE, c.augmentation());
        }
        SyntheticSetEvaluation.Config c = SyntheticSetEvaluation.Config.forMethod(DistillMethod.DM);
        assertEquals(5, c.models());
        assertEquals(0.01, c.lr());
        assertEquals(0.9, c.momentum());
        assertEquals(5e-4, c.weightDecay());
        assertEquals(256, c.batch());
        assertThrows(IllegalArgumentException.class, () -> c.withModels(0));
    }
}
