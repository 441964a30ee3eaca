package org.distill4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.distill4j.io.Json;
import org.distill4j.io.Mutations;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.optim.Sgd;
import org.distill4j.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged checkpoint folder loads or fails with one line; never a ClassCastException or an index error. */
class CheckpointFuzzTest {
    @TempDir
    Path dir;

    private final Model model = Models.mlp(new int[]{1, 2, 2}, 3, 2);

    private Path checkpoint() throws IOException {
        Path ck = dir.resolve("ck");
        Checkpoint.save(ck, model, model.init(new Generator(3), DType.F32), new Sgd(0.1, 0.9, 0, false), 4);
        return ck;
    }

    /** Everything a resumed run reads from a checkpoint. */
    private void loadAll(Path ck) throws IOException {
        Params p = Checkpoint.load(ck, model);
        assertEquals(model.init(new Generator(0), DType.F32).names(), p.names());
        Checkpoint.loadOptimizer(ck, new Sgd(0.1, 0.9, 0, false));
        assertTrue(Checkpoint.epoch(ck) >= 0);
    }

    @Test
    void mutatedFilesLoadOrFailInOneLine() throws IOException {
        Path ck = checkpoint();
        loadAll(ck);
        try (var files = Files.list(ck)) {
            for (Path f : files.sorted().toList()) {
                byte[] valid = Files.readAllBytes(f);
                int accepted = Mutations.assertOnlyCleanFailures(Mutations.of(valid, f.getFileName().toString().hashCode(), 40, 200),
                        b -> {
                            Files.write(f, b);
                            loadAll(ck);
                        });
                assertTrue(accepted < 240, f.getFileName() + ": " + accepted + " of 240 accepted");
                Files.write(f, valid);
            }
        }
        loadAll(ck);
    }

    @Test
    void wrongTypesInMetaJsonAreOneLine() throws IOException {
        Path ck = checkpoint();
        Map<String, Object> good = Json.readObject(ck.resolve("meta.json"));
        List<Object> wrong = java.util.Arrays.asList(null, "x", -1, 2.5, 1e300, List.of(), Map.of(), List.of(1),
                List.of("../../etc/passwd"), List.of("a/b"));
        for (String key : good.keySet()) {
            for (Object v : wrong) {
                Map<String, Object> m = new java.util.LinkedHashMap<>(good);
                m.put(key, v);
                Files.writeString(ck.resolve("meta.json"), Json.write(m));
                Mutations.assertOnlyCleanFailures(List.of(new Mutations.Mutant(key + " = " + v, new byte[0])), b -> loadAll(ck));
            }
        }
        Map<String, Object> m = new java.util.LinkedHashMap<>(good);
        m.put("optimizer_state", List.of("../../x"));
        Files.writeString(ck.resolve("meta.json"), Json.write(m));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.loadOptimizer(ck, new Sgd(0.1, 0.9, 0, false)));
        assertTrue(e.getMessage().endsWith("'optimizer_state' holds a string that is not a tensor name (letters, digits, '_' and '.')"),
                e.getMessage());
    }
}
