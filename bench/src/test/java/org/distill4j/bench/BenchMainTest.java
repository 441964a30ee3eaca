package org.distill4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code distill4j bench ...} as the distill4j script runs it: {@link BenchMain}, in-process, output captured. */
class BenchMainTest {
    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = BenchMain.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void withoutSubcommandListsItsCommands() {
        assertEquals(0, run());
        String[] lines = out.toString().split("\\R");
        String[] names = {"train", "train-epoch", "distill-iteration", "selection", "dm", "dc", "mtt-memory", "glister", "gemm"};
        assertEquals(names.length, lines.length, out.toString());
        for (int i = 0; i < names.length; i++) {
            assertTrue(lines[i].startsWith(names[i] + " "), out.toString());
        }
    }

    /** A features folder as {@code bench glister} writes it: 3 classes of 40 random examples, 6 features. */
    private Path savedFeatures() throws IOException {
        int n = 120;
        int e = 6;
        int c = 3;
        java.util.Random r = new java.util.Random(7);
        float[] h = new float[n * e];
        float[] p = new float[n * c];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % c;
            for (int q = 0; q < e; q++) {
                h[i * e + q] = (float) Math.abs(r.nextGaussian());
            }
            double[] z = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            double sum = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
            for (int j = 0; j < c; j++) {
                p[i * c + j] = (float) (Math.exp(z[j]) / sum);
            }
        }
        Path f = dir.resolve("features");
        Files.createDirectories(f);
        org.distill4j.tensor.Npy.write(f.resolve("embeddings.npy"), org.distill4j.tensor.Tensor.fromFloats(h, n, e));
        org.distill4j.tensor.Npy.write(f.resolve("probabilities.npy"), org.distill4j.tensor.Tensor.fromFloats(p, n, c));
        org.distill4j.tensor.Npy.write(f.resolve("labels.npy"), org.distill4j.tensor.Tensor.fromInts(labels, n));
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("kind", BenchGlisterCommand.FEATURES.id());
        marker.put("learning_rate", 0.05);
        marker.put("classes", c);
        Files.writeString(f.resolve(BenchGlisterCommand.FEATURES.marker()), Json.write(marker));
        return f;
    }

    @Test
    void glisterTimesEachRunOnSavedFeaturesAndReportsTheSamePicks() throws IOException {
        Path f = savedFeatures();
        assertEquals(0, run("glister", "--features", f.toString(), "--fractions", "0.1,0.25", "--runs", "2", "--threads", "1",
                "--json"), err.toString());
        String[] lines = out.toString().split("\\R");
        Map<String, Object> json = Json.parseObject(lines[lines.length - 1]);
        List<?> runs = (List<?>) json.get("runs");
        assertEquals(4, runs.size(), out.toString());
        // Both runs of a fraction pick the same examples (Glister is deterministic); the fractions differ.
        Object[] hashes = runs.stream().map(x -> ((Map<?, ?>) x).get("picks_hash")).toArray();
        assertEquals(hashes[0], hashes[1], out.toString());
        assertEquals(hashes[2], hashes[3], out.toString());
        assertTrue(!hashes[0].equals(hashes[2]), out.toString());
        for (Object x : runs) {
            assertTrue(((Number) ((Map<?, ?>) x).get("wall_seconds")).doubleValue() > 0, out.toString());
        }
    }

    @Test
    void glisterRefusesAFolderThatHoldsSomethingElseBeforeAnyWork() throws IOException {
        Path other = dir.resolve("notes");
        Files.createDirectories(other);
        Files.writeString(other.resolve("mine.txt"), "not features");
        assertEquals(2, run("glister", "--features", other.toString(), "--runs", "1"));
        String[] lines = err.toString().split("\\R");
        assertEquals(1, lines.length, err.toString());
        assertEquals("not features", Files.readString(other.resolve("mine.txt")));
        assertEquals(2, run("glister", "--features", savedFeatures().toString(), "--runs", "0"));
        assertTrue(err.toString().contains("--runs must be >= 1"), err.toString());
    }

    @Test
    void badOptionIsOneLineOnStderrAndExitCode2() {
        assertEquals(2, run("gemm", "--jsn"));
        String[] lines = err.toString().split("\\R");
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].contains("--jsn") && lines[0].contains("distill4j bench gemm --help"), lines[0]);
        assertEquals("", out.toString());
    }

    @Test
    void helpOfEveryCommandRendersWithItsFullName() {
        for (List<String> args : List.<List<String>>of(List.of(), List.of("train"), List.of("train-epoch"),
                List.of("distill-iteration"), List.of("selection"), List.of("dm"), List.of("dc"), List.of("mtt-memory"),
                List.of("glister"), List.of("gemm"))) {
            List<String> help = new java.util.ArrayList<>(args);
            help.add("--help");
            assertEquals(0, run(help.toArray(new String[0])), err.toString());
            assertTrue(out.toString().startsWith("Usage: distill4j bench" + (args.isEmpty() ? "" : " " + args.get(0))),
                    out.toString());
            assertTrue(!out.toString().matches("(?s).*=<[a-z][A-Za-z0-9]*>.*"), "a Java field name as a placeholder:\n" + out);
        }
    }

    @Test
    void gemmTableShowsFractionOfPeakAndRatioToEjml() {
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

    /** Exit code 2 and exactly one line on stderr containing every one of {@code parts}. */
    private void failsWithOneLine(String[] args, String... parts) {
        assertEquals(2, run(args), err.toString());
        String[] lines = err.toString().lines().filter(l -> !l.isBlank()).toArray(String[]::new);
        assertEquals(1, lines.length, err.toString());
        for (String p : parts) {
            assertTrue(lines[0].contains(p), "'" + lines[0] + "' should contain '" + p + "'");
        }
    }

    @Test
    void selectionTimesEachMethodOnItsOwn() throws IOException {
        StringBuilder sb = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < 40; i++) {
            int label = i % 3;
            sb.append(label + 0.1 * (i % 7)).append(',').append(-label + 0.05 * i % 1).append(',')
                    .append(0.3 * (i % 5)).append(',').append(label * 2).append(',').append(label).append('\n');
        }
        Path data = Files.writeString(dir.resolve("tiny.csv"), sb.toString());
        assertEquals(0, run("selection", "--device", "cpu", "--dataset", data.toString(), "--model", "mlp",
                "--methods", "uniform,grand,full,kcenter", "--fractions", "0.5,0.1", "--selection-epochs", "1",
                "--batch-size", "8", "--json"), err.toString());
        List<String> stdout = out.toString().lines().toList();
        assertTrue(stdout.contains("| method | 10% (4) | 50% (20) |"), out.toString());
        assertTrue(stdout.stream().anyMatch(l -> l.matches("\\| grand \\| [0-9.]+ \\| [0-9.]+ \\|")), out.toString());
        assertTrue(stdout.stream().noneMatch(l -> l.startsWith("| full ")), "full selects nothing: " + out);
        Map<String, Object> o = Json.parseObject(stdout.get(stdout.size() - 1));
        assertEquals(40, ((Number) o.get("examples")).intValue());
        Map<?, ?> seconds = (Map<?, ?>) o.get("seconds");
        assertEquals(List.of("uniform", "grand", "kcenter"), List.copyOf(seconds.keySet()));
        assertEquals(List.of("0.1", "0.5"), List.copyOf(((Map<?, ?>) seconds.get("kcenter")).keySet()));
        assertTrue(err.toString().contains("selection model epoch 1/1  loss "), err.toString());

        failsWithOneLine(new String[]{"selection", "--device", "cpu", "--dataset", data.toString(), "--methods",
                "kcenter,nope"}, "nope");
        failsWithOneLine(new String[]{"selection", "--device", "cpu", "--dataset", data.toString(), "--methods",
                "full"}, "selects nothing");
        failsWithOneLine(new String[]{"selection", "--device", "cpu", "--dataset", data.toString(), "--fractions",
                "0"}, "fraction");
    }

    @Test
    void trainEpochRunsTheRealLoopAndReportsEpochsApart() throws IOException {
        StringBuilder sb = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < 40; i++) {
            int label = i % 3;
            sb.append(label + 0.1 * (i % 7)).append(',').append(0.2 * (i % 4)).append(',')
                    .append(0.3 * (i % 5)).append(',').append(label * 2).append(',').append(label).append('\n');
        }
        Path data = Files.writeString(dir.resolve("tiny.csv"), sb.toString());
        assertEquals(0, run("train-epoch", "--device", "cpu", "--threads", "1", "--dataset", data.toString(), "--model", "mlp",
                "--epochs", "3", "--batch-size", "8", "--train-size", "30", "--json"), err.toString());
        List<String> stdout = out.toString().lines().toList();
        Map<String, Object> o = Json.parseObject(stdout.get(stdout.size() - 1));
        assertEquals(30, ((Number) o.get("train_size")).intValue());
        assertEquals(3, ((List<?>) o.get("epoch_seconds")).size());
        assertEquals(3, ((List<?>) o.get("losses")).size());
        assertTrue(stdout.get(0).contains("epoch 1 ") && stdout.get(0).contains("steady"), out.toString());
        assertTrue(err.toString().contains("epoch 3/3"), err.toString());
        Object hash = o.get("params_hash");
        // Same seed, same parameters, on 2 threads too.
        assertEquals(0, run("train-epoch", "--device", "cpu", "--threads", "2", "--dataset", data.toString(), "--model", "mlp",
                "--epochs", "3", "--batch-size", "8", "--train-size", "30", "--json"), err.toString());
        stdout = out.toString().lines().toList();
        assertEquals(hash, Json.parseObject(stdout.get(stdout.size() - 1)).get("params_hash"));
    }

    @Test
    void steadyIsTheMedianOfTheEpochsAfterTheFirst() {
        assertEquals(3.0, BenchTrainEpochCommand.steady(new double[]{9, 3}));
        assertEquals(2.5, BenchTrainEpochCommand.steady(new double[]{9, 3, 2, 1, 4}));
        assertEquals(7.0, BenchTrainEpochCommand.steady(new double[]{7}));
    }
}
