package org.distill4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.distill4j.coreset.Selection;
import org.distill4j.data.DataSets;
import org.distill4j.train.MultiSeedTraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateSelectionOverSeedsTest {
    @TempDir
    Path tmp;

    @Test
    void trainsOneModelPerSeedAndReportsTheirMeanAndSampleStd() throws Exception {
        String data = SyntheticData.folder(tmp);
        // The first 30 examples (3 of each class), written as the library writes any selection.
        int[] first = new int[30];
        double[] noScores = new double[30];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
            noScores[i] = Double.NaN;
        }
        Path csv = tmp.resolve("selection.csv");
        // From the training split as the program loads it (normalised): the file records that data's fingerprint.
        Selection.unweighted("first-30", first, noScores, Map.of()).writeCsv(csv, DataSets.loadNormalized(data, null, null).train());

        String out = SyntheticData.stdout(() -> EvaluateSelectionOverSeeds.main(new String[]{data, csv.toString(), "3", "8", "1"}));
        MultiSeedTraining.Result one = EvaluateSelectionOverSeeds.evaluate(data, csv, 3, 8, 1);
        assertEquals(3, one.runs().size());
        double[] fin = new double[3];
        for (int r = 0; r < 3; r++) {
            assertEquals(r, one.runs().get(r).seed());
            fin[r] = one.runs().get(r).finalAccuracy();
            assertTrue(out.contains(String.format("seed %d: final %.4f, best %.4f", r, fin[r], one.runs().get(r).bestAccuracy())), out);
        }
        double mean = (fin[0] + fin[1] + fin[2]) / 3;
        double std = Math.sqrt(((fin[0] - mean) * (fin[0] - mean) + (fin[1] - mean) * (fin[1] - mean)
                + (fin[2] - mean) * (fin[2] - mean)) / 2);
        assertEquals(mean, one.finalAccuracy().mean(), 1e-12);
        assertEquals(std, one.finalAccuracy().sampleStd().getAsDouble(), 1e-12);
        assertTrue(out.strip().endsWith(String.format("final test accuracy over 3 seeds: %.4f +- %.4f", mean, std)), out);
        // The rows are easy to tell apart: 30 examples teach far more than chance (0.1).
        assertTrue(mean > 0.5, "mean accuracy " + mean);

        // Another thread count, the same bits: parallel kernels split their work in a fixed way.
        MultiSeedTraining.Result two = EvaluateSelectionOverSeeds.evaluate(data, csv, 3, 8, 2);
        assertArrayEquals(one.finalAccuracy().values(), two.finalAccuracy().values());
        assertArrayEquals(one.bestAccuracy().values(), two.bestAccuracy().values());
    }

    @Test
    void aSelectionWithAnIndexTheDataSetLacksIsRefused() throws Exception {
        String data = SyntheticData.folder(tmp);
        Path csv = Files.writeString(tmp.resolve("other.csv"), "index,label,weight,score\n3,3,1.0,NaN\n600,0,1.0,NaN\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluateSelectionOverSeeds.evaluate(data, csv, 2, 1, 1));
        assertTrue(e.getMessage().contains("600"), e.getMessage());
    }
}
