package org.distill4j.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.distill4j.kernels.ComputeContext;
import org.junit.jupiter.api.Test;

/** The tour's settings as its report records them. */
class TourConfigTest {
    @Test
    void toMapRecordsEverySettingAndTheContextsDeviceAndThreads() {
        TourConfig c = TourConfig.fast().withMethods(List.of("uniform", "herding")).withFractions(List.of(0.01))
                .withEpochs(2).withSubsetEpochs(7).withDistillIterations(11).withBatchReal(64).withSeed(5);
        try (ComputeContext ctx = ComputeContext.builder().device("cpu").threads(1).open()) {
            Map<String, Object> m = c.toMap();
            assertEquals(List.of("fast", "dataset", "model", "device", "threads", "seed", "epochs", "batch_size", "lr", "momentum",
                    "methods", "fractions", "subset_epochs", "distill_iterations", "batch_real"), List.copyOf(m.keySet()));
            assertEquals(true, m.get("fast"));
            assertEquals(TourConfig.DATASET, m.get("dataset"));
            assertEquals("cpu", m.get("device"));
            assertEquals(1, m.get("threads"));
            assertEquals(5L, m.get("seed"));
            assertEquals(2, m.get("epochs"));
            assertEquals(List.of("uniform", "herding"), m.get("methods"));
            assertEquals(List.of(0.01), m.get("fractions"));
            assertEquals(7, m.get("subset_epochs"));
            assertEquals(11, m.get("distill_iterations"));
            assertEquals(64, m.get("batch_real"));
        }
    }
}
