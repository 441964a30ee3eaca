package org.distill4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.distill4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale experiment on a small mixture: one cell per (method, partitions), the ranked methods'
 * Spark selections the single machine's rows, and a second run that skips every finished cell.
 */
class ScaleExperimentTest {
    @TempDir
    Path dir;

    private static List<String> cells(Path out) throws Exception {
        return Files.readAllLines(out).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    private static String[] args(Path out) {
        return new String[] {"--rows", "3000", "--dim", "8", "--budget", "60", "--partitions", "3",
                "--methods", "least-confidence,ccs,uniform,importance,kcenter", "--master", "local[2]", "--out", out.toString()};
    }

    @Test
    void rankedMethodsChooseTheSingleMachineRowsAndFinishedCellsAreSkipped() throws Exception {
        SparkTestData.spark();
        Path out = dir.resolve("cells.jsonl");
        ScaleExperiment.main(args(out));
        List<String> cells = cells(out);
        // least confidence, CCS and k-center on one machine and on 3 partitions; uniform and importance on Spark only.
        assertEquals(8, cells.size(), String.join("\n", cells));
        for (String m : List.of("least-confidence", "ccs")) {
            String spark = cells.stream().filter(l -> l.contains("\"method\": \"" + m + "\", \"partitions\": 3,")).findFirst().orElseThrow();
            assertTrue(spark.contains("\"same_rows_as_one_machine\": true"), spark);
            assertTrue(spark.contains("\"objective\": \"none\""), spark);
        }
        for (String m : List.of("uniform", "importance")) {
            assertFalse(cells.stream().anyMatch(l -> l.contains("\"method\": \"" + m + "\", \"partitions\": 0,")), m);
            assertTrue(cells.stream().anyMatch(l -> l.contains("\"method\": \"" + m + "\", \"partitions\": 3,")), m);
        }
        String kcenter = cells.stream().filter(l -> l.contains("\"method\": \"kcenter\", \"partitions\": 3,")).findFirst().orElseThrow();
        assertTrue(kcenter.contains("\"objective\": \"radius\""), kcenter);
        assertTrue(kcenter.contains("\"heap_peak_mib\": "), kcenter);
        assertFalse(kcenter.contains("same_rows_as_one_machine"), kcenter);

        String before = Files.readString(out);
        ScaleExperiment.main(args(out));
        assertEquals(before, Files.readString(out));

        // Facility location with --bound: every cell carries an upper bound on the optimum that its value and
        // the single machine's greedy value stay under, within the greedy's (1 - 1/e) of it.
        Path fl = dir.resolve("fl.jsonl");
        ScaleExperiment.main(new String[] {"--rows", "1500", "--dim", "8", "--budget", "30", "--partitions", "3",
                "--methods", "facility-location", "--master", "local[2]", "--out", fl.toString(), "--bound", "true"});
        List<String> flCells = cells(fl);
        assertEquals(2, flCells.size(), String.join("\n", flCells));
        for (String c : flCells) {
            Map<String, Object> o = Json.parseObject(c);
            double value = ((Number) o.get("value")).doubleValue();
            double upper = ((Number) o.get("upper_bound")).doubleValue();
            assertTrue(value <= upper * (1 + 1e-9) && value >= (1 - 1 / Math.E) * upper, c);
            assertEquals(value / upper, ((Number) o.get("value_over_bound")).doubleValue(), 1e-12, c);
        }

        // Cells of another size in the same file are not this size's: k-center runs again at 2,000 rows.
        ScaleExperiment.main(new String[] {"--rows", "2000", "--dim", "8", "--budget", "60", "--partitions", "3",
                "--methods", "kcenter", "--master", "local[2]", "--out", out.toString()});
        List<String> more = cells(out);
        assertEquals(10, more.size(), String.join("\n", more));
        assertEquals(2, more.stream().filter(l -> l.contains("\"method\": \"kcenter\"") && l.contains("\"rows\": 2000,")).count());
    }
}
