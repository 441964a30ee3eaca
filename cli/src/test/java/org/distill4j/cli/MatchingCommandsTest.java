package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.distill4j.data.NpyFolder;
import org.distill4j.io.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distill --method dc|mtt} and {@code experts} on a tiny .npy data set: runs, resume, one-line refusals. */
class MatchingCommandsTest extends CommandTest {
    @TempDir
    Path tmp;
    private String data;

    @BeforeEach
    void data() throws Exception {
        Path d = tmp.resolve("data");
        NpyFolder.write(d.resolve("train"), OutputSafetyTest.synthetic(60, 1));
        NpyFolder.write(d.resolve("test"), OutputSafetyTest.synthetic(20, 2));
        data = d.toString();
    }

    private void assertOneLineError(String mustContain) {
        String[] lines = errLines();
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].startsWith("distill4j: ") && lines[0].contains(mustContain), lines[0]);
    }

    private int dc(Path out, String... more) {
        String[] base = {"distill", "--method", "dc", "--device", "cpu", "--threads", "1", "--dataset", data, "--model", "mlp",
                "--batch-real", "4", "--models", "1", "--train-epochs", "1", "--out", out.toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return run(args);
    }

    @Test
    void dcDistillsResumesAndIsReadByEvaluateDistilled() throws Exception {
        Path out = tmp.resolve("dc");
        assertEquals(0, dc(out, "--iterations", "2"), err.toString());
        for (String f : new String[]{"images.npy", "labels.npy", "lrs.npy", "meta.json", "grid.png"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertTrue(Files.isRegularFile(tmp.resolve("dc.checkpoint/meta.json")));
        var meta = Json.readObject(out.resolve("meta.json"));
        assertEquals("dc", meta.get("distill_method"));
        assertEquals("noise", meta.get("image_init"));
        assertTrue(out.toString().length() > 0);
        assertEquals(0, run("evaluate-distilled", "--device", "cpu", "--threads", "1", "--models", "1", "--train-epochs", "1",
                out.toString()), err.toString());
        // The same command with more iterations resumes the checkpoint.
        assertEquals(0, dc(out, "--iterations", "3"), err.toString());
        assertTrue(this.out.toString().contains("resumed after iteration 2"), this.out.toString());
        // Other settings at that checkpoint: one line, the output untouched.
        byte[] before = Files.readAllBytes(out.resolve("images.npy"));
        assertEquals(2, dc(out, "--iterations", "3", "--lr-img", "0.5"));
        assertOneLineError("other settings");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(out.resolve("images.npy"))));
    }

    @Test
    void badInputIsOneLineAndWritesNothing() {
        Path out = tmp.resolve("d");
        String[][] cases = {
            {"--method", "nope"}, {"--method", "dsa", "--dsa-strategy", "color_blur"}, {"--method", "dsa", "--aug-mode", "X"},
            {"--method", "dc", "--ipc", "0"},
            {"--method", "dc", "--ipc", "7", "--outer-loop", "1", "--inner-loop", "1"}, {"--method", "mtt"},
            {"--method", "mtt", "--experts", tmp.resolve("none").toString()}, {"--method", "dc", "--dis-metric", "l1"},
            {"--method", "dc", "--init", "smart"},
        };
        String[] expect = {"unknown method 'nope'", "unknown DSA augmentation 'blur'", "--aug-mode must be S or M", "ipc must be >= 1",
            "more than class 0 holds (6 images)", "needs --experts", "no expert folder", "ours, mse or cos", "real or noise"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 9];
            String[] base = {"distill", "--device", "cpu", "--dataset", data, "--model", "mlp", "--out", out.toString()};
            System.arraycopy(base, 0, args, 0, base.length);
            System.arraycopy(cases[i], 0, args, base.length, cases[i].length);
            assertEquals(2, run(args), String.join(" ", cases[i]));
            assertOneLineError(expect[i]);
            assertTrue(Files.notExists(out) && Files.notExists(tmp.resolve("d.checkpoint")), String.join(" ", cases[i]));
        }
    }

    @Test
    void expertsThenMttAndRefusalsOfForeignExperts() throws Exception {
        Path experts = tmp.resolve("experts");
        String[] ex = {"experts", "--device", "cpu", "--threads", "1", "--dataset", data, "--model", "mlp", "--experts", "2",
            "--epochs", "2", "--batch-train", "16", "--dsa-strategy", "none", "--out", experts.toString()};
        assertEquals(0, run(ex), err.toString());
        assertTrue(out.toString().contains("2 trained now, 0 already there"), out.toString());
        assertTrue(Files.isRegularFile(experts.resolve("expert_0001/epoch_002.npy")));
        assertEquals(0, run(ex), err.toString());
        assertTrue(out.toString().contains("0 trained now, 2 already there"), out.toString());

        Path out = tmp.resolve("mtt");
        String[] mtt = {"distill", "--method", "mtt", "--device", "cpu", "--threads", "1", "--dataset", data, "--model", "mlp",
            "--experts", experts.toString(), "--iterations", "2", "--syn-steps", "2", "--expert-epochs", "1",
            "--max-start-epoch", "2", "--lr-img", "10", "--models", "1", "--train-epochs", "1", "--out", out.toString()};
        assertEquals(0, run(mtt), err.toString());
        var meta = Json.readObject(out.resolve("meta.json"));
        assertEquals("mtt", meta.get("distill_method"));
        assertEquals("real", meta.get("image_init"));
        assertTrue(Files.isRegularFile(out.resolve("grid.png")));

        Path other = tmp.resolve("other");
        mtt[mtt.length - 1] = other.toString();
        mtt[10] = "convnet";
        assertEquals(2, run(mtt));
        assertOneLineError("holds experts of model \"mlp\"");
        mtt[10] = "mlp";
        String[] longer = mtt.clone();
        longer[java.util.Arrays.asList(mtt).indexOf("--max-start-epoch") + 1] = "5";
        assertEquals(2, run(longer));
        assertOneLineError("need 5");
        Path f = experts.resolve("expert_0000/epoch_001.npy");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 8));
        assertEquals(2, run(mtt));
        assertOneLineError("truncated");
        assertTrue(Files.notExists(other));
    }
}
