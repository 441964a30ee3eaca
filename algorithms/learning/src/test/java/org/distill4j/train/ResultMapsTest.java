package org.distill4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The training records as results record them: field names, values, and null where one value leaves a std undefined. */
class ResultMapsTest {
    @Test
    void toMapHoldsMeanSampleStdAndN() {
        Map<String, Object> three = SampleStats.of(1, 2, 3).toMap();
        assertEquals(List.of("mean", "sample_std", "n"), List.copyOf(three.keySet()));
        assertEquals(2.0, (double) three.get("mean"), 1e-12);
        assertEquals(1.0, (double) three.get("sample_std"), 1e-12);
        assertEquals(3, three.get("n"));
        Map<String, Object> one = SampleStats.of(0.6).toMap();
        assertNull(one.get("sample_std"));
        assertEquals(1, one.get("n"));
    }

    @Test
    void multiSeedResultToMapHoldsEveryRunAndTheirStatistics() {
        MultiSeedTraining.Result r = new MultiSeedTraining.Result(
                List.of(new MultiSeedTraining.SeedRun(0, 0.5, 0.6), new MultiSeedTraining.SeedRun(1, 0.7, 0.8)),
                SampleStats.of(0.5, 0.7), SampleStats.of(0.6, 0.8), 12.5);
        Map<String, Object> m = r.toMap();
        assertEquals(List.of("final_accuracy", "best_accuracy", "final_mean", "final_sample_std", "best_mean",
                "best_sample_std", "train_seconds"), List.copyOf(m.keySet()));
        assertEquals(List.of(0.5, 0.7), m.get("final_accuracy"));
        assertEquals(List.of(0.6, 0.8), m.get("best_accuracy"));
        assertEquals(0.6, (double) m.get("final_mean"), 1e-12);
        assertEquals(Math.sqrt(0.02), (double) m.get("final_sample_std"), 1e-12);
        assertEquals(0.7, (double) m.get("best_mean"), 1e-12);
        assertEquals(12.5, m.get("train_seconds"));
        MultiSeedTraining.Result single = new MultiSeedTraining.Result(List.of(new MultiSeedTraining.SeedRun(0, 0.5, 0.6)),
                SampleStats.of(0.5), SampleStats.of(0.6), 1);
        assertNull(single.toMap().get("final_sample_std"));
        assertNull(single.toMap().get("best_sample_std"));
    }

    @Test
    void trainResultToMapHoldsTheFinalAndBestAccuracyAndTheSpeed() {
        TrainResult r = new TrainResult(null, List.of(), 0.8, 0.85, 3, 12.0, 5000.0, null);
        Map<String, Object> m = r.toMap();
        assertEquals(List.of("test_accuracy", "best_test_accuracy", "train_seconds", "images_per_second"), List.copyOf(m.keySet()));
        assertEquals(0.8, m.get("test_accuracy"));
        assertEquals(0.85, m.get("best_test_accuracy"));
        assertEquals(12.0, m.get("train_seconds"));
        assertEquals(5000.0, m.get("images_per_second"));
    }
}
