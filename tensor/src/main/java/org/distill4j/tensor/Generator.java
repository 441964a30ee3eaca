package org.distill4j.tensor;

/**
 * A seeded source of random tensors over the counter-based Philox stream
 * ({@link org.distill4j.kernels.Philox}). Each draw takes a fresh, disjoint range of counters, so a
 * program that makes the same draws in the same order gets the same numbers on any backend and
 * any thread count. {@link #fork} derives an independent generator, so that parts of a program
 * (per seed, per model) do not shift each other's streams.
 */
public final class Generator {
    private final long seed;
    private long counter;

    public Generator(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** Reserves the counters for {@code n} numbers and returns the first block's counter. */
    synchronized long reserve(int n) {
        long start = counter;
        counter += (n + 3) / 4;
        return start;
    }

    /** A generator with its own seed, derived from this one's seed and {@code stream}. */
    public Generator fork(long stream) {
        // SplitMix64 finaliser: nearby (seed, stream) pairs map to unrelated keys.
        long z = seed * 0x9E3779B97F4A7C15L + stream + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new Generator(z ^ (z >>> 31));
    }

    /** A uniform integer in [0, bound), for shuffles and sampling. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long c = reserve(4);
        int[] words = new int[4];
        org.distill4j.kernels.Philox.block(seed, c, words);
        long bits = ((long) words[0] << 32 | (words[1] & 0xFFFFFFFFL)) >>> 1;
        return (int) (bits % bound);
    }

    /** A uniform double in [0, 1). */
    public double nextDouble() {
        long c = reserve(4);
        int[] words = new int[4];
        org.distill4j.kernels.Philox.block(seed, c, words);
        return ((((long) words[0] & 0xFFFFFFFFL) << 21) ^ (words[1] >>> 11)) * 0x1.0p-53;
    }

    /** A seeded Fisher-Yates permutation of {@code 0..n-1}. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
