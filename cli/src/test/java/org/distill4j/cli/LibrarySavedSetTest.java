package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.distill4j.data.DataSets;
import org.distill4j.data.NpyFolder;
import org.distill4j.data.Splits;
import org.distill4j.distill.DistillConfig;
import org.distill4j.distill.DistilledSet;
import org.distill4j.distill.UnrolledDistiller;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A set distilled and saved by a program, through the library alone, is one that the commands accept. */
class LibrarySavedSetTest extends CommandTest {
    @TempDir
    Path tmp;

    @Test
    void aSetSavedThroughTheLibraryIsAcceptedByEvaluateDistilledAndADamagedOneIsRefused() throws IOException {
        Path data = tmp.resolve("data");
        NpyFolder.write(data.resolve("train"), OutputSafetyTest.synthetic(60, 1));
        NpyFolder.write(data.resolve("test"), OutputSafetyTest.synthetic(20, 2));

        Splits splits = DataSets.loadNormalized(data.toString(), null, null);
        Model mlp = Models.byName("mlp", splits.train().imageShape(), splits.train().classes());
        DistillConfig cfg = DistillConfig.builder().steps(1).epochs(1).iterations(2).batchReal(20).build();
        DistilledSet set = UnrolledDistiller.distill(mlp, splits, data.toString(), cfg, DType.F32, UnrolledDistiller.Listener.NONE);
        Path dir = tmp.resolve("distilled");
        set.save(dir);

        int code = run("evaluate-distilled", "--device", "cpu", "--threads", "1", "--models", "2", "--train-epochs", "1",
                dir.toString());
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("dataset distillation") && out.toString().contains("replay (2 random inits)"),
                out.toString());

        byte[] lrs = Files.readAllBytes(dir.resolve("lrs.npy"));
        lrs[lrs.length - 1] ^= 1;  // still a valid positive float32 rate, but not the saved one
        Files.write(dir.resolve("lrs.npy"), lrs);
        assertEquals(2, run("evaluate-distilled", "--device", "cpu", dir.toString()));
        String[] lines = errLines();
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].startsWith("distill4j: error: " + dir.resolve("lrs.npy") + ": SHA-256 "), lines[0]);
    }
}
