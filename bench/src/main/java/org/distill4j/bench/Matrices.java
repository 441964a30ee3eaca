package org.distill4j.bench;

import java.util.SplittableRandom;

/** Test data for the benchmarks. */
final class Matrices {
    private Matrices() {
    }

    /** Uniform values in [-1, 1): no denormals, no overflow, nothing for a kernel to skip. */
    static float[] random(SplittableRandom rng, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }
}
