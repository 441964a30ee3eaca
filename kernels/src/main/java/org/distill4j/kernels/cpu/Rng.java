package org.distill4j.kernels.cpu;

import org.distill4j.kernels.Philox;

/**
 * Uniform and normal draws from the Philox stream (see {@link Philox} for the layout). The fast
 * paths compute each Philox block once for its four elements (the references recompute it per
 * element) and run fixed chunks of blocks in parallel; every element is still a function of its
 * index alone, computed by the same expression, so they match the references bit for bit.
 */
final class Rng {
    /** Elements per parallel task: a multiple of 4, so tasks start on block boundaries. */
    private static final int CHUNK = 1 << 14;

    private Rng() {
    }

    static void uniform(long seed, long counter, CpuBuffer out, int offset, int n, double lo, double hi) {
        Parallel.forRange((n + CHUNK - 1) / CHUNK, 1, (c0, c1) -> {
            int[] words = new int[4];
            for (int i = c0 * CHUNK; i < Math.min(n, c1 * CHUNK); i += 4) {
                Philox.block(seed, counter + i / 4, words);
                for (int lane = 0; lane < 4 && i + lane < n; lane++) {
                    double v = lo + (hi - lo) * Philox.unit(words[lane]);
                    if (out.f != null) {
                        out.f[offset + i + lane] = (float) v;
                    } else {
                        out.d[offset + i + lane] = v;
                    }
                }
            }
        });
    }

    static void normal(long seed, long counter, CpuBuffer out, int offset, int n, double mean, double std) {
        Parallel.forRange((n + CHUNK - 1) / CHUNK, 1, (c0, c1) -> {
            int[] words = new int[4];
            for (int i = c0 * CHUNK; i < Math.min(n, c1 * CHUNK); i += 4) {
                Philox.block(seed, counter + i / 4, words);
                for (int pair = 0; pair < 4 && i + pair < n; pair += 2) {
                    // Box-Muller exactly as Philox.normal: lanes (0, 1) and (2, 3) share a radius and angle.
                    double radius = Math.sqrt(-2.0 * Math.log(Philox.unitOpen(words[pair])));
                    double angle = 2.0 * Math.PI * Philox.unit(words[pair + 1]);
                    set(out, offset + i + pair, mean + std * (radius * Math.cos(angle)));
                    if (i + pair + 1 < n) {
                        set(out, offset + i + pair + 1, mean + std * (radius * Math.sin(angle)));
                    }
                }
            }
        });
    }

    private static void set(CpuBuffer out, int i, double v) {
        if (out.f != null) {
            out.f[i] = (float) v;
        } else {
            out.d[i] = v;
        }
    }

    // ---- scalar references ----------------------------------------------------------------------

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
