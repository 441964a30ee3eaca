package org.distill4j.coreset;

import java.util.Arrays;

/**
 * The sampling step of Coverage-centric Coreset Selection (CCS; Zheng, Liu, Li, Prakash, ICLR 2023,
 * Algorithm 1) on difficulty scores given from outside (forgetting counts, EL2N, AUM, ...; higher
 * means harder): drop the hardest {@code beta} fraction, split the score range of the rest into
 * {@code strata} bins of equal width, give the budget to the bins from the smallest up, each taking
 * {@code min(its size, what is left / bins left)} (so a small bin keeps all it has and its unused
 * share goes to the larger ones), and draw each bin's share uniformly without replacement.
 *
 * <p>Every step is a function of the scores and of per-example keys only, never of the order the
 * examples are visited in: the cut is the exact rank {@code floor(beta n)} (ties to the lower
 * index), bin edges come from the minimum and maximum, and "uniformly" means the examples with
 * the smallest {@link #key} in their bin. A distributed run over any partitioning therefore picks
 * exactly these examples.
 */
public final class CoverageStrata {
    /** The paper's number of strata. */
    public static final int DEFAULT_STRATA = 50;

    private CoverageStrata() {
    }

    /**
     * The selection, positions into {@code scores} (ascending), of {@code budget} examples.
     *
     * @param beta the fraction of the hardest to drop first, in [0, 1)
     */
    public static int[] select(double[] scores, int budget, double beta, int strata, long seed) {
        int n = scores.length;
        check(beta, strata);
        int pruned = (int) Math.floor(beta * n);
        Budget.check(budget, n - pruned);
        int[] byHardness = Groups.top(scores, n, true, null);
        boolean[] kept = new boolean[n];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int r = pruned; r < n; r++) {
            int i = byHardness[r];
            kept[i] = true;
            lo = Math.min(lo, scores[i]);
            hi = Math.max(hi, scores[i]);
        }
        int[] bin = new int[n];
        long[] sizes = new long[strata];
        for (int i = 0; i < n; i++) {
            if (kept[i]) {
                bin[i] = stratum(scores[i], lo, hi, strata);
                sizes[bin[i]]++;
            }
        }
        long[] share = allocate(sizes, budget);
        // In each bin, the share with the smallest keys: sort the kept examples by (bin, key, index).
        Integer[] order = new Integer[n - pruned];
        long[] keys = new long[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (kept[i]) {
                keys[i] = key(seed, i);
                order[m++] = i;
            }
        }
        Arrays.sort(order, (a, b) -> bin[a] != bin[b] ? Integer.compare(bin[a], bin[b])
                : keys[a] != keys[b] ? Long.compareUnsigned(keys[a], keys[b]) : Integer.compare(a, b));
        int[] out = new int[budget];
        int k = 0;
        long[] taken = new long[strata];
        for (Integer i : order) {
            if (taken[bin[i]] < share[bin[i]]) {
                taken[bin[i]]++;
                out[k++] = i;
            }
        }
        Arrays.sort(out);
        return out;
    }

    /** Refuses a beta outside [0, 1) or fewer than one stratum. */
    public static void check(double beta, int strata) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("CCS beta (the hardest fraction dropped) must be in [0, 1), got " + beta);
        }
        if (strata < 1) {
            throw new IllegalArgumentException("CCS needs at least 1 stratum, got " + strata);
        }
    }

    /** The bin of {@code score} among {@code strata} equal-width bins over {@code [lo, hi]} (all in bin 0 when lo == hi). */
    public static int stratum(double score, double lo, double hi, int strata) {
        if (!(hi > lo)) {
            return 0;
        }
        int b = (int) Math.floor((score - lo) / (hi - lo) * strata);
        return Math.max(0, Math.min(strata - 1, b));
    }

    /**
     * Each bin's share of {@code budget}: bins in order of size (then index), each taking
     * {@code min(size, floor(left / binsLeft))}, where the paper's code rounds the same way.
     * Shares sum to {@code budget} whenever the bins hold at least that many.
     */
    public static long[] allocate(long[] sizes, long budget) {
        int s = sizes.length;
        Integer[] order = new Integer[s];
        for (int b = 0; b < s; b++) {
            order[b] = b;
        }
        Arrays.sort(order, (a, b) -> sizes[a] != sizes[b] ? Long.compare(sizes[a], sizes[b]) : Integer.compare(a, b));
        long[] share = new long[s];
        long left = budget;
        int binsLeft = 0;
        for (long size : sizes) {
            binsLeft += size > 0 ? 1 : 0;
        }
        for (int b : order) {
            if (sizes[b] == 0) {
                continue;
            }
            share[b] = Math.min(sizes[b], left / binsLeft);
            left -= share[b];
            binsLeft--;
        }
        // Rounding down can leave a few over: hand them one at a time to the largest bins with room.
        while (left > 0) {
            long before = left;
            for (int r = s - 1; r >= 0 && left > 0; r--) {
                if (share[order[r]] < sizes[order[r]]) {
                    share[order[r]]++;
                    left--;
                }
            }
            if (left == before) {
                throw new IllegalArgumentException("CCS budget " + budget + " is more than the strata hold");
            }
        }
        return share;
    }

    /** A pseudo-random 64-bit key of example {@code id} under {@code seed} (SplitMix64 of both): the draw order. */
    public static long key(long seed, long id) {
        long z = seed * 0x9E3779B97F4A7C15L + id * 0xD1B54A32D192ED03L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
