package org.distill4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.distill4j.io.OutputRefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scale experiment appends only to a cells file it wrote: a user's file is refused before any work. */
class ScaleExperimentOutputTest {
    @TempDir
    Path dir;

    @Test
    void aFileItDidNotWriteIsRefusedAndKept() throws Exception {
        Path user = dir.resolve("notes.jsonl");
        Files.writeString(user, "{\"mine\": true}\n");
        assertThrows(OutputRefusedException.class, () -> ScaleExperiment.main(new String[] {"--rows", "100", "--out", user.toString(),
                "--master", "local[1]"}));
        assertEquals("{\"mine\": true}\n", Files.readString(user));
    }
}
