package org.distill4j.kernels.cpu;

import org.distill4j.kernels.Philox;

/** Uniform and normal draws from the Philox stream (see {@link Philox} for the layout). */
final class Rng {
    private Rng() {
    }

    static void uniformReference(long seed, long counter, CpuBuffer out, int offset, int n, double lo, double hi) {
        int[] words = new int[4];
        for (int i = 0; i < n; i++) {
            Access.set(out, offset + i, lo + (hi - lo) * Philox.uniform(seed, counter, i, words));
        }
    }

    static void normalReference(long seed, long counter, CpuBuffer out, int offset, int n, double mean, double std) {
        int[] words = new int[4];
        for (int i = 0; i < n; i++) {
            Access.set(out, offset + i, mean + std * Philox.normal(seed, counter, i, words));
        }
    }
}
