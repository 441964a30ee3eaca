package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest extends CommandTest {
    @Test
    void runningOutOfHeapIsOneLineAndExitCode2() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        int code = Main.outOfMemoryAsOneLine(() -> {
            throw new OutOfMemoryError("Java heap space");
        }, err);
        assertEquals(Main.ERROR_EXIT, code);
        String[] lines = bytes.toString(java.nio.charset.StandardCharsets.UTF_8).split("\\R");
        assertEquals(1, lines.length, bytes.toString());
        assertTrue(lines[0].startsWith("distill4j: error: out of memory (Java heap space, "), lines[0]);
        assertTrue(lines[0].contains("DISTILL4J_JAVA_OPTS=-Xmx"), lines[0]);
        assertEquals(7, Main.outOfMemoryAsOneLine(() -> 7, err), "a command that does not run out returns its own code");
    }

    @Test
    void noArgumentsListsTheCommandsOneALine() {
        assertEquals(0, run());
        String[] lines = out.toString().split("\\R");
        java.util.List<String> names = java.util.Arrays.stream(lines).map(l -> l.split("\\s+")[0]).toList();
        assertEquals(java.util.List.of("train", "select", "evaluate", "coreset-bench", "distill", "experts", "evaluate-distilled",
                "distill-baselines", "baseline-sets", "bench", "quickstart"), names, out.toString());
        for (String line : lines) {
            assertTrue(line.trim().split("\\s+").length > 2, "each command has a one-line description: " + line);
            assertFalse(line.contains("%%"), "a description with an unformatted %%: " + line);
        }
    }

    @Test
    void benchOutsideTheScriptSaysWhereItIs() {
        assertEquals(2, run("bench", "gemm", "--json"));
        String[] lines = err.toString().split("\\R");
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].contains("./distill4j bench gemm --json") && lines[0].contains("org.distill4j.bench.BenchMain"), lines[0]);
    }

    @Test
    void badOptionIsOneLineOnStderrAndExitCode2() {
        assertEquals(2, run("train", "--jsn"));
        String[] lines = err.toString().split("\\R");
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].contains("--jsn") && lines[0].contains("distill4j train --help"), lines[0]);
        assertEquals("", out.toString());
    }

    @Test
    void unknownCommandIsOneLineOnStderrAndExitCode2() {
        assertEquals(2, run("bogus"));
        assertEquals(1, err.toString().split("\\R").length, err.toString());
    }
}
