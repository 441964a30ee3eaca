package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.distill4j.distill.DistilledSet;
import org.distill4j.io.Json;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baseline-sets}: random and herding sets as distilled-set folders the protocol evaluates; bad input. */
class BaselineSetsCommandTest extends CommandTest {
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
    void writesNestedSetsThatTheProtocolEvaluates() throws Exception {
        String data = data().toString();
        Path out = tmp.resolve("sets");
        assertEquals(0, run("baseline-sets", "--device", "cpu", "--threads", "1", "--dataset", data, "--ipc", "1,3",
                "--feature-epochs", "1", "--feature-batch", "8", "--out", out.toString(), "--json"), err.toString());
        for (String name : List.of("random-ipc1", "random-ipc3", "herding-ipc1", "herding-ipc3")) {
            assertTrue(Files.isRegularFile(out.resolve(name).resolve("grid.png")), name);
        }
        DistilledSet h1 = DistilledSet.read(out.resolve("herding-ipc1"));
        DistilledSet h3 = DistilledSet.read(out.resolve("herding-ipc3"));
        assertEquals(3, h1.images().dim(1));
        assertEquals(9, h3.images().dim(1));
        assertEquals("herding", h3.meta().get("method"));
        assertEquals("convnet", h3.model().orElseThrow());
        assertArrayEquals(new int[]{0, 0, 0, 1, 1, 1, 2, 2, 2}, h3.flatHardLabels());
        // Nested: the one-per-class set is the first pick of each class.
        List<?> i1 = (List<?>) ((Map<?, ?>) h1.meta().get("settings")).get("indices");
        List<?> i3 = (List<?>) ((Map<?, ?>) h3.meta().get("settings")).get("indices");
        assertEquals(List.of(i3.get(0), i3.get(3), i3.get(6)), i1);
        // The images are the training images at those indices, as read by the data loader (same normalisation).
        DistilledSet r3 = DistilledSet.read(out.resolve("random-ipc3"));
        assertEquals("random", r3.meta().get("method"));
        assertFalse(Arrays.equals(r3.images().toFloatArray(), h3.images().toFloatArray()) && i3.equals(
                ((Map<?, ?>) r3.meta().get("settings")).get("indices")), "random and herding pick differently here");
        String json = out.toString();
        assertEquals(0, run("evaluate-distilled", "--device", "cpu", "--threads", "1", "--protocol", "dc", "--num-eval", "2",
                "--epoch-eval-train", "2", "--json", out.resolve("herding-ipc3").toString()), err.toString());
        String last = this.out.toString().lines().reduce((a, b) -> b).orElseThrow();
        Map<String, Object> o = Json.parseObject(last);
        assertEquals(2, ((List<?>) ((Map<?, ?>) o.get("results")).get("test_accuracies")).size(), json);
        // Run again: our own folders are replaced, nothing refused.
        assertEquals(0, run("baseline-sets", "--device", "cpu", "--threads", "1", "--dataset", data, "--ipc", "1",
                "--methods", "random", "--out", out.toString()), err.toString());
    }

    @Test
    void badInputIsOneLineAndNothingWritten() throws Exception {
        String data = data().toString();
        Path out = tmp.resolve("never");
        assertOneLineError(run("baseline-sets", "--dataset", data, "--methods", "kmeans", "--out", out.toString()),
                "unknown baseline 'kmeans'");
        assertOneLineError(run("baseline-sets", "--dataset", data, "--ipc", "0", "--out", out.toString()), "--ipc must be >= 1");
        assertOneLineError(run("baseline-sets", "--device", "cpu", "--dataset", data, "--ipc", "11", "--out", out.toString()),
                "--ipc 11 is more than class 0");
        assertFalse(Files.exists(out));
        Path theirs = tmp.resolve("theirs");
        Files.createDirectories(theirs.resolve("random-ipc1"));
        Files.writeString(theirs.resolve("random-ipc1").resolve("notes.txt"), "mine");
        assertOneLineError(run("baseline-sets", "--device", "cpu", "--dataset", data, "--ipc", "1", "--methods", "random",
                "--out", theirs.toString()), "random-ipc1");
        assertEquals("mine", Files.readString(theirs.resolve("random-ipc1").resolve("notes.txt")));
    }
}
