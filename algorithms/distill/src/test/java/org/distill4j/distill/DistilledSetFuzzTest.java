package org.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.io.Json;
import org.distill4j.io.Mutations;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A distilled folder damaged in any file reads as a valid set or fails with one IOException line. */
class DistilledSetFuzzTest {
    @TempDir
    Path tmp;

    /** A valid two-step, two-epoch folder with every field the commands read. */
    private Path validFolder(Path dir, boolean soft) throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", "distill4j-distilled/1");
        meta.put("dataset", "toy");
        meta.put("model", "mlp");
        meta.put("classes", 2);
        meta.put("image_shape", new int[]{1, 2, 2});
        meta.put("ipc", 1);
        meta.put("steps", 2);
        meta.put("epochs", 2);
        meta.put("soft_labels", soft);
        meta.put("init", "random");
        meta.put("seed", 7);
        meta.put("n_nets", 1);
        meta.put("normalization", Map.of("mean", List.of(0.5), "std", List.of(0.25)));
        Tensor images = Tensor.randn(new Generator(1), DType.F32, 2, 2, 1, 2, 2);
        Tensor labels = soft ? Tensor.fromFloats(new float[]{0.9f, 0.1f, 0.2f, 0.8f, 1, 0, 0, 1}, 2, 2, 2)
                : Tensor.fromInts(new int[]{0, 1, 0, 1}, 2, 2);
        new DistilledSet(images, labels, new double[]{0.1, 0.2, 0.3, 0.4}, meta).save(dir);
        return dir;
    }

    private static void readOrRefuse(Path dir) throws IOException {
        DistilledSet s = DistilledSet.read(dir);
        assertEquals(s.lrs().length, s.steps() * s.epochs());
    }

    @Test
    void aMetaJsonNested200000DeepIsOneLine() throws IOException {
        Path dir = validFolder(tmp.resolve("deep"), false);
        Files.writeString(dir.resolve("meta.json"), "{\"steps\": " + "[".repeat(200_000));
        IOException e = assertThrows(IOException.class, () -> DistilledSet.read(dir));
        assertEquals(dir.resolve("meta.json") + ": JSON: nesting deeper than 512 levels at character 521", e.getMessage());
    }

    @Test
    void everyFieldOfTheWrongTypeOrMissingIsRefusedNamingIt() throws IOException {
        Path dir = validFolder(tmp.resolve("types"), false);
        Map<String, Object> good = Json.parseObject(Files.readString(dir.resolve("meta.json")));
        List<Object> wrongValues = Arrays.asList(null, "x", true, -1, 0, 1.5, 1e300, 3e9, List.of(), Map.of(), List.of(1, 2),
                List.of(1, 2, -2), List.of(1.5, 2, 2), List.of("a", 2, 2), List.of(List.of(List.of())));
        List<String> required = List.of("steps", "epochs", "ipc", "classes", "image_shape");
        int refused = 0;
        int tried = 0;
        for (String key : good.keySet()) {
            List<Map<String, Object>> variants = new ArrayList<>();
            Map<String, Object> missing = new LinkedHashMap<>(good);
            missing.remove(key);
            variants.add(missing);
            for (Object v : wrongValues) {
                Map<String, Object> m = new LinkedHashMap<>(good);
                m.put(key, v);
                variants.add(m);
            }
            for (Map<String, Object> m : variants) {
                tried++;
                Files.writeString(dir.resolve("meta.json"), Json.write(m));
                try {
                    readOrRefuse(dir);
                } catch (IOException e) {
                    refused++;
                    Mutations.assertOneLine(e.getMessage(), key + " = " + m.get(key));
                    assertTrue(e.getMessage().startsWith(dir.resolve("meta.json").toString()) && e.getMessage().contains(key)
                            || e.getMessage().contains(".npy"), key + " = " + m.get(key) + " -> " + e.getMessage());
                }
                if (required.contains(key)) {
                    assertThrows(IOException.class, () -> DistilledSet.read(dir), key + " = " + m.get(key));
                }
            }
        }
        assertTrue(refused > tried / 2, refused + " of " + tried + " refused");
        Files.writeString(dir.resolve("meta.json"), Json.write(good));
        readOrRefuse(dir);
    }

    @Test
    void mutatedMetaJsonIsReadOrRefusedInOneLine() throws IOException {
        Path dir = validFolder(tmp.resolve("meta"), false);
        byte[] valid = Files.readAllBytes(dir.resolve("meta.json"));
        int accepted = Mutations.assertOnlyCleanFailures(Mutations.of(valid, 15, 100, 800), b -> {
            Files.write(dir.resolve("meta.json"), b);
            readOrRefuse(dir);
        });
        assertTrue(accepted > 0, "some mutants (a changed letter in a string) stay valid");
    }

    @Test
    void mutatedArrayFilesAreReadOrRefusedInOneLine() throws IOException {
        for (boolean soft : new boolean[]{false, true}) {
            Path dir = validFolder(tmp.resolve("arrays-" + soft), soft);
            // The parser's robustness, as for a folder saved before checksums: with them, every mutant is refused.
            Map<String, Object> meta = Json.readObject(dir.resolve("meta.json"));
            meta.remove("sha256");
            Files.writeString(dir.resolve("meta.json"), Json.write(meta));
            for (String name : List.of("images.npy", "labels.npy", "lrs.npy")) {
                Path f = dir.resolve(name);
                byte[] valid = Files.readAllBytes(f);
                int accepted = Mutations.assertOnlyCleanFailures(Mutations.of(valid, name.hashCode(), 40, 200), b -> {
                    Files.write(f, b);
                    readOrRefuse(dir);
                });
                assertTrue(accepted > 0 && accepted < 240, name + ": " + accepted + " of 240 accepted");
                Files.write(f, valid);
            }
            readOrRefuse(dir);
        }
    }

    @Test
    void arraysThatDoNotFitTheirMeaningAreRefused() throws IOException {
        Path dir = validFolder(tmp.resolve("values"), false);
        org.distill4j.tensor.Npy.write(dir.resolve("labels.npy"), Tensor.fromFloats(new float[]{0, 1, 0, 1}, 2, 2));
        IOException e = assertThrows(IOException.class, () -> DistilledSet.read(dir));
        assertTrue(e.getMessage().contains("expected integer class labels"), e.getMessage());
        org.distill4j.tensor.Npy.write(dir.resolve("labels.npy"), Tensor.fromInts(new int[]{0, 1, 0, 1}, 2, 2));
        float[] px = new float[16];
        px[5] = Float.NaN;
        org.distill4j.tensor.Npy.write(dir.resolve("images.npy"), Tensor.fromFloats(px, 2, 2, 1, 2, 2));
        e = assertThrows(IOException.class, () -> DistilledSet.read(dir));
        assertTrue(e.getMessage().endsWith("images.npy: element 5 is NaN, expected finite numbers"), e.getMessage());
        String meta = Files.readString(dir.resolve("meta.json"), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("meta.json"), meta.replace("\"n_nets\": 1", "\"n_nets\": 2000000000"));
        e = assertThrows(IOException.class, () -> DistilledSet.read(dir));
        assertTrue(e.getMessage().endsWith("'n_nets' is 2000000000, expected at most 10000"), e.getMessage());
        Files.writeString(dir.resolve("meta.json"), meta.replace("\"ipc\": 1", "\"ipc\": 2000000000"));
        e = assertThrows(IOException.class, () -> DistilledSet.read(dir));
        assertTrue(e.getMessage().contains("ipc x classes = 4000000000"), e.getMessage());
    }
}
