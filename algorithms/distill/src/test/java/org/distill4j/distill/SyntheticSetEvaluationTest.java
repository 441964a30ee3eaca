package org.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distill4j.data.Dataset;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.distill.augment.Dsa;
import org.distill4j.io.OutputRefusedException;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void anInterruptedEvaluationGoesOnFromItsJournal(@TempDir Path tmp) throws Exception {
        Dataset train = SyntheticImages.make("few", 9, 0.3, 1);
        Dataset test = SyntheticImages.make("test", 60, 0.3, 2);
        SyntheticSetEvaluation.Config cfg = SyntheticSetEvaluation.Config.forMethod(DistillMethod.DM).withModels(3).withEpochs(4);
        SyntheticSetEvaluation.Result whole = SyntheticSetEvaluation.evaluate(CONVNET, train.images(), train.labels(), test, cfg,
                SyntheticSetEvaluation.Listener.NONE);
        Map<String, Object> identity = Map.of("set", train.fingerprint(), "protocol", cfg.toMap());
        Path file = tmp.resolve("eval.journal");
        // Stopped after its second network: the journal holds two.
        EvaluationJournal first = EvaluationJournal.open(file, identity);
        RuntimeException stop = assertThrows(RuntimeException.class, () -> SyntheticSetEvaluation.evaluate(CONVNET, train.images(),
                train.labels(), test, cfg, first.networks(), first.recording((k, n, acc, seconds) -> {
                    if (k == 2) {
                        throw new IllegalStateException("interrupted");
                    }
                })));
        assertEquals("interrupted", stop.getMessage());
        EvaluationJournal again = EvaluationJournal.open(file, identity);
        assertEquals(java.util.Set.of(0, 1), again.networks().keySet());
        List<SyntheticSetEvaluation.Network> trained = new ArrayList<>();
        SyntheticSetEvaluation.Result resumed = SyntheticSetEvaluation.evaluate(CONVNET, train.images(), train.labels(), test, cfg,
                again.networks(), again.recording(new SyntheticSetEvaluation.Listener() {
                    @Override
                    public void onModel(int model, int models, double acc, double seconds) {
                    }

                    @Override
                    public void onNetwork(SyntheticSetEvaluation.Network n) {
                        trained.add(n);
                    }
                }));
        assertEquals(1, trained.size(), "only the third network is trained again");
        assertEquals(2, trained.get(0).index());
        assertArrayEquals(whole.testAccuracy().values(), resumed.testAccuracy().values(), 0);
        assertArrayEquals(whole.trainAccuracy(), resumed.trainAccuracy(), 0);
        assertEquals(3, EvaluationJournal.open(file, identity).networks().size());

        // Another evaluation's journal, or a file distill4j did not write: refused, and left as it is.
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> EvaluationJournal.open(file, Map.of("set", train.fingerprint(), "protocol", cfg.withEpochs(5).toMap())));
        assertTrue(other.getMessage().contains("another evaluation"), other.getMessage());
        Path notOurs = tmp.resolve("notes.txt");
        Files.writeString(notOurs, "my notes\n");
        assertThrows(OutputRefusedException.class, () -> EvaluationJournal.open(notOurs, identity));
        assertEquals("my notes\n", Files.readString(notOurs));
        assertThrows(OutputRefusedException.class, () -> EvaluationJournal.open(tmp, identity));
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
