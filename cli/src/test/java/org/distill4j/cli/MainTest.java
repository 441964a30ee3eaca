package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.bench.GemmBench;
import org.junit.jupiter.api.Test;

class MainTest extends CommandTest {
    @Test
    void noArgumentsListsTheCommandsOneALine() {
        assertEquals(0, run());
        String[] lines = out.toString().split("\\R");
        java.util.List<String> names = java.util.Arrays.stream(lines).map(l -> l.split("\\s+")[0]).toList();
        assertEquals(java.util.List.of("train", "select", "evaluate", "coreset-bench", "distill", "evaluate-distilled",
                "distill-baselines", "bench", "quickstart"), names, out.toString());
        for (String line : lines) {
            assertTrue(line.trim().split("\\s+").length > 2, "each command has a one-line description: " + line);
            assertFalse(line.contains("%%"), "a description with an unformatted %%: " + line);
        }
    }

    @Test
    void benchWithoutSubcommandListsItsCommands() {
        assertEquals(0, run("bench"));
        String[] lines = out.toString().split("\\R");
        assertEquals(3, lines.length, out.toString());
        assertTrue(lines[0].startsWith("train ") && lines[1].startsWith("selection ") && lines[2].startsWith("gemm "),
                out.toString());
    }

    @Test
    void badOptionIsOneLineOnStderrAndExitCode2() {
        assertEquals(2, run("bench", "gemm", "--jsn"));
        String[] lines = err.toString().split("\\R");
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].contains("--jsn") && lines[0].contains("distill4j bench gemm --help"), lines[0]);
        assertEquals("", out.toString());
    }

    @Test
    void unknownCommandIsOneLineOnStderrAndExitCode2() {
        assertEquals(2, run("bogus"));
        assertEquals(1, err.toString().split("\\R").length, err.toString());
    }

    @Test
    void tableShowsFractionOfPeakAndRatioToEjml() {
        Map<Integer, Map<Integer, GemmBench.Rate>> sgemm = new LinkedHashMap<>();
        Map<Integer, GemmBench.Rate> byThreads = new LinkedHashMap<>();
        byThreads.put(1, new GemmBench.Rate(100, 99));
        byThreads.put(2, new GemmBench.Rate(190, 180));
        sgemm.put(512, byThreads);
        Map<Integer, GemmBench.Rate> ejml = new LinkedHashMap<>();
        ejml.put(512, new GemmBench.Rate(4, 4));
        String table = BenchCommand.table(new GemmBench.Result(new GemmBench.Rate(125, 120), sgemm, ejml));
        assertTrue(table.contains("SGEMM 512, 1 thread"), table);
        assertTrue(table.contains("80.0%") && table.contains("25.0x"), table);   // 100 / 125, 100 / 4
        assertTrue(table.contains("76.0%") && table.contains("47.5x"), table);   // 190 / 250, 190 / 4
        assertTrue(table.contains("2 threads / 1 thread = 1.90x"), table);
    }
}
