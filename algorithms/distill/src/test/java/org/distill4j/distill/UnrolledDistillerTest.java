package org.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.distill4j.data.Dataset;
import org.distill4j.data.Normalization;
import org.distill4j.data.Splits;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Generator;
import org.distill4j.train.SampleStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole distillation loop on {@link SyntheticImages} (no Fashion-MNIST needed), an MLP
 * 64-16-3, 1 image per class, 3 steps x 2 epochs: the outer loss falls, the learned images teach
 * a network far more than the noise they start from and than real examples replayed with the same
 * rates, the rates stay positive, the run is deterministic and the result survives a round trip
 * through its folder. Each run takes well under a second.
 */
class UnrolledDistillerTest {
    private static final double NOISE = 2.0;
    private static final long SEED = 7;
    private static final Dataset TRAIN = SyntheticImages.make("synthetic", 300, NOISE, 1);
    private static final Dataset TEST = SyntheticImages.make("synthetic-test", 300, NOISE, 2);
    private static final Model MLP = Models.mlp(SyntheticImages.SHAPE, 16, SyntheticImages.CLASSES);

    private static DistillConfig config(boolean fixedInit, int iterations, long seed) {
        // The reference defaults but a higher outer rate (0.05), so that 40 iterations are enough.
        return DistillConfig.builder().ipc(1).steps(3).epochs(2).iterations(iterations).batchReal(64).seed(seed)
                .init(fixedInit ? DistillConfig.Init.FIXED : DistillConfig.Init.RANDOM).outerLr(0.05).evalModels(4).build();
    }

    /** Where a run with {@code cfg} starts: the leaves {@link UnrolledDistiller} initialises. */
    private static DistilledLeaves start(DistillConfig cfg) {
        return DistilledLeaves.init(new Generator(cfg.seed()).fork(10), DType.F32, SyntheticImages.SHAPE,
                SyntheticImages.CLASSES, cfg.ipc(), cfg.steps(), cfg.epochs(), cfg.lr0(), cfg.softLabels());
    }

    /** The outer loss of training {@code init} on {@code leaves}, over the whole training set. */
    private static double outerLoss(Params init, DistilledLeaves leaves) {
        return UnrolledTraining.hypergradient(MLP, init, leaves, TRAIN.images(), TRAIN.labelTensor(),
                UnrolledTraining.Memory.KEEP).loss();
    }

    @Test
    void fixedInitDistillationLowersTheLossAndTeachesBetterThanItsStartAndThanRealImages() {
        DistillConfig cfg = config(true, 40, SEED);
        List<Double> losses = new ArrayList<>();
        DistilledSet set = UnrolledDistiller.distill(MLP, TRAIN, null, cfg, DType.F32,
                (it, n, loss, seconds, acc) -> losses.add(loss));
        assertEquals(40, losses.size());
        // Stored as the float it was computed in (F32), so that meta.json shows its shortest decimal.
        assertEquals((float) (double) losses.get(39),
                ((Number) ((Map<?, ?>) set.meta().get("results")).get("final_outer_loss")).floatValue());

        Params[] kept = DistilledEvaluation.evaluationInits(MLP, true, SEED, 1, DType.F32);
        DistilledSet initial = UnrolledDistiller.snapshot(start(cfg), MLP, TRAIN, cfg, Map.of());
        double before = outerLoss(kept[0], start(cfg));
        double after = outerLoss(kept[0], set.leaves(DType.F32));
        assertTrue(after < 0.5 * before, "outer loss on the training set " + before + " -> " + after);

        double distilled = DistilledEvaluation.replay(MLP, set, TEST, kept).mean();
        double undistilled = DistilledEvaluation.replay(MLP, initial, TEST, kept).mean();
        // Wang et al.'s baseline: real images, one per class and step, trained on with the same learned rates.
        double real = DistilledEvaluation.replay(MLP, Baselines.randomReal(TRAIN, 1, 3, set.lrs(), new Generator(3)), TEST,
                kept).mean();
        String figures = "replay accuracy: distilled " + distilled + ", initial images " + undistilled + ", real images " + real;
        assertTrue(distilled > 0.75, figures);  // chance is 1/3
        assertTrue(distilled > undistilled + 0.3, figures);
        assertTrue(distilled > real + 0.1, figures);

        assertEquals(6, set.lrs().length);
        for (double lr : set.lrs()) {
            assertTrue(lr > 0 && Double.isFinite(lr), Arrays.toString(set.lrs()));
        }
        assertTrue(Arrays.stream(set.lrs()).anyMatch(lr -> Math.abs(lr - 0.02) > 0.01),
                "the rates were not learned: " + Arrays.toString(set.lrs()));
    }

