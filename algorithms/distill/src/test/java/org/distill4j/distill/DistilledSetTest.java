package org.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.data.Dataset;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder format round-trips and rejects inconsistent folders; baselines have the layout and property they promise. */
class DistilledSetTest {
    @TempDir
    Path tmp;

    static DistilledSet small(int steps, int epochs) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("dataset", "toy");
        meta.put("model", "mlp");
        meta.put("classes", 2);
        meta.put("image_shape", new int[]{1, 2, 2});
        meta.put("ipc", 1);
        meta.put("steps", steps);
        meta.put("epochs", epochs);
        meta.put("soft_labels", false);
        Tensor images = Tensor.randn(new Generator(1), DType.F32, steps, 2, 1, 2, 2);
        int[] labels = new int[steps * 2];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
        }
        double[] lrs = new double[steps * epochs];
        java.util.Arrays.fill(lrs, 0.05);
        return new DistilledSet(images, Tensor.fromInts(labels, steps, 2), lrs, meta);
    }

    @Test
    void roundTrip() throws IOException {
        DistilledSet a = small(3, 2);
        a.writeTo(tmp);
        DistilledSet b = DistilledSet.read(tmp);
        assertArrayEquals(a.images().toFloatArray(), b.images().toFloatArray());
        assertArrayEquals(a.labels().toIntArray(), b.labels().toIntArray());
        assertArrayEquals(a.lrs(), b.lrs(), 1e-7);
        assertArrayEquals(new int[]{0, 1, 2, 0, 1, 2}, b.stepOrder());
    }

    @Test
    void aSavedSetIsMarkedAsADistilledSetAndReplacesOnlyAnEarlierOne() throws IOException {
        Path d = tmp.resolve("d");
        small(3, 2).save(d);
        assertEquals("distill4j/distilled-set", DistilledSet.read(d).meta().get("kind"));
        small(2, 2).save(d);
        assertEquals(2, DistilledSet.read(d).steps());
        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("important.txt"), "mine");
        assertThrows(org.distill4j.io.OutputRefusedException.class, () -> small(2, 2).save(notes));
        assertEquals("mine", Files.readString(notes.resolve("important.txt")));
    }

    @Test
    void inconsistentFoldersAreRejected() throws IOException {
        small(3, 2).writeTo(tmp);
        Npy.write(tmp.resolve("lrs.npy"), Tensor.fromFloats(new float[]{0.1f, 0.1f}, 2));
        IOException e = assertThrows(IOException.class, () -> DistilledSet.read(tmp));
        assertTrue(e.getMessage().contains("lrs.npy"), e.getMessage());
        Npy.write(tmp.resolve("lrs.npy"), Tensor.fromFloats(new float[]{0.1f, 0.1f, -0.1f, 0.1f, 0.1f, 0.1f}, 6));
        e = assertThrows(IOException.class, () -> DistilledSet.read(tmp));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
        small(2, 2).save(tmp.resolve("other"));
        Files.copy(tmp.resolve("other/images.npy"), tmp.resolve("images.npy"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        e = assertThrows(IOException.class, () -> DistilledSet.read(tmp));
        assertTrue(e.getMessage().contains("images.npy"), e.getMessage());
        Files.delete(tmp.resolve("labels.npy"));
        assertThrows(NoSuchFileException.class, () -> DistilledSet.read(tmp));
    }

    @Test
    void aFileThatIsNotTheSavedOneIsRefusedByItsChecksumAndOldFoldersWithoutChecksumsAreRead() throws IOException {
        Path a = tmp.resolve("a");
        small(3, 2).save(a);
        Path b = tmp.resolve("b");
        DistilledSet other = small(3, 2);
        new DistilledSet(Tensor.randn(new Generator(2), DType.F32, 3, 2, 1, 2, 2), other.labels(), other.lrs(), other.meta()).save(b);
        Files.copy(b.resolve("images.npy"), a.resolve("images.npy"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IOException e = assertThrows(IOException.class, () -> DistilledSet.read(a));
        assertTrue(e.getMessage().startsWith(a.resolve("images.npy") + ": SHA-256 ") && e.getMessage().contains("meta.json")
                && !e.getMessage().contains("\n"), e.getMessage());
        Map<String, Object> meta = org.distill4j.io.Json.readObject(a.resolve("meta.json"));
        meta.remove("sha256");
        Files.writeString(a.resolve("meta.json"), org.distill4j.io.Json.write(meta));
        assertEquals(3, DistilledSet.read(a).steps(), "a folder from before checksums");
        meta.put("sha256", Map.of("images.npy", "beef"));
        Files.writeString(a.resolve("meta.json"), org.distill4j.io.Json.write(meta));
        e = assertThrows(IOException.class, () -> DistilledSet.read(a));
        assertTrue(e.getMessage().contains("'sha256' must be"), e.getMessage());
    }

    @Test
    void kMeansFindsSeparatedClustersAndBaselinesKeepTheLayout() {
        // Class 0: two tight blobs around -5 and +5; class 1: one blob around 0.
        int m = 40;
        float[] x = new float[m * 4];
        int[] labels = new int[m];
        Generator g = new Generator(3);
        Tensor noise = Tensor.normal(g, DType.F32, 0, 0.1, m * 4);
        float[] nz = noise.toFloatArray();
        for (int i = 0; i < m; i++) {
            labels[i] = i % 2;
            float centre = labels[i] == 1 ? 0 : (i % 4 == 0 ? -5 : 5);
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = centre + nz[i * 4 + j];
            }
        }
        Dataset d = new Dataset("toy", Tensor.fromFloats(x, m, 1, 2, 2), labels, 2);
        double[] lrs = {0.1, 0.1};
        DistilledSet km = Baselines.kMeans(d, 1, 2, lrs, new Generator(5), 20);
        assertArrayEquals(new int[]{0, 1, 0, 1}, km.labels().toIntArray());
        float[] img = km.images().contiguous().toFloatArray();
        // Class 0's two centroids are step 0 slot 0 and step 1 slot 0: one near -5, one near +5.
        float a = img[0];
        float b = img[2 * 4];
        assertEquals(0, Math.min(Math.abs(a + 5), Math.abs(a - 5)), 0.1);
        assertEquals(10, Math.abs(a - b), 0.2);
        DistilledSet means = Baselines.classMeans(d, 1, 2, lrs);
        float[] mv = means.images().contiguous().toFloatArray();
        assertEquals(0, mv[4], 0.1);
        assertEquals(mv[0], mv[8], 1e-6);
        DistilledSet random = Baselines.randomReal(d, 1, 2, lrs, new Generator(2));
        assertArrayEquals(new int[]{0, 1, 0, 1}, random.labels().toIntArray());
    }
}
