package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.distill4j.distill.DistilledSet;
import org.distill4j.io.Json;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distill --method dm} and {@code evaluate-distilled --protocol dc} on a tiny .npy data set; bad input. */
class DmCommandTest extends CommandTest {
    @TempDir
    Path tmp;

    /** 1x8x8 images of 3 classes, 10 each, as an images.npy/labels.npy folder (both splits). */
    private Path data() throws Exception {
        Path dir = tmp.resolve("data");
        Files.createDirectories(dir);
        int n = 30;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        Npy.write(dir.resolve("images.npy"), Tensor.randn(new Generator(1), DType.F32, n, 1, 8, 8));
        Npy.write(dir.resolve("labels.npy"), Tensor.fromInts(labels, n));
        return dir;
    }

    private void assertOneLineError(int exit, String mustContain) {
        assertEquals(2, exit, err.toString());
        String[] lines = errLines();
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].startsWith("distill4j: ") && lines[0].contains(mustContain), lines[0]);
    }

    @Test
    void distillsResumesAndEvaluatesWithTheProtocol() throws Exception {
        String data = data().toString();
        Path out = tmp.resolve("dm");
        String[] args = {"distill", "--method", "dm", "--device", "cpu", "--threads", "1", "--dataset", data, "--ipc", "2",
            "--iterations", "3", "--batch-real", "4", "--eval-every", "0", "--out", out.toString()};
        assertEquals(0, run(args), err.toString());
        assertTrue(out().contains("3 iterations"), out());
        DistilledSet set = DistilledSet.read(out);
        assertEquals(6, set.images().dim(1));
        assertTrue(Files.isRegularFile(out.resolve("grid.png")));
        assertTrue(Files.isRegularFile(out.resolve("momentum.npy")));
        Map<String, Object> meta = Json.readObject(out.resolve("meta.json"));
        assertEquals("dm", meta.get("method"));
        assertTrue(String.valueOf(meta.get("command")).startsWith("distill --method dm"), String.valueOf(meta.get("command")));
        // Unfinished: the same command continues from the checkpoint.
        Files.writeString(out.resolve("meta.json"), Files.readString(out.resolve("meta.json"))
                .replace("\"iteration\": 3", "\"iteration\": 2").replace("\"finished\": true", "\"finished\": false"));
        assertEquals(0, run(args), err.toString());
        assertTrue(err.toString().contains("resuming the unfinished run"), err.toString());
        assertEquals(0, run("evaluate-distilled", "--device", "cpu", "--threads", "1", "--protocol", "dc", "--num-eval", "2",
                "--epoch-eval-train", "2", "--json", out.toString()), err.toString());
        assertTrue(out().contains("protocol dc: test accuracy"), out());
        String json = out().lines().reduce((a, b) -> b).orElseThrow();
        Map<String, Object> o = Json.parseObject(json);
        Object accuracies = ((Map<?, ?>) o.get("results")).get("test_accuracies");
        assertEquals(2, ((java.util.List<?>) accuracies).size());
        // With a journal: the networks recorded; run again, none is trained again, and the result is the same.
        Path journal = tmp.resolve("eval.journal");
        String[] eval = {"evaluate-distilled", "--device", "cpu", "--threads", "1", "--protocol", "dc", "--num-eval", "2",
            "--epoch-eval-train", "2", "--json", "--journal", journal.toString(), out.toString()};
        assertEquals(0, run(eval), err.toString());
        assertEquals(4, Files.readAllLines(journal).size(), "header, identity, two networks");
        assertEquals(0, run(eval), err.toString());
        assertTrue(err.toString().contains("2 networks recorded"), err.toString());
        Map<String, Object> again = Json.parseObject(out().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(accuracies, ((Map<?, ?>) again.get("results")).get("test_accuracies"));
        // Another protocol's journal, a file that is not a journal, or a journal without the papers' protocol: one line, exit 2.
        String before = Files.readString(journal);
        assertEquals(2, run("evaluate-distilled", "--device", "cpu", "--threads", "1", "--protocol", "dc", "--num-eval", "2",
                "--epoch-eval-train", "3", "--journal", journal.toString(), out.toString()));
        assertEquals(1, errLines().length, err.toString());
        assertTrue(err.toString().contains("another evaluation"), err.toString());
        assertEquals(before, Files.readString(journal));
        Path notes = tmp.resolve("notes.txt");
        Files.writeString(notes, "mine\n");
        assertEquals(2, run("evaluate-distilled", "--protocol", "dc", "--journal", notes.toString(), out.toString()));
        assertEquals(1, errLines().length, err.toString());
        assertEquals("mine\n", Files.readString(notes));
        assertEquals(2, run("evaluate-distilled", "--journal", tmp.resolve("other.journal").toString(), out.toString()));
        assertTrue(err.toString().contains("--journal needs --protocol dc"), err.toString());
        assertTrue(Files.notExists(tmp.resolve("other.journal")));
    }

    private String out() {
        return out.toString();
    }

    @Test
    void badInputIsOneLineAndNothingWritten() throws Exception {
        String data = data().toString();
        Path out = tmp.resolve("never");
        assertOneLineError(run("distill", "--method", "kip", "--out", out.toString()), "unknown method 'kip'");
        assertOneLineError(run("distill", "--method", "mtt", "--out", out.toString()), "needs --experts");
        assertOneLineError(run("distill", "--method", "dm", "--device", "cpu", "--ipc", "0", "--out", out.toString()), "--ipc");
        assertOneLineError(run("distill", "--method", "dm", "--device", "cpu", "--dataset", data, "--ipc", "11", "--out",
                out.toString()), "smallest class");
        assertOneLineError(run("distill", "--method", "dm", "--device", "cpu", "--model", "resnet18", "--out", out.toString()),
                "resnet18");
        assertOneLineError(run("distill", "--method", "dm", "--device", "cpu", "--dsa-strategy", "color_blur", "--out",
                out.toString()), "blur");
        assertOneLineError(run("distill", "--method", "dm", "--device", "cpu", "--init", "zeros", "--out", out.toString()),
                "zeros");
        assertTrue(Files.notExists(out));
    }
}