    @Test
    void randomInitDistillationTeachesUnseenInitialisations() {
        DistillConfig cfg = config(false, 40, SEED);
        DistilledSet set = UnrolledDistiller.distill(MLP, TRAIN, TEST, cfg, DType.F32, (it, n, loss, seconds, acc) -> { });
        Params[] unseen = DistilledEvaluation.evaluationInits(MLP, false, SEED, 4, DType.F32);
        SampleStats distilled = DistilledEvaluation.replay(MLP, set, TEST, unseen);
        SampleStats undistilled = DistilledEvaluation.replay(MLP,
                UnrolledDistiller.snapshot(start(cfg), MLP, TRAIN, cfg, Map.of()), TEST, unseen);
        String figures = "replay on 4 unseen initialisations: distilled " + Arrays.toString(distilled.values()) + ", initial images "
                + Arrays.toString(undistilled.values());
        assertTrue(distilled.mean() > 0.6, figures);
        assertTrue(distilled.mean() > undistilled.mean() + 0.2, figures);
        for (double acc : distilled.values()) {
            assertTrue(acc > 0.45, figures);
        }
        // With a test set the run measures the same replay at its last iteration, on the same unseen initialisations.
        Map<?, ?> results = (Map<?, ?>) set.meta().get("results");
        assertEquals(distilled.mean(), (Double) results.get("final_test_accuracy_during_training"), 1e-12);
    }

    @Test
    void theSameSeedGivesBitIdenticalImagesAndRates() {
        DistilledSet a = UnrolledDistiller.distill(MLP, TRAIN, null, config(false, 8, SEED), DType.F32, (it, n, l, s, acc) -> { });
        DistilledSet b = UnrolledDistiller.distill(MLP, TRAIN, null, config(false, 8, SEED), DType.F32, (it, n, l, s, acc) -> { });
        DistilledSet c = UnrolledDistiller.distill(MLP, TRAIN, null, config(false, 8, SEED + 1), DType.F32, (it, n, l, s, acc) -> { });
        assertArrayEquals(a.images().toFloatArray(), b.images().toFloatArray());
        assertArrayEquals(a.lrs(), b.lrs());
        assertArrayEquals(a.labels().toIntArray(), b.labels().toIntArray());
        assertFalse(Arrays.equals(a.images().toFloatArray(), c.images().toFloatArray()), "another seed, other images");
    }

    @Test
    void aDistilledSetWrittenAndReadBackIsTheSameSet(@TempDir Path dir) throws IOException {
        DistillConfig cfg = config(true, 20, SEED);
        DistilledSet set = UnrolledDistiller.distill(MLP, TRAIN, null, cfg, DType.F32, (it, n, l, s, acc) -> { });
        set.writeTo(dir);
        DistilledSet back = DistilledSet.read(dir);
        assertArrayEquals(set.images().shape(), back.images().shape());
        assertArrayEquals(set.images().toFloatArray(), back.images().toFloatArray());
        assertArrayEquals(set.labels().toIntArray(), back.labels().toIntArray());
        assertEquals(set.lrs().length, back.lrs().length);
        for (int t = 0; t < set.lrs().length; t++) {
            assertEquals((float) set.lrs()[t], (float) back.lrs()[t], "rate " + t + " (stored as float32)");
        }
        assertArrayEquals(set.stepOrder(), back.stepOrder());
        for (String key : List.of("model", "dataset", "init")) {
            assertEquals(set.meta().get(key), back.meta().get(key), key);
        }
        for (String key : List.of("ipc", "steps", "epochs", "classes", "seed")) {  // JSON reads every number as a double
            assertEquals(((Number) set.meta().get(key)).doubleValue(), ((Number) back.meta().get(key)).doubleValue(), key);
        }
        Params[] kept = DistilledEvaluation.evaluationInits(MLP, true, SEED, 1, DType.F32);
        double original = DistilledEvaluation.replay(MLP, set, TEST, kept).mean();
        double reread = DistilledEvaluation.replay(MLP, back, TEST, kept).mean();
        // The rates went through float32: the replay may differ by at most a prediction or two.
        assertEquals(original, reread, 2.0 / TEST.size());
    }

