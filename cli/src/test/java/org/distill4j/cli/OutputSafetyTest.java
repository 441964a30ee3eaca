package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.distill4j.data.Dataset;
import org.distill4j.data.NpyFolder;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No command destroys a file it did not write: each case of the first-user tour that once deleted
 * a user's file, and each way an output path can be wrong, ends in exit code 2 and one line on
 * stderr before any work (no progress line), with every file that was there byte-identical.
 * Runs on a small synthetic data set, so it needs no downloaded data.
 */
class OutputSafetyTest extends CommandTest {
    @TempDir
    Path tmp;

    private String data;

    @BeforeEach
    void syntheticData() throws IOException {
        Path d = tmp.resolve("data");
        NpyFolder.write(d.resolve("train"), synthetic(60, 1));
        NpyFolder.write(d.resolve("test"), synthetic(20, 2));
        data = d.toString();
    }

    /** 8x8 one-channel images of 10 classes: class c lights up row c mod 8, plus noise. */
    static Dataset synthetic(int n, long seed) {
        Generator gen = new Generator(seed);
        float[] noise = Tensor.randn(gen, org.distill4j.kernels.DType.F32, n, 1, 8, 8).toFloatArray();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            for (int x = 0; x < 8; x++) {
                noise[i * 64 + (labels[i] % 8) * 8 + x] += labels[i] < 8 ? 3f : -3f;
            }
        }
        return new Dataset("synthetic", Tensor.fromFloats(noise, n, 1, 8, 8), labels, 10);
    }

    private String[] distill(Path out, String... more) {
        String[] base = {"distill", "--device", "cpu", "--threads", "1", "--dataset", data, "--model", "mlp", "--steps", "1",
                "--epochs", "1", "--iterations", "2", "--eval-every", "0", "--models", "1", "--train-epochs", "1",
                "--batch-real", "20", "--out", out.toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private String[] select(Path out, String... more) {
        String[] base = {"select", "--device", "cpu", "--threads", "1", "--dataset", data, "--model", "mlp", "--method", "uniform",
                "--budget", "10", "--selection-epochs", "0", "--out", out.toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** Exit code 2 and exactly one stderr line, the error, containing {@code text}. */
    private void assertRefusedBeforeWork(int code, String text) {
        assertEquals(2, code, err.toString());
        String[] lines = errLines();
        assertEquals(1, lines.length, "one line, and no progress before it: " + err);
        assertTrue(lines[0].startsWith("distill4j: error: ") && lines[0].contains(text), lines[0]);
    }

    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> !p.startsWith(root.resolve("data"))).toList()) {
                all.put(root.relativize(p).toString(), Files.isDirectory(p) ? "<dir>" : Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        }
        return all;
    }

    @Test
    void distillDoesNotReplaceASelectionFile() throws IOException {
        Path sel = tmp.resolve("sel.csv");
        assertEquals(0, run(select(sel)), err.toString());
        Map<String, String> before = snapshot(tmp);
        assertRefusedBeforeWork(run(distill(sel)), "refusing to replace " + sel + ": a selection CSV, not a distilled set; "
                + "--force replaces it, or choose another path");
        assertEquals(before, snapshot(tmp));
    }

    @Test
    void distillDoesNotReplaceAUsersFolderUnlessForced() throws IOException {
        Path mine = Files.createDirectory(tmp.resolve("mydir"));
        Files.writeString(mine.resolve("important.txt"), "do not lose me");
        Map<String, String> before = snapshot(tmp);
        assertRefusedBeforeWork(run(distill(mine)), "a folder that distill4j did not write (it holds important.txt)");
        assertEquals(before, snapshot(tmp));

        assertEquals(0, run(distill(mine, "--force")), err.toString());
        assertTrue(Files.isRegularFile(mine.resolve("images.npy")));
        assertFalse(Files.exists(mine.resolve("important.txt")));
        // A distilled set may be replaced by the next distillation without --force.
        assertEquals(0, run(distill(mine, "--seed", "1")), err.toString());
    }

    @Test
    void quickstartDoesNotReplaceAUsersFolderAndSaysSoBeforeLookingForData() throws IOException {
        Path mine = Files.createDirectory(tmp.resolve("mydir2"));
        Files.writeString(mine.resolve("notes.txt"), "notes");
        Map<String, String> before = snapshot(tmp);
        assertRefusedBeforeWork(run("quickstart", "--fast", "--data", tmp.resolve("nowhere").toString(), "--out", mine.toString()),
                "a folder that distill4j did not write (it holds notes.txt)");
        assertEquals(before, snapshot(tmp));
    }

    @Test
    void anUnwritablePathFailsBeforeAnyDataIsLoaded() throws IOException {
        Map<String, String> before = snapshot(tmp);
        // sysfs refuses new files even to root, so this holds for every user.
        assertRefusedBeforeWork(run(select(Path.of("/sys/distill4j-test/sel.csv"))),
                "cannot write /sys/distill4j-test/sel.csv: Permission denied");
        assertRefusedBeforeWork(run(distill(Path.of("/sys/distill4j-test/distilled"))),
                "cannot write /sys/distill4j-test/distilled: Permission denied");
        assertEquals(before, snapshot(tmp));
    }

    @Test
    void aFolderWhereAFileIsWantedIsRefused() throws IOException {
        Path folder = Files.createDirectory(tmp.resolve("selections"));
        Files.writeString(folder.resolve("a.csv"), "a");
        Map<String, String> before = snapshot(tmp);
        assertRefusedBeforeWork(run(select(folder)), "refusing to replace " + folder + ": a folder, not a file");
        assertEquals(before, snapshot(tmp));
    }

    @Test
    void aParentThatIsAFileIsRefusedAndMissingParentsAreCreatedAndReported() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        assertRefusedBeforeWork(run(select(file.resolve("sel.csv"))), "cannot write " + file.resolve("sel.csv") + ": " + file
                + " is not a folder");
        Path deep = tmp.resolve("new/deeper/sel.csv");
        assertEquals(0, run(select(deep)), err.toString());
        assertTrue(Files.isRegularFile(deep));
        assertTrue(out.toString().contains("(created folder " + tmp.resolve("new") + ")"), out.toString());
    }

    @Test
    void trainSaveAndCoresetBenchRefuseFoldersTheyDidNotWrite() throws IOException {
        Path mine = Files.createDirectory(tmp.resolve("mine"));
        Files.writeString(mine.resolve("thesis.tex"), "chapter 1");
        Map<String, String> before = snapshot(tmp);
        assertRefusedBeforeWork(run("train", "--device", "cpu", "--dataset", data, "--model", "mlp", "--epochs", "1", "--save",
                mine.toString()), "a folder that distill4j did not write (it holds thesis.tex)");
        assertRefusedBeforeWork(run("coreset-bench", "--device", "cpu", "--dataset", data, "--model", "mlp", "--methods", "uniform",
                "--out", mine.toString()), "a folder that distill4j did not write (it holds thesis.tex)");
        assertEquals(before, snapshot(tmp));
    }

    @Test
    void coresetBenchResumesItsOwnFolderAndRefusesOtherSettings() throws IOException {
        Path report = tmp.resolve("report");
        String[] bench = {"coreset-bench", "--device", "cpu", "--threads", "1", "--dataset", data, "--model", "mlp", "--methods",
                "uniform", "--fractions", "0.2", "--seeds", "1", "--selection-epochs", "0", "--epochs", "1", "--out", report.toString()};
        assertEquals(0, run(bench), err.toString());
        String rows = Files.readString(report.resolve("results.csv"));
        assertEquals(0, run(bench), err.toString());
        assertEquals(rows, Files.readString(report.resolve("results.csv")), "a rerun resumes: nothing to add");
        String[] other = java.util.Arrays.copyOf(bench, bench.length + 2);
        other[bench.length] = "--lr";
        other[bench.length + 1] = "0.5";
        Map<String, String> before = snapshot(tmp);
        assertRefusedBeforeWork(run(other), "holds results made with other settings");
        assertEquals(before, snapshot(tmp));
    }

    @Test
    void anInterruptedDistillationSaysSoAndLeavesTheEarlierOutputAndNoTemporaryFiles() throws Exception {
        Path d = tmp.resolve("distilled");
        assertEquals(0, run(distill(d)), err.toString());
        Map<String, String> before = snapshot(tmp);

        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] args = distill(d);
        args[java.util.Arrays.asList(args).indexOf("--iterations") + 1] = "100000";
        String[] cmd = new String[args.length + 5];
        cmd[0] = javaBin;
        cmd[1] = "--add-modules=jdk.incubator.vector";
        cmd[2] = "-cp";
        cmd[3] = System.getProperty("java.class.path");
        cmd[4] = Main.class.getName();
        System.arraycopy(args, 0, cmd, 5, args.length);
        Path log = tmp.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.readString(log).contains("distilling") && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(50);
            }
            assertTrue(p.isAlive(), "the distillation ended before it could be interrupted: " + Files.readString(log));
            Thread.sleep(300);
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the JVM stopped on SIGINT");
        } finally {
            p.destroyForcibly();
        }
        assertNotEquals(0, p.exitValue());
        String[] lines = Files.readString(log).lines().filter(l -> !l.isBlank()).toArray(String[]::new);
        assertEquals("distill4j: interrupted; no output was written, and what was at the output path is unchanged",
                lines[lines.length - 1]);
        Files.delete(log);
        assertEquals(before, snapshot(tmp), "the earlier distilled set is untouched and no temporary file is left");
    }
}
