package org.distill4j.coreset.submodular;

/**
 * Graph cut {@code f(A) = sum_{i in V} sum_{j in A} s_ij - lambda sum_{i in A} sum_{j in A} s_ij}
 * (the form of submodlib's GraphCutFunction; DeepCore's GraphCut gain is the same with its own
 * lambda). Submodular for {@code lambda >= 0}; monotone for {@code lambda <= 0.5} with
 * non-negative similarities, which is why 0.5 is the default: the largest trade-off towards
 * diversity that keeps greedy's {@code (1 - 1/e)} guarantee.
 *
 * <p>The gain of {@code e} is {@code t_e - lambda (2 r_e + s_ee)} with {@code t_e} the column sum
 * (computed once) and {@code r_e = sum_{j in A} s_je} updated from the chosen element's column,
 * so a gain costs O(1) and adding costs O(n).
 */
public final class GraphCut implements SetFunction {
    /** submodlib's and our default trade-off. */
    public static final double DEFAULT_LAMBDA = 0.5;

    private final Similarity s;
    private final double lambda;
    private final double[] totals;
    private final double[] toChosen;
    private double value;

    public GraphCut(Similarity s, double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("graph cut lambda must be finite and >= 0, got " + lambda);
        }
        this.s = s;
        this.lambda = lambda;
        this.totals = s.columnSums();
        this.toChosen = new double[s.size()];
    }

    public GraphCut(Similarity s) {
        this(s, DEFAULT_LAMBDA);
    }

    @Override
    public int size() {
        return s.size();
    }

    @Override
    public double[] gains(int[] candidates) {
        double[] out = new double[candidates.length];
        for (int c = 0; c < candidates.length; c++) {
            int e = candidates[c];
            out[c] = totals[e] - lambda * (2 * toChosen[e] + s.diagonal(e));
        }
        return out;
    }

    @Override
    public void add(int e) {
        value += gains(new int[]{e})[0];
        float[] col = s.column(e);
        for (int i = 0; i < col.length; i++) {
            toChosen[i] += col[i];
        }
    }

    @Override
    public double value() {
        return value;
    }
}
