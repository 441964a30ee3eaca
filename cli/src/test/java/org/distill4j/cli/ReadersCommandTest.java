package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.coreset.protocol.ProtocolRow;
import org.distill4j.distill.DistilledSet;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our own files, malformed, given to the commands that read them: exit code 2 and one stderr line,
 * before any data set is loaded (so these tests need no Fashion-MNIST).
 */
class ReadersCommandTest extends CommandTest {
    @TempDir
    Path tmp;

    private void assertOneLineError(int exit, String mustContain) {
        assertEquals(2, exit, err.toString());
        String[] lines = err.toString().split("\\R");
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].startsWith("distill4j: ") && lines[0].contains(mustContain), lines[0]);
    }

    /** A well-formed distilled folder for LeNet on 28x28 images, 10 classes. */
    private Path distilled(String name) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", "distill4j-distilled/1");
        meta.put("dataset", "fashion-mnist");
        meta.put("model", "lenet");
        meta.put("classes", 10);
        meta.put("image_shape", new int[]{1, 28, 28});
        meta.put("ipc", 1);
        meta.put("steps", 1);
        meta.put("epochs", 1);
        meta.put("soft_labels", false);
        meta.put("init", "random");
        meta.put("normalization", Map.of("mean", java.util.List.of(0.286), "std", java.util.List.of(0.353)));
        int[] labels = new int[10];
        Arrays.setAll(labels, i -> i);
        new DistilledSet(Tensor.randn(new Generator(1), DType.F32, 1, 10, 1, 28, 28), Tensor.fromInts(labels, 1, 10),
                new double[]{0.02}, meta).writeTo(dir);
        return dir;
    }

    @Test
    void evaluateDistilledWithAMetaJsonNested200000Deep() throws IOException {
        Path dir = distilled("deep");
        Files.writeString(dir.resolve("meta.json"), "[".repeat(200_000));
        assertOneLineError(run("evaluate-distilled", "--device", "cpu", dir.toString()),
                "meta.json: JSON: nesting deeper than 512 levels at character 512");
    }

    @Test
    void evaluateDistilledWithATruncatedImagesFile() throws IOException {
        Path dir = distilled("cut");
        byte[] images = Files.readAllBytes(dir.resolve("images.npy"));
        Files.write(dir.resolve("images.npy"), Arrays.copyOf(images, images.length - 5));
        assertOneLineError(run("evaluate-distilled", "--device", "cpu", dir.toString()),
                "images.npy: truncated, expected 31360 bytes of data for shape [1, 10, 1, 28, 28] of <f4, found 31355");
    }

    @Test
    void evaluateDistilledWithFieldsOfTheWrongType() throws IOException {
        Path dir = distilled("types");
        String meta = Files.readString(dir.resolve("meta.json"));
        Files.writeString(dir.resolve("meta.json"), meta.replace("\"steps\": 1", "\"steps\": \"one\""));
        assertOneLineError(run("evaluate-distilled", "--device", "cpu", dir.toString()),
                "'steps' must be an integer from 1 to 2147483647, got a string \"one\"");
        Files.writeString(dir.resolve("meta.json"), meta.replace("\"mean\": [0.286]", "\"mean\": [\"dark\"]"));
        assertOneLineError(run("evaluate-distilled", "--device", "cpu", dir.toString()),
                "'normalization.mean' must be 1 finite number(s), one per channel, got an array [\"dark\"]");
        Files.writeString(dir.resolve("meta.json"), meta.replace("\"image_shape\": [1, 28, 28]", "\"image_shape\": [1, 28]"));
        assertOneLineError(run("evaluate-distilled", "--device", "cpu", dir.toString()), "'image_shape' must be a list of 3");
    }

    @Test
    void evaluateWithAMalformedSelection() throws IOException {
        Path csv = Files.writeString(tmp.resolve("bad.csv"), "index,label,weight,score\n3,1,1,0.5\n4,1,heavy,0.5\n");
        assertOneLineError(run("evaluate", "--device", "cpu", "--subset", csv.toString()),
                "bad.csv:3: weight 'heavy' is not a number");
        Files.write(csv, new byte[]{'i', 'n', 'd', 'e', 'x', '\n', (byte) 0xC0, '\n'});
        assertOneLineError(run("evaluate", "--device", "cpu", "--subset", csv.toString()), "bad.csv: not UTF-8 text");
    }

    @Test
    void distillBaselinesFromABadFolder() throws IOException {
        Path dir = distilled("from");
        Files.writeString(dir.resolve("meta.json"), "{\"steps\": 1, \"steps\": 2}");
        assertOneLineError(run("distill-baselines", "--device", "cpu", "--from", dir.toString()),
                "meta.json: JSON: duplicate key \"steps\" at character 13");
        Path other = distilled("lrs");
        Files.write(other.resolve("lrs.npy"), new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) 0xFF});
        assertOneLineError(run("distill-baselines", "--device", "cpu", "--from", other.toString()),
                "lrs.npy: truncated .npy header");
        Path fine = distilled("fine");
        Path csv = Files.writeString(tmp.resolve("sel.csv"), "label,weight\n1,1\n");
        assertOneLineError(run("distill-baselines", "--device", "cpu", "--from", fine.toString(), "--selection", csv.toString()),
                "sel.csv:1: the header must name an 'index' column");
    }

    @Test
    void coresetBenchComparesSettingsAsJsonAndRefusesBrokenFiles() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("bench"));
        Files.writeString(out.resolve("settings.json"), "{\"dataset\": \"fashion-mnist\", \"model\": \"lenet\",\n  \"selection_epochs\": 5,");
        // A broken marker is no marker: the folder is not known as distill4j's, so it is not written into.
        assertOneLineError(run("coreset-bench", "--device", "cpu", "--out", out.toString()),
                "a folder that distill4j did not write (it holds settings.json)");
        // The same settings in another key order and number layout are the same settings: the run goes on to results.csv.
        Files.writeString(out.resolve("settings.json"), "{\"balance\": true, \"momentum\": 9.0e-1, \"lr\": 0.01, \"batch_size\": 128,"
                + " \"epochs\": 200.0, \"selection_epochs\": 5, \"model\": \"lenet\", \"dataset\": \"fashion-mnist\"}\n");
        Files.writeString(out.resolve("results.csv"), ProtocolRow.HEADER + "\nuniform,0.1,0,6000,6000,0.1,1.0,1.7,0.9,10\n");
        assertOneLineError(run("coreset-bench", "--device", "cpu", "--out", out.toString()),
                "results.csv:2: final_accuracy 1.7 is out of range");
        assertOneLineError(run("coreset-bench", "--device", "cpu", "--out", out.toString(), "--lr", "0.05"),
                "holds results made with other settings (lr 0.01, here 0.05)");
    }
}
