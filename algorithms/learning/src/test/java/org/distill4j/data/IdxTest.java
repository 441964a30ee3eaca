package org.distill4j.data;

import static org.distill4j.data.TestFiles.gzip;
import static org.distill4j.data.TestFiles.idxImages;
import static org.distill4j.data.TestFiles.idxLabels;
import static org.distill4j.data.TestFiles.pattern;
import static org.distill4j.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    private static final byte[] LABELS = {0, 2, 1, 2, 0};

    private void assertMatches(Dataset d, byte[] pixels) {
        assertEquals(5, d.size());
        assertArrayEquals(new int[]{1, 3, 4}, d.imageShape());
        assertArrayEquals(new int[]{0, 2, 1, 2, 0}, d.labels());
        float[] x = d.images().toFloatArray();
        for (int i = 0; i < pixels.length; i++) {
            assertEquals((pixels[i] & 0xFF) / 255f, x[i], "pixel " + i);
        }
    }

    @Test
    void readsRawAndGzippedFilesItWrote() throws IOException {
        byte[] pixels = pattern(5, 12);
        Path rawImages = write(dir.resolve("raw-images"), idxImages(5, 3, 4, pixels));
        Path rawLabels = write(dir.resolve("raw-labels"), idxLabels(LABELS));
        Path gzImages = write(dir.resolve("images.gz"), gzip(idxImages(5, 3, 4, pixels)));
        Path gzLabels = write(dir.resolve("labels.gz"), gzip(idxLabels(LABELS)));

        Dataset raw = Idx.read(rawImages, rawLabels, "tiny", 4);
        assertMatches(raw, pixels);
        assertEquals(4, raw.classes());
        assertEquals("tiny", raw.name());
        Dataset gz = Idx.read(gzImages, gzLabels, "tiny", 4);
        assertMatches(gz, pixels);
        assertArrayEquals(raw.images().toFloatArray(), gz.images().toFloatArray());
        assertEquals(3, Idx.read(gzImages, rawLabels, "inferred").classes(), "classes inferred as largest label + 1");
    }

    @Test
    void refusesTruncatedAndOverlongFiles() throws IOException {
        byte[] full = idxImages(5, 3, 4, pattern(5, 12));
        Path labels = write(dir.resolve("labels"), idxLabels(LABELS));
        Path cut = write(dir.resolve("cut"), Arrays.copyOf(full, full.length - 1));
        IOException e = assertThrows(IOException.class, () -> Idx.read(cut, labels, "t", 3));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated")
                && e.getMessage().contains("expected 76") && e.getMessage().contains("found 75"), e.getMessage());

        Path longer = write(dir.resolve("long"), Arrays.copyOf(full, full.length + 3));
        e = assertThrows(IOException.class, () -> Idx.read(longer, labels, "t", 3));
        assertTrue(e.getMessage().contains("found 79"), e.getMessage());

        Path headerOnly = write(dir.resolve("header"), Arrays.copyOf(full, 10));
        e = assertThrows(IOException.class, () -> Idx.read(headerOnly, labels, "t", 3));
        assertTrue(e.getMessage().contains("truncated IDX header"), e.getMessage());

        byte[] gz = gzip(full);
        Path cutGz = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        e = assertThrows(IOException.class, () -> Idx.read(cutGz, labels, "t", 3));
        assertTrue(e.getMessage().startsWith(cutGz.toString()), e.getMessage());
    }

    @Test
    void refusesBadMagicNamingBothNumbers() throws IOException {
        Path labels = write(dir.resolve("labels"), idxLabels(LABELS));
        // A label file given as the image file: magic 0x801 where 0x803 belongs.
        IOException e = assertThrows(IOException.class, () -> Idx.read(labels, labels, "t", 3));
        assertTrue(e.getMessage().contains(labels.toString()) && e.getMessage().contains("0x00000801")
                && e.getMessage().contains("0x00000803"), e.getMessage());
        Path text = write(dir.resolve("text"), "hello world, no IDX here".getBytes());
        e = assertThrows(IOException.class, () -> Idx.read(text, labels, "t", 3));
        assertTrue(e.getMessage().contains("bad IDX magic number"), e.getMessage());
    }

    @Test
    void refusesCountMismatchLabelsOutsideClassesAndEmptySets() throws IOException {
        Path images = write(dir.resolve("images"), idxImages(5, 3, 4, pattern(5, 12)));
        Path four = write(dir.resolve("four"), idxLabels(Arrays.copyOf(LABELS, 4)));
        IOException e = assertThrows(IOException.class, () -> Idx.read(images, four, "t", 3));
        assertTrue(e.getMessage().contains("5 images") && e.getMessage().contains("4 labels"), e.getMessage());

        Path labels = write(dir.resolve("labels"), idxLabels(LABELS));
        e = assertThrows(IOException.class, () -> Idx.read(images, labels, "t", 2));
        assertTrue(e.getMessage().contains("label 2 of example 1") && e.getMessage().contains("[0, 2)"), e.getMessage());

        Path none = write(dir.resolve("none"), idxImages(0, 3, 4, new byte[0]));
        Path noLabels = write(dir.resolve("nolabels"), idxLabels(new byte[0]));
        e = assertThrows(IOException.class, () -> Idx.read(none, noLabels, "t", 3));
        assertTrue(e.getMessage().contains("no images"), e.getMessage());
    }

    @Test
    void missingFileNamesThePathAndTheHint() throws IOException {
        Path labels = write(dir.resolve("labels"), idxLabels(LABELS));
        Path absent = dir.resolve("absent-images");
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> Idx.read(absent, labels, "t", 3, "get it somewhere"));
        assertTrue(e.getMessage().contains(absent.toString()) && e.getMessage().contains("get it somewhere"), e.getMessage());
    }
}
