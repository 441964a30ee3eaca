package org.distill4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.distill4j.io.Json;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench selection --synthetic}: no data set, no model; a cell per (method, N), an exponent per method. */
class SyntheticSelectionBenchTest {
    private String out = "";
    private String err = "";

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = BenchMain.commandLine();
        cl.setOut(new PrintWriter(o));
        cl.setErr(new PrintWriter(e));
        int code = cl.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    @SuppressWarnings("unchecked")
    void timesEachMethodAtEachSizeAndFitsAnExponent() {
        assertEquals(0, run("selection", "--device", "cpu", "--synthetic", "3000,1500", "--dim", "4", "--budget", "30",
                "--methods", "uniform,kcenter,facility-location,forgetting,ccs,contextual-diversity", "--json"), err);
        List<String> lines = out.lines().toList();
        Map<String, Object> o = Json.parseObject(lines.get(lines.size() - 1));
        Map<String, Object> methods = (Map<String, Object>) o.get("methods");
        assertEquals(List.of("uniform", "kcenter", "facility-location", "forgetting", "ccs", "contextual-diversity"),
                List.copyOf(methods.keySet()));
        for (Object m : methods.values()) {
            Map<String, Object> row = (Map<String, Object>) m;
            for (String n : List.of("1500", "3000")) {
                Map<String, Object> cell = (Map<String, Object>) row.get(n);
                assertTrue(((Number) cell.get("seconds")).doubleValue() > 0, cell.toString());
                assertTrue(((Number) cell.get("peak_mib")).doubleValue() >= 0, cell.toString());
            }
            assertTrue(row.containsKey("exponent"));
        }
        assertTrue(out.contains("| method | N = 1,500 | N = 3,000 | exponent |"), out);
    }

    @Test
    void runsEveryMethodItLists() {
        // importance sampling's default bound reads a training history; here it must take the k-means bound.
        assertEquals(0, run("selection", "--device", "cpu", "--synthetic", "1200", "--dim", "4", "--budget", "30",
                "--methods", String.join(",", SyntheticSelectionBench.METHODS)), err);
        for (String m : SyntheticSelectionBench.METHODS) {
            assertTrue(out.contains("| " + m + " |"), m + "\n" + out);
        }
    }

    @Test
    void refusesSizesBelowTheBudgetAndMethodsThatNeedAModel() {
        assertEquals(2, run("selection", "--device", "cpu", "--synthetic", "10", "--budget", "20"));
        assertTrue(err.contains("--synthetic 10 must be between the budget (20)"), err);
        assertEquals(2, run("selection", "--device", "cpu", "--synthetic", "1000", "--methods", "grand"));
        assertTrue(err.contains("runs the methods that need no model") && err.contains("'grand'"), err);
    }
}
