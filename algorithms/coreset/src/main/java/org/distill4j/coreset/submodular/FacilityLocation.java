package org.distill4j.coreset.submodular;

import java.util.Arrays;
import org.distill4j.kernels.Blas1;
import org.distill4j.kernels.ParallelFor;

/**
 * Facility location {@code f(A) = sum_i max_{j in A} s_ij} (0 for the empty set) over a
 * non-negative similarity: monotone submodular, so greedy gets at least {@code (1 - 1/e)} of the
 * optimum (Nemhauser, Wolsey and Fisher 1978). Also tracks, for every element, its most similar
 * member of {@code A} (CRAIG's clusters).
 *
 * <p>A gain {@code sum_i max(0, s_ie - m_i)}, {@code m_i} the current maximum, is summed from one
 * cached column in a fixed order ({@link Blas1#sumPositiveDifferences}: F32 lanes over runs of 256,
 * run totals in double), so it never depends on which other gains are asked with it, and it can
 * only shrink as {@code A} grows, bit for bit: lazy greedy's stale bounds are true upper bounds
 * even in floating point.
 */
public final class FacilityLocation implements SetFunction {
    private final Similarity s;
    private final float[] best;
    private final int[] nearest;
    private double value;

    public FacilityLocation(Similarity s) {
        this.s = s;
        this.best = new float[s.size()];
        this.nearest = new int[s.size()];
        Arrays.fill(nearest, -1);
    }

    @Override
    public int size() {
        return s.size();
    }

    @Override
    public double[] gains(int[] candidates) {
        double[] out = new double[candidates.length];
        // In runs of candidates whose column blocks fit the cache at once (half of it, to leave room for
        // what lazy greedy re-reads): all of them when the class is small, otherwise a run is computed,
        // used and evicted before the next, so no block is computed twice within one call.
        long room = Math.max(1, s.blocksCached() / 2);
        int from = 0;
        while (from < candidates.length) {
            java.util.Set<Integer> blocks = new java.util.HashSet<>();
            int to = from;
            while (to < candidates.length && (blocks.contains(s.blockOf(candidates[to])) || blocks.size() < room)) {
                blocks.add(s.blockOf(candidates[to]));
                to++;
            }
            gains(candidates, from, to, out);
            from = to;
        }
        return out;
    }

    private void gains(int[] candidates, int from, int to, double[] out) {
        if (to - from > 1) {
            // Compute missing column blocks here, where the matrix products get all threads, not
            // inside the worker tasks below, where they would run on one.
            for (int c = from; c < to; c++) {
                s.column(candidates[c]);
            }
        }
        // Each gain is computed on its own, so splitting the candidates across threads changes nothing.
        ParallelFor.range(to - from, 16, (a, b) -> {
            for (int c = from + a; c < from + b; c++) {
                out[c] = gain(s.column(candidates[c]));
            }
        });
    }

    private double gain(float[] col) {
        return Blas1.sumPositiveDifferences(col, 0, best, 0, col.length);
    }

    @Override
    public void add(int e) {
        float[] col = s.column(e);
        value += gain(col);
        for (int i = 0; i < col.length; i++) {
            if (col[i] > best[i] || nearest[i] < 0) {
                best[i] = Math.max(best[i], col[i]);
                nearest[i] = e;
            }
        }
        // A chosen element stands for itself even if an earlier pick was exactly as similar to it.
        nearest[e] = e;
        best[e] = Math.max(best[e], col[e]);
    }

    /** The other columns of {@code e}'s block when that block must be computed for {@code e} (none when it is cached). */
    @Override
    public int[] companions(int e) {
        if (s.cached(e)) {
            return NO_COMPANIONS;
        }
        int[] range = s.blockRange(e);
        int[] out = new int[range[1] - range[0]];
        for (int i = 0; i < out.length; i++) {
            out[i] = range[0] + i;
        }
        return out;
    }

    @Override
    public double value() {
        return value;
    }

    /** For each element, the member of {@code A} most similar to it (the earliest pick on ties; itself if chosen); -1 while {@code A} is empty. */
    public int[] nearest() {
        return nearest.clone();
    }
}
