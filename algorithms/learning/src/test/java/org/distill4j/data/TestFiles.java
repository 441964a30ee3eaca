package org.distill4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.distill4j.tensor.Tensor;

/** Small data files written byte by byte, the way the original tools lay them out. */
final class TestFiles {
    private TestFiles() {
    }

    /** An IDX image file: magic 0x803, sizes n, h, w, then the pixels. */
    static byte[] idxImages(int n, int h, int w, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
        b.putInt(Idx.IMAGES_MAGIC).putInt(n).putInt(h).putInt(w).put(pixels);
        return b.array();
    }

    /** An IDX label file: magic 0x801, size n, then the labels. */
    static byte[] idxLabels(byte[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(Idx.LABELS_MAGIC).putInt(labels.length).put(labels);
        return b.array();
    }

    /** Pixel bytes that differ between images and positions: {@code (13 i + 7 p + 1) mod 256}. */
    static byte[] pattern(int n, int perImage) {
        byte[] p = new byte[n * perImage];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < perImage; j++) {
                p[i * perImage + j] = (byte) (13 * i + 7 * j + 1);
            }
        }
        return p;
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(data);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path p, byte[] data) throws IOException {
        Files.createDirectories(p.toAbsolutePath().getParent());
        return Files.write(p, data);
    }

    /** Writes a split of {@code n} 3x4 images (labels {@code i mod 3}) with the usual gzipped names. */
    static void idxSplit(Path dir, String prefix, int n) throws IOException {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 3);
        }
        write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), gzip(idxImages(n, 3, 4, pattern(n, 12))));
        write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), gzip(idxLabels(labels)));
    }

    /** CIFAR-10 records: label {@code (first + r) mod 10}, pixels {@code pattern(first + r)}. */
    static byte[] cifarRecords(int first, int count) {
        byte[] b = new byte[count * Cifar10.RECORD_BYTES];
        byte[] pixels = pattern(first + count, Cifar10.IMAGE_BYTES);
        for (int r = 0; r < count; r++) {
            b[r * Cifar10.RECORD_BYTES] = (byte) ((first + r) % 10);
            System.arraycopy(pixels, (first + r) * Cifar10.IMAGE_BYTES, b, r * Cifar10.RECORD_BYTES + 1, Cifar10.IMAGE_BYTES);
        }
        return b;
    }

    /** Writes five training batches of {@code perBatch} records and a test batch of {@code test} records. */
    static void cifarFolder(Path dir, int perBatch, int test) throws IOException {
        for (int f = 0; f < 5; f++) {
            write(dir.resolve("data_batch_" + (f + 1) + ".bin"), cifarRecords(f * perBatch, perBatch));
        }
        write(dir.resolve("test_batch.bin"), cifarRecords(0, test));
    }

    /** {@code n} images {@code [c, h, w]} where image i's pixel j is {@code i + j / 1000}: rows are recognisable. */
    static Dataset numbered(int n, int c, int h, int w, int classes) {
        int per = c * h * w;
        float[] x = new float[n * per];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < per; j++) {
                x[i * per + j] = i + j / 1000f;
            }
            labels[i] = i % classes;
        }
        return new Dataset("numbered", Tensor.fromFloats(x, n, c, h, w), labels, classes);
    }

    /**
     * A selection file as {@code Selection.writeCsv} writes it: the provenance line (recording
     * {@code d}, and the SHA-256 of what follows), then {@code body} (header and rows).
     */
    static String selectionFile(Dataset d, String body) {
        java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("name", d.name());
        data.put("examples", d.size());
        data.put("sha256", d.fingerprint());
        java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("kind", "distill4j/selection");
        o.put("method", "herding");
        o.put("data", data);
        o.put("rows_sha256", java.util.HexFormat.of().formatHex(
                org.distill4j.io.Provenance.sha256().digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        return "# distill4j selection " + org.distill4j.io.Json.write(o) + "\n" + body;
    }
}
