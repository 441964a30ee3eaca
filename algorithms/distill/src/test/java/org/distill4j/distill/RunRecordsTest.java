package org.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.train.SampleStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a distillation run records after the distiller returns: results merged into meta.json, the heap peak, the result maps. */
class RunRecordsTest {
    @TempDir
    Path tmp;

    /** DistilledSetTest's one-step set, with {@code results} (if not null) in its meta data. */
    private static DistilledSet withResults(Map<String, Object> results) {
        DistilledSet s = DistilledSetTest.small(1, 1);
        Map<String, Object> meta = new LinkedHashMap<>(s.meta());
        if (results != null) {
            meta.put("results", results);
        }
        return new DistilledSet(s.images(), s.labels(), s.lrs(), meta);
    }

    @Test
    void withResultsKeepsTheDistillersResultsAddsOursAndRecordsTheCommand() throws Exception {
        Map<String, Object> theirs = new LinkedHashMap<>();
        theirs.put("loss_curve", List.of(1.0, 0.5));
        theirs.put("seconds_per_iteration", 9.0);
        DistilledSet set = withResults(theirs);
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("seconds_per_iteration", 2.0);
        more.put("evaluation", Map.of("mean", 0.5));
        DistilledSet done = set.withResults(more, "distill --ipc 1");
        assertEquals(List.of("loss_curve", "seconds_per_iteration", "evaluation"), List.copyOf(done.results().keySet()));
        assertEquals(2.0, done.results().get("seconds_per_iteration"));
        assertEquals("distill --ipc 1", done.meta().get("command"));
        // The set itself is unchanged, and so are its arrays in the new one.
        assertEquals(9.0, set.results().get("seconds_per_iteration"));
        assertFalse(set.meta().containsKey("command"));
        assertSame(set.images(), done.images());
        assertArrayEquals(set.lrs(), done.lrs());
        // What is recorded is what a reader gets back.
        done.save(tmp.resolve("set"));
        DistilledSet back = DistilledSet.read(tmp.resolve("set"));
        assertEquals("distill --ipc 1", back.meta().get("command"));
        assertEquals(2.0, ((Number) back.results().get("seconds_per_iteration")).doubleValue());
        assertEquals(0.5, ((Number) ((Map<?, ?>) back.results().get("evaluation")).get("mean")).doubleValue());
    }

    @Test
    void aSetWithoutResultsGetsOnlyOursAndANullCommandRecordsNone() {
        DistilledSet set = withResults(null);
        assertTrue(set.results().isEmpty());
        DistilledSet done = set.withResults(Map.of("peak_heap_bytes_sampled", 7L), null);
        assertEquals(Map.of("peak_heap_bytes_sampled", 7L), done.results());
        assertFalse(done.meta().containsKey("command"));
        // results() is a copy: changing it changes nothing in the set.
        done.results().put("x", 1);
        assertFalse(done.results().containsKey("x"));
    }

    @Test
    void heapSamplerSeesAnAllocationWhileItRuns() throws Exception {
        long[][] hold;
        long peak;
        try (HeapSampler heap = HeapSampler.start()) {
            long before = heap.peakBytes();
            assertTrue(before > 0, "sampled at start: " + before);
            hold = new long[64][];
            for (int i = 0; i < hold.length; i++) {
                hold[i] = new long[1 << 17];  // 64 MiB in all, kept alive below
            }
            Thread.sleep(200);
            peak = heap.peakBytes();
            assertTrue(peak >= before, peak + " < " + before);
            assertTrue(peak >= 64L << 20, "peak " + peak + " below the 64 MiB held");
        }
        assertEquals(hold.length, 64);
    }

