package org.distill4j.data;

import static org.distill4j.data.TestFiles.numbered;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AugmentTest {
    private static final int N = 48;
    private static final int C = 2;
    private static final int H = 5;
    private static final int W = 6;

    /** Pixels {@code i + 1 + j/1000}: never zero, so zeros in the output can only be padding. */
    private static Tensor images() {
        return Elementwise.affine(numbered(N, C, H, W, 2).images(), 1, 1);
    }

    /** The brute-force reference: image {@code src} shifted by (dy, dx), optionally mirrored, zero outside. */
    private static float[] expected(float[] in, int i, int dy, int dx, boolean mirror) {
        float[] out = new float[C * H * W];
        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int sy = y + dy;
                    int sx = (mirror ? W - 1 - x : x) + dx;
                    if (sy >= 0 && sy < H && sx >= 0 && sx < W) {
                        out[(c * H + y) * W + x] = in[((i * C + c) * H + sy) * W + sx];
                    }
                }
            }
        }
        return out;
    }

    private static float[] image(float[] all, int i) {
        float[] out = new float[C * H * W];
        System.arraycopy(all, i * out.length, out, 0, out.length);
        return out;
    }

    @Test
    void everyImageIsAShiftedPossiblyMirroredCropOfItself() {
        Tensor x = images();
        Tensor y = Augment.randomCropFlip(x, 2, true, new Generator(11));
        assertArrayEquals(x.shape(), y.shape());
        float[] in = x.toFloatArray();
        float[] out = y.toFloatArray();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < N; i++) {
            String match = null;
            for (int dy = -2; dy <= 2 && match == null; dy++) {
                for (int dx = -2; dx <= 2 && match == null; dx++) {
                    for (boolean m : new boolean[]{false, true}) {
                        if (Arrays.equals(expected(in, i, dy, dx, m), image(out, i))) {
                            match = dy + "," + dx + "," + m;
                            break;
                        }
                    }
                }
            }
            assertTrue(match != null, "image " + i + " is no crop/flip of its input");
            seen.add(match);
        }
        assertTrue(seen.size() > 10, "offsets and flips vary between images: " + seen);
        assertTrue(seen.stream().anyMatch(s -> s.endsWith("true")) && seen.stream().anyMatch(s -> s.endsWith("false")));
    }

    @Test
    void flipAloneMirrorsRowsAndNoPaddingNoFlipIsIdentity() {
        Tensor x = images();
        assertArrayEquals(x.toFloatArray(), Augment.randomCropFlip(x, 0, false, new Generator(1)).toFloatArray());
        float[] in = x.toFloatArray();
        float[] out = Augment.randomCropFlip(x, 0, true, new Generator(2)).toFloatArray();
        int mirrored = 0;
        for (int i = 0; i < N; i++) {
            boolean flipped = Arrays.equals(expected(in, i, 0, 0, true), image(out, i));
            assertTrue(flipped || Arrays.equals(image(in, i), image(out, i)), "image " + i);
            mirrored += flipped ? 1 : 0;
        }
        assertTrue(mirrored > N / 4 && mirrored < 3 * N / 4, mirrored + " of " + N + " mirrored");
    }

    @Test
    void theSameSeedGivesTheSameBatch() {
        Tensor x = images();
        float[] a = Augment.randomCropFlip(x, 3, true, new Generator(5)).toFloatArray();
        assertArrayEquals(a, Augment.randomCropFlip(x, 3, true, new Generator(5)).toFloatArray());
        assertFalse(Arrays.equals(a, Augment.randomCropFlip(x, 3, true, new Generator(6)).toFloatArray()));
    }

    @Test
    void refusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Augment.randomCropFlip(images(), -1, true, new Generator(1)));
        assertThrows(IllegalArgumentException.class,
                () -> Augment.randomCropFlip(Tensor.zeros(DType.F32, 2, 3, 4), 1, true, new Generator(1)));
        assertThrows(IllegalArgumentException.class,
                () -> Augment.randomCropFlip(Tensor.zeros(DType.F64, 1, 2, 3, 4), 1, true, new Generator(1)));
    }
}
