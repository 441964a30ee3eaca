package org.distill4j.data;

import static org.distill4j.data.TestFiles.gzip;
import static org.distill4j.data.TestFiles.idxImages;
import static org.distill4j.data.TestFiles.idxLabels;
import static org.distill4j.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The direct path from bytes gives the bits of scaling to [0, 1], fitting and normalising. */
class ByteImagesTest {
    @TempDir
    Path dir;

    private static ByteImages random(long seed, int n, int channels, int h, int w, int offset) {
        Random r = new Random(seed);
        byte[] bytes = new byte[offset + n * channels * h * w];
        r.nextBytes(bytes);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10);
        }
        return new ByteImages("random", bytes, offset, n, channels, h, w, labels, 10);
    }

    private static void assertSameBits(Dataset expected, Dataset actual) {
        assertArrayEquals(expected.images().shape(), actual.images().shape());
        float[] e = expected.images().toFloatArray();
        float[] a = actual.images().toFloatArray();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                throw new AssertionError("pixel " + i + ": " + e[i] + " by the float path, " + a[i] + " from the bytes");
            }
        }
        assertArrayEquals(expected.labels(), actual.labels());
        assertEquals(expected.classes(), actual.classes());
        assertEquals(expected.name(), actual.name());
    }

    @Test
    void fitAndNormaliseGiveTheFloatPathsBits() {
        // Enough pixels that the double sums round (47 million in Fashion-MNIST; here 1.2 million),
        // every byte value, one and three channels, data not at the start of the array.
        for (int channels : new int[]{1, 3}) {
            ByteImages b = random(channels, 1500, channels, 28, 28, 16);
            Dataset unit = b.toUnit();
            Normalization fitted = Normalization.fit(unit);
            Normalization direct = b.fit();
            assertArrayEquals(fitted.mean(), direct.mean(), 0.0);
            assertArrayEquals(fitted.std(), direct.std(), 0.0);
            assertSameBits(unit.normalized(fitted), b.normalized(direct));
            double[] mean = new double[channels];
            double[] std = new double[channels];
            for (int c = 0; c < channels; c++) {
                mean[c] = 0.2860 + 0.01 * c;
                std[c] = 0.3530 - 0.02 * c;
            }
            Normalization given = Normalization.of(mean, std);
            assertSameBits(unit.normalized(given), b.normalized(given));
        }
    }

    @Test
    void aConstantChannelIsRefusedAsBefore() {
        ByteImages flat = new ByteImages("flat", new byte[2 * 4], 0, 2, 1, 2, 2, new int[]{0, 1}, 2);
        String expected = assertThrows(IllegalArgumentException.class, () -> Normalization.fit(flat.toUnit())).getMessage();
        assertEquals(expected, assertThrows(IllegalArgumentException.class, flat::fit).getMessage());
    }

    @Test
    void loadNormalizedGivesTheComposedPathsBits() throws IOException {
        Random r = new Random(7);
        for (String prefix : new String[]{"train", "t10k"}) {
            int n = prefix.equals("train") ? 300 : 100;
            byte[] pixels = new byte[n * 28 * 28];
            r.nextBytes(pixels);
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) r.nextInt(10);
            }
            write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), gzip(idxImages(n, 28, 28, pixels)));
            write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), gzip(idxLabels(labels)));
        }
        Dataset train = DataSets.load("fashion-mnist", true, dir);
        Dataset test = DataSets.load("fashion-mnist", false, dir);
        Normalization fitted = Normalization.fit(train);
        for (String nameOrPath : new String[]{"fashion-mnist", dir.toString()}) {
            Path dataDir = nameOrPath.equals("fashion-mnist") ? dir : null;
            Splits s = DataSets.loadNormalized(nameOrPath, dataDir, null);
            assertArrayEquals(fitted.mean(), s.norm().mean(), 0.0);
            assertArrayEquals(fitted.std(), s.norm().std(), 0.0);
            Dataset trainAsLoaded = nameOrPath.equals("fashion-mnist") ? train : DataSets.load(nameOrPath, true, null);
            Dataset testAsLoaded = nameOrPath.equals("fashion-mnist") ? test : DataSets.load(nameOrPath, false, null);
            assertSameBits(trainAsLoaded.normalized(fitted), s.train());
            assertSameBits(testAsLoaded.normalized(fitted), s.test());
        }
    }
}
