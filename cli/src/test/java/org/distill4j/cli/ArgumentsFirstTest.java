package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arguments are validated before the device is probed (with the default {@code --device auto},
 * which on a machine without CUDA says so in a line) and before any data is loaded: a bad model or
 * data set is exactly one line, the error.
 */
class ArgumentsFirstTest extends CommandTest {
    @TempDir
    Path tmp;

    private void assertOnlyTheError(int code, String text) {
        assertEquals(2, code, err.toString());
        String[] lines = errLines();
        assertEquals(1, lines.length, "the error and nothing before it: " + err);
        assertTrue(lines[0].startsWith("distill4j: ") && lines[0].contains(text), lines[0]);
    }

    @Test
    void anUnknownModelIsTheOnlyLine() throws IOException {
        Path sel = Files.writeString(tmp.resolve("sel.csv"), "index,label,weight,score\n1,0,1.0,NaN\n");
        String unknown = "unknown model 'nosuch'";
        assertOnlyTheError(run("train", "--model", "nosuch"), unknown);
        assertOnlyTheError(run("select", "--model", "nosuch", "--method", "uniform", "--budget", "5",
                "--out", tmp.resolve("s.csv").toString()), unknown);
        assertOnlyTheError(run("evaluate", "--model", "nosuch", "--subset", sel.toString()), unknown);
        assertOnlyTheError(run("distill", "--model", "nosuch", "--out", tmp.resolve("d").toString()), unknown);
        assertOnlyTheError(run("distill-baselines", "--model", "nosuch"), unknown);
        assertOnlyTheError(run("coreset-bench", "--model", "nosuch", "--out", tmp.resolve("b").toString()), unknown);
        assertTrue(Files.notExists(tmp.resolve("d")) && Files.notExists(tmp.resolve("b")) && Files.notExists(tmp.resolve("s.csv")));
    }

    @Test
    void aDataSetThatIsNeitherANameNorAPathIsTheOnlyLine() {
        String missing = tmp.resolve("no-such-data").toString();
        assertOnlyTheError(run("train", "--dataset", missing), "no-such-data: not found");
        assertOnlyTheError(run("distill", "--dataset", missing, "--out", tmp.resolve("d").toString()), "no-such-data: not found");
    }
}