    @Test
    void aSetDistilledFromSplitsRecordsItsDataNormalisationAndProvenanceAndSavesWithChecksums(@TempDir Path dir)
            throws IOException {
        Normalization norm = Normalization.of(new double[]{0.25}, new double[]{2});
        DistillConfig cfg = config(true, 2, SEED);
        DistilledSet set = UnrolledDistiller.distill(MLP, new Splits(TRAIN, TEST, norm), "/data/toy", cfg, DType.F32,
                UnrolledDistiller.Listener.NONE);
        assertEquals("/data/toy", set.dataset().orElseThrow());
        assertArrayEquals(norm.std(), set.normalization().orElseThrow().std());
        set.save(dir.resolve("out"));
        DistilledSet back = DistilledSet.read(dir.resolve("out"));
        assertEquals("/data/toy", back.dataset().orElseThrow());
        assertArrayEquals(norm.mean(), back.normalization().orElseThrow().mean());
        assertEquals(DistillConfig.Init.FIXED, back.init());
        assertEquals(SEED, back.seed().orElseThrow());
        Map<?, ?> provenance = (Map<?, ?>) back.meta().get("provenance");
        assertEquals(org.distill4j.io.Provenance.version(), provenance.get("distill4j_version"));
        assertEquals(TRAIN.fingerprint(), ((Map<?, ?>) provenance.get("training_data")).get("sha256"));
        Map<?, ?> settings = (Map<?, ?>) back.meta().get("settings");
        assertEquals(cfg.toMap().keySet(), settings.keySet(), "the whole config");
        assertEquals(4.0, ((Number) settings.get("eval_models")).doubleValue());
        assertEquals(3, ((Map<?, ?>) back.meta().get("sha256")).size());
    }

    @Test
    void theConfigBuilderStartsFromTheReferenceDefaultsAndNamesItsOwnFields() {
        DistillConfig d = DistillConfig.builder().build();
        assertEquals(List.of(1, 10, 3, 400, 1, 1024), List.of(d.ipc(), d.steps(), d.epochs(), d.iterations(), d.nNets(), d.batchReal()));
        assertEquals(DistillConfig.Init.RANDOM, d.init());
        assertEquals(UnrolledTraining.Memory.KEEP, d.memory());
        assertEquals(List.of(0.02, 0.01, 0.5), List.of(d.lr0(), d.outerLr(), d.decayFactor()));
        assertEquals(d, d.toBuilder().build());
        assertEquals(5, d.toBuilder().steps(5).build().steps());
        assertEquals("ipc must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> DistillConfig.builder().ipc(0).build()).getMessage());
        assertEquals("evalEvery must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> DistillConfig.builder().evalEvery(-1).build()).getMessage());
        assertEquals(DistillConfig.Init.FIXED, DistillConfig.Init.of("fixed"));
        assertThrows(IllegalArgumentException.class, () -> DistillConfig.Init.of("sometimes"));
    }

    @Test
    void aModelForOtherDataIsRefusedBeforeAnyWork() {
        Model wrong = Models.mlp(new int[]{1, 4, 4}, 16, SyntheticImages.CLASSES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnrolledDistiller.distill(wrong, TRAIN, null, config(true, 1, SEED), DType.F32, (it, n, l, s, acc) -> { }));
        assertEquals("model mlp takes [1, 4, 4] with 3 classes; data are [1, 8, 8] with 3", e.getMessage());
    }
}
