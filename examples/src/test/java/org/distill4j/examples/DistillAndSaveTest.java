package org.distill4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.distill4j.data.Normalization;
import org.distill4j.data.NpyFolder;
import org.distill4j.distill.DistillConfig;
import org.distill4j.distill.DistilledSet;
import org.distill4j.io.OutputRefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistillAndSaveTest {
    @TempDir
    Path tmp;

    @Test
    void savesOneImagePerClassThreeRatesAndWhatIsNeededToEvaluateThem() throws Exception {
        String data = SyntheticData.folder(tmp);
        Path dir = tmp.resolve("distilled");
        String out = SyntheticData.stdout(() -> DistillAndSave.main(new String[]{data, dir.toString(), "3", "mlp"}));
        assertTrue(out.matches("(?s)iteration 3/3: outer loss \\S+, test accuracy \\S+\\R"
                + "saved 10 images and 3 learning rates to " + java.util.regex.Pattern.quote(dir.toString()) + "\\R"), out);
        assertTrue(!out.contains("NaN"), "the last iteration measures the test accuracy: " + out);

        DistilledSet set = DistilledSet.read(dir);   // checksums verified
        assertArrayEquals(new int[]{1, 10, 1, 8, 8}, set.images().shape());
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, set.flatHardLabels());
        assertEquals(3, set.lrs().length);
        assertEquals(data, set.dataset().orElseThrow());
        assertEquals("mlp", set.model().orElseThrow());
        assertEquals(DistillConfig.Init.FIXED, set.init());
        // The pixels live in the space of the training split's own mean and std.
        Normalization fitted = Normalization.fit(NpyFolder.read(Path.of(data, "train")));
        Normalization recorded = set.normalization().orElseThrow();
        assertArrayEquals(fitted.mean(), recorded.mean());
        assertArrayEquals(fitted.std(), recorded.std());
    }

    @Test
    void aFolderOfTheUsersIsRefusedBeforeDistilling() throws Exception {
        String data = SyntheticData.folder(tmp);
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("thesis.tex"), "chapter 1\n");
        String out = SyntheticData.stdout(() -> assertThrows(OutputRefusedException.class,
                () -> DistillAndSave.distill(data, mine, 3, "mlp")));
        assertEquals("", out, "no iteration ran");
        assertEquals("chapter 1\n", Files.readString(mine.resolve("thesis.tex")));
        assertEquals(1, Files.list(mine).count());
    }
}
