package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to the distillation commands is one line on stderr and exit code 2. */
class DistillCommandsTest extends CommandTest {
    @TempDir
    Path tmp;

    private void assertOneLineError(String mustContain) {
        String[] lines = err.toString().split("\\R");
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].startsWith("distill4j: ") && lines[0].contains(mustContain), lines[0]);
    }

    @Test
    void evaluateRejectsAFolderWithMissingFiles() throws Exception {
        Files.writeString(tmp.resolve("meta.json"), "{\"steps\": 1}");
        assertEquals(2, run("evaluate-distilled", "--device", "cpu", tmp.toString()));
        assertOneLineError("images.npy");
    }

    @Test
    void distillRejectsAnUnknownInitMode() {
        assertEquals(2, run("distill", "--device", "cpu", "--init", "sometimes", "--out", tmp.resolve("d").toString()));
        assertOneLineError("sometimes");
        assertTrue(Files.notExists(tmp.resolve("d")));
    }
}
