package org.distill4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.distill4j.coreset.Selection;
import org.distill4j.data.WeightedSubset;
import org.distill4j.io.OutputRefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectWithModelTest {
    @TempDir
    Path tmp;

    @Test
    void trainsThenWritesTheMostUncertainExamplesOfEachClass() throws Exception {
        String data = SyntheticData.folder(tmp);
        Path csv = tmp.resolve("out/selection.csv");   // a missing parent folder is created
        String out = SyntheticData.stdout(() -> SelectWithModel.main(new String[]{data, csv.toString(), "20", "2"}));
        assertTrue(out.contains("epoch 1: loss ") && out.contains("epoch 2: loss "), out);
        assertTrue(out.strip().endsWith("wrote 20 examples chosen by entropy to " + csv), out);

        WeightedSubset read = WeightedSubset.readCsv(csv);
        int[] perClass = new int[SyntheticData.CLASSES];
        for (int i : read.indices()) {
            perClass[i % SyntheticData.CLASSES]++;   // the synthetic label of example i is i % 10
        }
        assertArrayEquals(new int[]{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, perClass, Arrays.toString(read.indices()));
        assertTrue(read.unweighted());

        // The method's own result, written again (a selection CSV may replace a selection CSV): the file holds
        // its indices, and within each class the scores are entropies, highest first.
        Selection[] again = new Selection[1];
        SyntheticData.stdout(() -> again[0] = SelectWithModel.select(data, csv, 20, 2));
        Selection s = again[0];
        assertArrayEquals(s.indices(), WeightedSubset.readCsv(csv).indices());
        double[] scores = s.scores();
        for (int i = 0; i < scores.length; i++) {
            assertTrue(scores[i] >= 0 && scores[i] <= Math.log(SyntheticData.CLASSES) + 1e-6, "entropy " + scores[i]);
            if (i % 2 == 1) {
                assertTrue(scores[i - 1] >= scores[i], "class " + i / 2 + " not highest first: " + Arrays.toString(scores));
            }
        }
    }

    @Test
    void aUsersFileAtTheOutputPathIsRefusedBeforeTraining() throws Exception {
        String data = SyntheticData.folder(tmp);
        Path notes = Files.writeString(tmp.resolve("notes.csv"), "my,own,notes\n");
        String out = SyntheticData.stdout(() -> {
            OutputRefusedException e = assertThrows(OutputRefusedException.class, () -> SelectWithModel.select(data, notes, 20, 2));
            assertEquals(notes, e.path());
        });
        assertEquals("", out, "nothing was trained");
        assertEquals("my,own,notes\n", Files.readString(notes));
    }
}
