package org.distill4j.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.distill4j.data.Dataset;
import org.distill4j.data.NpyFolder;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;

/** Tiny data for the examples' tests, and what a program prints. */
final class SyntheticData {
    static final int TRAIN = 60;
    static final int CLASSES = 10;

    private SyntheticData() {
    }

    /**
     * A data set folder as {@code DataSets.loadNormalized} reads it: {@code train/} ({@value #TRAIN}
     * examples) and {@code test/} (40), each {@code images.npy} and {@code labels.npy}. Returns its path.
     */
    static String folder(Path tmp) throws IOException {
        Path d = tmp.resolve("data");
        NpyFolder.write(d.resolve("train"), images(TRAIN, 1));
        NpyFolder.write(d.resolve("test"), images(40, 2));
        return d.toString();
    }

    /** {@code n} 8x8 one-channel images, label {@code i % 10}: class c lights up row c mod 8 (8 and 9 darken it), plus noise. */
    static Dataset images(int n, long seed) {
        float[] x = Tensor.randn(new Generator(seed), DType.F32, n, 1, 8, 8).toFloatArray();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            for (int col = 0; col < 8; col++) {
                x[i * 64 + (labels[i] % 8) * 8 + col] += labels[i] < 8 ? 3f : -3f;
            }
        }
        return new Dataset("synthetic", Tensor.fromFloats(x, n, 1, 8, 8), labels, CLASSES);
    }

    interface Body {
        void run() throws Exception;
    }

    /** What {@code body} printed on standard output. */
    static String stdout(Body body) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
