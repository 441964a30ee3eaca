package org.distill4j.coreset.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.distill4j.train.TrainResult;
import org.junit.jupiter.api.Test;

/** The adaptive and InfoBatch runs as they are reported: field names and values. */
class RunReportsTest {
    @Test
    void adaptiveResultReportsItsSettingsSplitAndEachSelectionWithEpochsFromOne() {
        AdaptiveSettings settings = AdaptiveSettings.of(AdaptiveMethod.CRAIG, 0.1);
        TrainResult training = new TrainResult(null, List.of(), 0.5, 0.6, 3, 10.0, 100, null);
        AdaptiveTraining.Result r = new AdaptiveTraining.Result(training, settings, 90, 10, 9,
                List.of(new AdaptiveSelection.Reselection(0, "first", 9, 0.5, 0.25, 0), new AdaptiveSelection.Reselection(4, "again", 9, 1.5, 3.0, 2)));
        Map<String, Object> m = r.toMap();
        for (Map.Entry<String, Object> e : settings.toMap().entrySet()) {
            assertEquals(e.getValue(), m.get(e.getKey()), e.getKey());
        }
        assertEquals(90, m.get("train_examples"));
        assertEquals(10, m.get("validation_examples"));
        assertEquals(9, m.get("budget"));
        assertEquals(2.0, (double) m.get("selection_seconds"), 1e-12);
        assertEquals(3.25, (double) m.get("selection_cpu_seconds"), 1e-12);
        List<?> sel = (List<?>) m.get("selections");
        assertEquals(2, sel.size());
        assertEquals(Map.of("epoch", 5, "how", "again", "examples", 9, "seconds", 1.5, "cpu_seconds", 3.0, "padded", 2), sel.get(1));
    }

    @Test
    void infoBatchReportsItsSettingsAndWhatItSaved() {
        InfoBatch ib = new InfoBatch(10, 4, 0.5, 0.875, 0);
        Map<String, Object> m = ib.toMap("infobatch");
        assertEquals(List.of("method", "prune_ratio", "delta", "trained_per_epoch", "saved_fraction"), List.copyOf(m.keySet()));
        assertEquals("infobatch", m.get("method"));
        assertEquals(0.5, m.get("prune_ratio"));
        assertEquals(0.875, m.get("delta"));
        assertEquals(List.of(), m.get("trained_per_epoch"));
        assertEquals(0.0, m.get("saved_fraction"));
    }
}
