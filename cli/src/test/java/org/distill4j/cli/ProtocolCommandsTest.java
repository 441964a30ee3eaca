package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distill4j.io.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --protocol} of {@code evaluate} and {@code coreset-bench}, and evaluate's recipe flags. */
class ProtocolCommandsTest extends CommandTest {
    @TempDir
    Path dir;

    private Path data;
    private Path selection;

    @BeforeEach
    void tinyDataSetAndSelection() throws IOException {
        StringBuilder sb = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < 40; i++) {
            int label = i % 3;
            sb.append(label + 0.1 * (i % 7)).append(',').append(-label + 0.05 * (i % 4)).append(',')
                    .append(0.3 * (i % 5)).append(',').append(label * 2).append(',').append(label).append('\n');
        }
        data = dir.resolve("tiny.csv");
        Files.writeString(data, sb.toString());
        selection = dir.resolve("sel.csv");
        Files.writeString(selection, "index,label,weight,score\n0,0,1.0,NaN\n1,1,2.0,NaN\n2,2,1.5,NaN\n5,2,1,NaN\n");
    }

    private Map<String, Object> evaluate(String... extra) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--device", "cpu", "--dataset", data.toString(), "--subset",
                selection.toString(), "--model", "mlp", "--epochs", "2", "--seeds", "2", "--json"));
        args.addAll(List.of(extra));
        assertEquals(0, run(args.toArray(new String[0])), err.toString());
        List<String> stdout = out.toString().lines().toList();
        return Json.parseObject(stdout.get(stdout.size() - 1));
    }

    @Test
    void evaluatesSimpleProtocolIsTheRecipeItAlwaysHad() {
        Map<String, Object> o = evaluate();
        assertEquals("simple", o.get("protocol"));
        assertEquals(0.01, o.get("lr"));
        assertEquals(false, o.get("nesterov"));
        assertEquals(0.0, o.get("weight_decay"));
        assertEquals("none", o.get("schedule"));
        assertEquals(List.of(0.0, 1.0), o.get("training_seeds"));
        assertTrue(out.toString().startsWith("seed 0: final test accuracy"), out.toString());
    }

    @Test
    void evaluatesDeepcoreProtocolIsDeepCoresRecipeFromFreshSeedsAndItsFlagsOverrideIt() {
        Map<String, Object> o = evaluate("--protocol", "deepcore");
        assertEquals("deepcore", o.get("protocol"));
        assertEquals(0.1, o.get("lr"));
        assertEquals(true, o.get("nesterov"));
        assertEquals(5e-4, o.get("weight_decay"));
        assertEquals("cosine", o.get("schedule"));
        assertEquals(128.0, o.get("batch_size"));
        List<?> seeds = (List<?>) o.get("training_seeds");
        assertNotEquals(0.0, seeds.get(0), "not the selection model's seed");
        assertTrue(out.toString().startsWith("seed 0 (training seed "), out.toString());
        assertTrue(err.toString().contains("deepcore protocol: sgd lr 0.1, Nesterov momentum 0.9, weight decay 5.0E-4, cosine"),
                err.toString());
        o = evaluate("--protocol", "deepcore", "--no-nesterov", "--schedule", "step", "--weight-decay", "0", "--lr", "0.05",
                "--optimizer", "adam", "--batch-size", "16");
        assertEquals(false, o.get("nesterov"));
        assertEquals("step", o.get("schedule"));
        assertEquals(0.0, o.get("weight_decay"));
        assertEquals(0.05, o.get("lr"));
        assertEquals("adam", o.get("optimizer"));
        assertEquals(16.0, o.get("batch_size"));
    }

    /** Exit code 2 and exactly one line on stderr containing every one of {@code parts}. */
    private void failsWithOneLine(String[] args, String... parts) {
        assertEquals(2, run(args), err.toString());
        String[] lines = errLines();
        assertEquals(1, lines.length, err.toString());
        for (String p : parts) {
            assertTrue(lines[0].contains(p), "'" + lines[0] + "' should contain '" + p + "'");
        }
    }

    @Test
    void anUnknownProtocolIsOneLine() {
        failsWithOneLine(new String[]{"evaluate", "--device", "cpu", "--dataset", data.toString(), "--subset", selection.toString(),
                "--protocol", "cords"}, "unknown protocol 'cords'; known: simple, deepcore");
        failsWithOneLine(new String[]{"coreset-bench", "--device", "cpu", "--dataset", data.toString(), "--protocol", "cords",
                "--out", dir.resolve("r").toString()}, "unknown protocol 'cords'; known: simple, deepcore");
        assertTrue(Files.notExists(dir.resolve("r")));
    }

    @Test
    void coresetBenchPinsItsProtocol() throws IOException {
        Path report = dir.resolve("report");
        String[] args = {"coreset-bench", "--device", "cpu", "--dataset", data.toString(), "--model", "mlp", "--methods", "uniform",
                "--fractions", "0.2", "--seeds", "1", "--selection-epochs", "1", "--epochs", "1", "--batch-size", "8",
                "--protocol", "deepcore", "--out", report.toString()};
        assertEquals(0, run(args), err.toString());
        Map<String, Object> s = Json.readObject(report.resolve("settings.json"));
        assertEquals("deepcore", s.get("protocol"));
        assertEquals(0.1, s.get("lr"));
        assertTrue(Files.readString(report.resolve("results.md")).contains("deepcore protocol"));
        String[] simple = args.clone();
        simple[simple.length - 3] = "simple";
        failsWithOneLine(simple, "other settings");
    }
}
