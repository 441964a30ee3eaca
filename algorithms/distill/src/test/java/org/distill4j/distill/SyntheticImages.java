package org.distill4j.distill;

import org.distill4j.data.Dataset;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;

/**
 * A small data set the distillation tests make themselves, so that they run where Fashion-MNIST is
 * not installed: 1x8x8 images of three classes, each a fixed +-1 pattern (class 0: left half
 * bright, class 1: top half bright, class 2: a checkerboard) under Gaussian noise of std
 * {@code noise}, labels cycling 0, 1, 2. Learnable, but not from one noisy example of each class.
 */
final class SyntheticImages {
    static final int CLASSES = 3;
    static final int[] SHAPE = {1, 8, 8};

    private SyntheticImages() {
    }

    static Dataset make(String name, int n, double noise, long seed) {
        float[] x = Tensor.randn(new Generator(seed), DType.F32, n, 1, 8, 8).toFloatArray();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    x[i * 64 + r * 8 + c] = (float) (pattern(labels[i], r, c) + noise * x[i * 64 + r * 8 + c]);
                }
            }
        }
        return new Dataset(name, Tensor.fromFloats(x, n, 1, 8, 8), labels, CLASSES);
    }

    private static double pattern(int label, int r, int c) {
        boolean bright = switch (label) {
            case 0 -> c < 4;
            case 1 -> r < 4;
            default -> (r + c) % 2 == 0;
        };
        return bright ? 1 : -1;
    }
}
