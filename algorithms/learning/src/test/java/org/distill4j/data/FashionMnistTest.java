package org.distill4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.distill4j.testing.Requirements;
import org.junit.jupiter.api.Test;

/** The real Fashion-MNIST from Debian's dataset-fashion-mnist, when it is installed. */
class FashionMnistTest {
    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void loadsTheDebianFiles() throws IOException {
        Requirements.assumeOrFail(Files.isRegularFile(DIR.resolve("train-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist is not installed");
        long start = System.nanoTime();
        Dataset train = DataSets.load("fashion-mnist", true, DIR);
        // Printed, not asserted: timings belong in benchmarks, not in pass/fail tests.
        System.out.printf("Fashion-MNIST train loaded in %.0f ms%n", (System.nanoTime() - start) / 1e6);
        Dataset test = DataSets.load("fashion-mnist", false, DIR);
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        assertEquals(10, train.classes());
        assertArrayEquals(new int[]{1, 28, 28}, train.imageShape());
        int[] sixThousand = new int[10];
        Arrays.fill(sixThousand, 6000);
        assertArrayEquals(sixThousand, train.classCounts());
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1000);
        assertArrayEquals(thousand, test.classCounts());
        float[] x = train.images().toFloatArray();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        // The published statistics of the training set (mean 0.2860, std 0.3530) check every pixel's decoding.
        Normalization n = Normalization.fit(train);
        assertEquals(0.2860, n.mean()[0], 5e-4);
        assertEquals(0.3530, n.std()[0], 5e-4);
        assertEquals(9, train.label(0), "the first training image is an ankle boot");
    }
}