    @Test
    void resultMapsNameTheirFields() {
        SyntheticSetEvaluation.Config protocol = new SyntheticSetEvaluation.Config(2, 3, 0.01, 0.9, 5e-4, 8, Augmentation.NONE, 0);
        SyntheticSetEvaluation.Result ev = new SyntheticSetEvaluation.Result(SampleStats.of(0.4, 0.6), new double[]{0.9, 0.8}, 1.5);
        Map<String, Object> recorded = ev.toMap(protocol);
        assertEquals(List.of("test_accuracy_mean", "test_accuracy_std", "test_accuracies", "train_accuracies_last_pass",
                "seconds_per_model", "protocol"), List.copyOf(recorded.keySet()));
        assertEquals(protocol.toMap(), recorded.get("protocol"));
        assertEquals(0.5, (double) recorded.get("test_accuracy_mean"), 1e-12);

        DistilledEvaluation.Result r = new DistilledEvaluation.Result(SampleStats.of(0.6), SampleStats.of(0.49, 0.51));
        Map<String, Object> row = r.toMap("dataset distillation");
        assertEquals("dataset distillation", row.get("method"));
        assertNull(((Map<?, ?>) row.get("replay")).get("sample_std"));
        assertEquals(0.5, (double) ((Map<?, ?>) row.get("ordinary_training")).get("mean"), 1e-12);
        assertEquals(row, new BaselineComparison.Row("dataset distillation", r).toMap());

        DmConfig cfg = DmConfig.builder().build();
        Map<String, Object> point = Map.of("iteration", 10, "test_accuracy_mean", 0.3, "test_accuracy_std", 0.01);
        DistributionMatching.Result dm = new DistributionMatching.Result(withResults(null), List.of(), List.of(Map.of("iteration", 5),
                point), 0.25);
        assertEquals(point, dm.lastEvaluation().orElseThrow());
        Map<String, Object> m = dm.toMap(cfg);
        assertEquals(List.of("method", "settings", "evaluation_protocol", "seconds_per_iteration", "accuracy_curve"),
                List.copyOf(m.keySet()));
        assertEquals("dm", m.get("method"));
        assertEquals(cfg.toMap(), m.get("settings"));
        assertEquals(0.25, m.get("seconds_per_iteration"));
        assertTrue(new DistributionMatching.Result(withResults(null), List.of(), List.of(), 1).lastEvaluation().isEmpty());
    }

    @Test
    void methodIsWhatMetaNamesAndWang2018ForSetsThatNameTheirPaper() {
        DistilledSet set = withResults(null);
        assertSame(DistillMethod.WANG2018, set.method());
        for (DistillMethod d : DistillMethod.values()) {
            Map<String, Object> meta = new LinkedHashMap<>(set.meta());
            meta.put("method", d.id());
            assertSame(d, new DistilledSet(set.images(), set.labels(), set.lrs(), meta).method());
        }
    }

    @Test
    void checkFitsRefusesAModelOfAnotherInputShape() {
        DistilledSet set = withResults(null);   // images [1, 2, 1, 2, 2]
        set.checkFits(org.distill4j.nn.Models.byName("mlp", new int[]{1, 2, 2}, 2));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> set.checkFits(org.distill4j.nn.Models.byName("mlp", new int[]{1, 3, 3}, 2)));
        assertTrue(e.getMessage().contains("do not fit model"), e.getMessage());
    }

    @Test
    void checkOriginAndRequiredNormalizationRefuseAMetaThatLacksThem() throws Exception {
        DistilledSet set = withResults(null);   // DistilledSetTest's set names its data set and model, no normalisation
        set.checkOrigin(tmp);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DistilledSet(set.images(), set.labels(), set.lrs(), Map.of("model", "mlp")).checkOrigin(tmp));
        assertEquals(tmp.resolve("meta.json") + ": needs 'dataset' and 'model'", e.getMessage());
        java.io.IOException none = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, set::requiredNormalization);
        assertTrue(none.getMessage().contains("'normalization'"), none.getMessage());
        Map<String, Object> meta = new LinkedHashMap<>(set.meta());
        meta.put("normalization", Map.of("mean", List.of(0.5), "std", List.of(0.25)));
        org.distill4j.data.Normalization n = new DistilledSet(set.images(), set.labels(), set.lrs(), meta).requiredNormalization();
        assertArrayEquals(new double[]{0.5}, n.mean());
        assertArrayEquals(new double[]{0.25}, n.std());
    }
}
