package org.distill4j.coreset.submodular;

import java.util.Arrays;

/**
 * An upper bound on the optimum of a monotone submodular function under a cardinality
 * constraint, from any set {@code S} (Nemhauser, Wolsey and Fisher 1978; the "online bound" of
 * Leskovec et al. 2007): for every {@code T} with {@code |T| <= k},
 * {@code f(T) <= f(S + T) <= f(S) + sum_{e in T \ S} (f(S + e) - f(S))}, the first step by
 * monotonicity, the second by submodularity, so
 * {@code max_{|T| <= k} f(T) <= f(S) + (the k largest gains f(S + e) - f(S), e not in S)}.
 *
 * <p>It certifies a selection without the optimum or the greedy: {@code f(S) / bound} is at most
 * {@code f(S) / OPT}, and also at most {@code f(S) / f(greedy)}, since the greedy's value is below
 * the optimum. It costs one gain per element, which for facility location is one pass over every
 * similarity of the ground set (streamed in column blocks, none kept).
 */
public final class OptimumBound {
    private OptimumBound() {
    }

    /**
     * Adds {@code s} to {@code f} (a function with nothing chosen yet) and returns
     * {@code f(S) + the k largest gains of the elements outside S}.
     */
    public static double afterAdding(SetFunction f, int[] s, int k) {
        if (k < 0) {
            throw new IllegalArgumentException("bound budget must be >= 0, got " + k);
        }
        int n = f.size();
        boolean[] in = new boolean[n];
        for (int e : s) {
            if (e < 0 || e >= n) {
                throw new IllegalArgumentException("element " + e + " is outside [0, " + n + ")");
            }
            if (in[e]) {
                throw new IllegalArgumentException("element " + e + " is listed twice");
            }
            in[e] = true;
            f.add(e);
        }
        int[] rest = new int[n - s.length];
        for (int e = 0, r = 0; e < n; e++) {
            if (!in[e]) {
                rest[r++] = e;
            }
        }
        double[] gains = f.gains(rest);
        Arrays.sort(gains);
        double top = 0;
        for (int i = gains.length - 1; i >= Math.max(0, gains.length - k); i--) {
            top += Math.max(0, gains[i]);
        }
        return f.value() + top;
    }
}
