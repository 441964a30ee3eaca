package org.distill4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.distill4j.distill.DistilledEvaluation;
import org.distill4j.distill.DistilledSet;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadDistilledTest {
    @TempDir
    Path tmp;

    @Test
    void replaysTheSavedSetToTheAccuracyItHadWhenItWasLearned() throws Exception {
        String data = SyntheticData.folder(tmp);
        Path dir = tmp.resolve("distilled");
        SyntheticData.stdout(() -> DistillAndSave.distill(data, dir, 3, "mlp"));

        String out = SyntheticData.stdout(() -> LoadDistilled.main(new String[]{dir.toString(), "5", "4"}));
        DistilledEvaluation.Result r = LoadDistilled.evaluate(dir, 5, 4);
        // A fixed-init set is evaluated on the one initialisation it was learned for, not on 5 new ones.
        assertEquals(1, r.replay().n());
        assertEquals(1, r.ordinaryTraining().n());
        // Same images, rates, initialisation and normalised test data as at the distiller's last
        // iteration: the replay gives the accuracy recorded then, exactly.
        Map<?, ?> results = (Map<?, ?>) DistilledSet.read(dir).meta().get("results");
        assertEquals(((Number) results.get("final_test_accuracy_during_training")).doubleValue(), r.replay().mean());
        assertEquals(String.format("replayed steps:    test accuracy %.4f over 1 network(s)%n"
                + "ordinary training: test accuracy %.4f over 1 network(s)%n", r.replay().mean(), r.ordinaryTraining().mean()), out);
    }

    @Test
    void aChangedFileIsRefused() throws Exception {
        String data = SyntheticData.folder(tmp);
        Path dir = tmp.resolve("distilled");
        SyntheticData.stdout(() -> DistillAndSave.distill(data, dir, 3, "mlp"));
        Npy.write(dir.resolve("lrs.npy"), Tensor.fromFloats(new float[]{0.5f, 0.5f, 0.5f}, 3));   // well-formed, but not the one saved
        IOException e = assertThrows(IOException.class, () -> LoadDistilled.evaluate(dir, 1, 1));
        assertTrue(e.getMessage().contains("lrs.npy") && e.getMessage().contains("SHA-256"), e.getMessage());
    }
}
