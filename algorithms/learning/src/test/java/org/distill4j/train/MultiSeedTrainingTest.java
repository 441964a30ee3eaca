package org.distill4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.distill4j.data.Dataset;
import org.distill4j.data.WeightedSubset;
import org.distill4j.io.Provenance;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MultiSeedTrainingTest {
    /** Two separable classes: the sign of the first pixel. */
    private static Dataset blobs(int n, long seed) {
        float[] x = Tensor.randn(new Generator(seed), DType.F32, n, 1, 2, 2).toFloatArray();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            x[4 * i] += y[i] == 0 ? -3f : 3f;
        }
        return new Dataset("blobs", Tensor.fromFloats(x, n, 1, 2, 2), y, 2);
    }

    @Test
    void sampleStdDividesByNMinusOneAndIsEmptyForOneValue() {
        assertEquals(1.0, SampleStats.of(1, 2, 3).sampleStd().getAsDouble(), 1e-12);
        assertEquals(2.0, SampleStats.of(1, 2, 3).mean(), 0);
        assertTrue(SampleStats.of(0.7).sampleStd().isEmpty());
        assertThrows(IllegalArgumentException.class, SampleStats::of);
    }

    @Test
    void eachSeedIsOneRunOfTheTrainerWithThatSeed() {
        Dataset train = blobs(40, 1);
        Dataset test = blobs(20, 2);
        Model mlp = Models.mlp(train.imageShape(), 8, 2);
        WeightedSubset sub = WeightedSubset.uniform(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        TrainConfig cfg = TrainConfig.sgd(2, 4, 0.05, 0.9, 5);
        List<Long> seen = new ArrayList<>();
        MultiSeedTraining.Result r = MultiSeedTraining.run(mlp, train, sub, test, new MultiSeedTraining.Config(cfg, 3),
                (run, seed) -> {
                    seen.add(seed);
                    return TrainListener.NONE;
                });
        assertEquals(List.of(5L, 6L, 7L), seen);
        assertEquals(3, r.runs().size());
        for (int i = 0; i < 3; i++) {
            TrainResult one = Trainer.train(mlp, train, sub, test, cfg.withSeed(5 + i), TrainListener.NONE);
            assertEquals(one.finalTestAccuracy(), r.runs().get(i).finalAccuracy(), 0);
            assertEquals(one.bestTestAccuracy(), r.runs().get(i).bestAccuracy(), 0);
            assertEquals(one.finalTestAccuracy(), r.finalAccuracy().values()[i], 0);
        }
        assertEquals(3, r.bestAccuracy().n());
        assertTrue(r.seconds() > 0);
    }

    @Test
    void badSettingsNameTheLibrarysFields() {
        TrainConfig cfg = TrainConfig.sgd(2, 4, 0.05, 0.9, 5);
        assertEquals("seeds must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new MultiSeedTraining.Config(cfg, 0)).getMessage());
        assertFalse(assertThrows(IllegalArgumentException.class, () -> new MultiSeedTraining.Config(cfg.withEpochs(0), 1))
                .getMessage().contains("--"));
    }

    @Test
    void theFingerprintIsOfImagesAndLabels() {
        Dataset a = blobs(3000, 1);
        assertEquals(64, a.fingerprint().length());
        assertEquals(a.fingerprint(), blobs(3000, 1).fingerprint());
        assertNotEquals(a.fingerprint(), blobs(3000, 2).fingerprint());
        int[] labels = a.labels();
        labels[2999] = 1 - labels[2999];
        assertNotEquals(a.fingerprint(), new Dataset("blobs", a.images(), labels, 2).fingerprint());
        assertNotEquals("unknown", Provenance.version());
    }
}
