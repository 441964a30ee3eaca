package org.distill4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.distill4j.io.Json;
import org.junit.jupiter.api.Test;

/** The optimiser and schedule are enums; names from a command line or a file still make a config. */
class TrainConfigTest {
    @Test
    void namesAndEnumsMakeTheSameConfig() {
        TrainConfig byName = new TrainConfig("sgd", 0.1, 0.9, 5e-4, true, 10, 128, "cosine", 3, false);
        TrainConfig typed = new TrainConfig(TrainConfig.OptimizerName.SGD, 0.1, 0.9, 5e-4, true, 10, 128,
                TrainConfig.ScheduleName.COSINE, 3, false);
        assertEquals(typed, byName);
        assertEquals(TrainConfig.ScheduleName.NONE, new TrainConfig("adam", 0.1, 0, 0, false, 1, 1, "constant", 0, false).schedule());
        assertEquals(TrainConfig.sgd(5, 64, 0.01, 0.9, 1), new TrainConfig("sgd", 0.01, 0.9, 0, false, 5, 64, "none", 1, false));
        // Written and printed as the names they were given by.
        assertEquals("\"cosine\"", Json.write(byName.schedule()));
        assertEquals("sgd", "" + byName.optimizer());
    }

    @Test
    void unknownNamesAreRefusedListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainConfig("rmsprop", 0.1, 0, 0, false, 1, 1, "none", 0, false));
        assertEquals("unknown optimizer 'rmsprop'; known: sgd, adam", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TrainConfig("sgd", 0.1, 0, 0, false, 1, 1, "linear", 0, false));
        assertEquals("unknown schedule 'linear'; known: none, step, multistep, cosine", e.getMessage());
    }

    @Test
    void recipeNamesTheOptimiserItsRatesTheScheduleAndTheBatch() {
        TrainConfig c = new TrainConfig("sgd", 0.1, 0.9, 5e-4, true, 7, 64, "cosine", 3, false);
        java.util.Map<String, Object> r = c.recipe();
        assertEquals(java.util.List.of("optimizer", "lr", "momentum", "nesterov", "weight_decay", "schedule", "batch_size"),
                java.util.List.copyOf(r.keySet()));
        assertEquals("sgd", r.get("optimizer"));
        assertEquals(0.1, r.get("lr"));
        assertEquals(0.9, r.get("momentum"));
        assertEquals(true, r.get("nesterov"));
        assertEquals(5e-4, r.get("weight_decay"));
        assertEquals("cosine", r.get("schedule"));
        assertEquals(64, r.get("batch_size"));
        assertEquals("adam", new TrainConfig("adam", 0.001, 0, 0, false, 1, 8, "none", 0, false).recipe().get("optimizer"));
    }
}
