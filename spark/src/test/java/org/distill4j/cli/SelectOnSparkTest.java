package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.distill4j.data.NpyFolder;
import org.distill4j.data.WeightedSubset;
import org.distill4j.io.Json;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code distill4j select --engine spark} end to end, with the spark module on the classpath as the
 * launcher puts it there: the selection file is the one {@code select} writes (it applies to the same
 * folder), and bad input is one line, exit 2, no file (the other refusals: SparkInputTest).
 */
class SelectOnSparkTest {
    @TempDir
    Path dir;

    private String out = "";
    private String err = "";

    private int run(String... args) {
        // The engine joins a running session instead of starting one per command (seconds each).
        org.distill4j.spark.SparkTestSession.start();
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(o));
        cl.setErr(new PrintWriter(e));
        int code = cl.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private Path folder(String name, int n, int d, float poison) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f);
        float[] x = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 4;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) Math.sin(i * 0.37 + j * 1.3) + (j == y[i] ? 1.5f : 0f);
            }
        }
        x[7 * d + 1] += poison;
        Npy.write(f.resolve("images.npy"), Tensor.fromFloats(x, n, d));
        Npy.write(f.resolve("labels.npy"), Tensor.fromInts(y, n));
        return f;
    }

    private String[] select(Path data, String method, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("select", "--dataset", data.toString(), "--method", method,
                "--engine", "spark", "--master", "local[2]", "--partitions", "3", "--out", dir.resolve("sel.csv").toString(),
                "--force"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void selectsWritesTheSameFileAsSelectAndReportsTheObjective() throws IOException {
        Path data = folder("rows", 400, 6, 0);
        assertEquals(0, run(select(data, "kcenter", "--budget", "20", "--json")), err);
        List<String> lines = out.lines().toList();
        Map<String, Object> o = Json.parseObject(lines.get(lines.size() - 1));
        assertEquals("spark", o.get("engine"));
        assertEquals(20, ((Number) o.get("selected")).intValue());
        assertEquals("radius", ((Map<?, ?>) o.get("objective")).get("name"));
        WeightedSubset s = WeightedSubset.readCsv(dir.resolve("sel.csv"));
        s.checkAgainst(NpyFolder.read(data));
        assertEquals(20, s.indices().length);
    }

    @Test
    void badInputIsOneLineExitTwoAndNothingWritten() throws IOException {
        Path nan = folder("nan", 100, 4, Float.NaN);
        assertEquals(2, run(select(nan, "kcenter", "--budget", "10")));
        assertOneLine("NaN or infinite features (the first at id 7)");
        Path ok = folder("ok", 100, 4, 0);
        assertEquals(2, run(select(ok, "kcenter", "--budget", "101")));
        assertOneLine("budget 101 must be between 1 and the number of rows (100)");
        assertEquals(2, run(select(ok, "deepfool", "--budget", "10")));
        assertOneLine("--engine spark runs");
        assertTrue(Files.notExists(dir.resolve("sel.csv")), "nothing is written on bad input");
    }

    private void assertOneLine(String part) {
        List<String> lines = err.lines().filter(l -> !l.isBlank() && !l.startsWith("spark ")).toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).startsWith("distill4j: error: ") && lines.get(0).contains(part), lines.get(0));
    }
}
