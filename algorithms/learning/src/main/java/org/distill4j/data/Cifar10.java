package org.distill4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary version of CIFAR-10 (https://www.cs.toronto.edu/~kriz/cifar.html): files of
 * 3073-byte records, one label byte then a 32x32 image as 1024 red, 1024 green and 1024 blue
 * bytes in row-major order, which is already the {@code [C, H, W]} layout. Pixels are scaled to
 * {@code [0, 1]}.
 */
public final class Cifar10 {
    public static final int CLASSES = 10;
    static final int SIDE = 32;
    static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    static final String FOLDER = "cifar-10-batches-bin";
    static final String HINT = "download the CIFAR-10 binary version (https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz),"
            + " unpack it and pass --data DIR (or set DISTILL4J_DATA) to the folder holding data_batch_1.bin";

    private Cifar10() {
    }

    /**
     * Reads {@code data_batch_1..5.bin} (train) or {@code test_batch.bin} from {@code dir}, or from
     * {@code dir/cifar-10-batches-bin} when that is where the files are.
     */
    public static Dataset read(Path dir, boolean train) throws IOException {
        Path folder = resolve(dir);
        List<String> names = new ArrayList<>();
        if (train) {
            for (int i = 1; i <= 5; i++) {
                names.add("data_batch_" + i + ".bin");
            }
        } else {
            names.add("test_batch.bin");
        }
        List<byte[]> files = new ArrayList<>();
        int records = 0;
        for (String name : names) {
            Path p = folder.resolve(name);
            byte[] b = FileBytes.read(p, HINT);
            if (b.length == 0 || b.length % RECORD_BYTES != 0) {
                throw new IOException(p + ": truncated or not a CIFAR-10 binary batch, expected a positive multiple of "
                        + RECORD_BYTES + " bytes (10000 records = " + 10000 * RECORD_BYTES + "), found " + b.length);
            }
            // The official batches all hold 10000 records; unequal ones mean one was cut at a record boundary.
            if (!files.isEmpty() && b.length != files.get(0).length) {
                throw new IOException(p + ": holds " + b.length / RECORD_BYTES + " records but " + folder.resolve(names.get(0))
                        + " holds " + files.get(0).length / RECORD_BYTES + "; expected equal batches (a truncated file?)");
            }
            files.add(b);
            records = Math.addExact(records, b.length / RECORD_BYTES);
        }
        float[] pixels = new float[Math.multiplyExact(records, IMAGE_BYTES)];
        int[] labels = new int[records];
        int example = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] b = files.get(f);
            for (int r = 0; r < b.length / RECORD_BYTES; r++, example++) {
                int at = r * RECORD_BYTES;
                int label = b[at] & 0xFF;
                if (label >= CLASSES) {
                    throw new IOException(folder.resolve(names.get(f)) + ": label " + label + " of record " + r
                            + " is outside [0, " + CLASSES + ")");
                }
                labels[example] = label;
                Pixels.toUnit(b, at + 1, pixels, example * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        return new Dataset("cifar10/" + (train ? "train" : "test"), Pixels.handOver(pixels, records, 3, SIDE, SIDE),
                labels, CLASSES);
    }

    /** {@code dir}, or its {@code cifar-10-batches-bin} subfolder when only that holds the batches. */
    static Path resolve(Path dir) {
        if (!looksLikeCifar(dir) && looksLikeCifar(dir.resolve(FOLDER))) {
            return dir.resolve(FOLDER);
        }
        return dir;
    }

    static boolean looksLikeCifar(Path dir) {
        return Files.isRegularFile(dir.resolve("data_batch_1.bin")) || Files.isRegularFile(dir.resolve("test_batch.bin"));
    }
}
