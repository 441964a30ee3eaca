package org.distill4j.coreset.submodular;

import java.util.ArrayList;
import java.util.List;
import org.distill4j.kernels.ParallelFor;

/**
 * Log-determinant {@code f(A) = log det(K_A)} with {@code K = S + lambda I}: the gain of {@code e}
 * is {@code log(k_ee - k_eA K_A^-1 k_Ae)}, the log of the Schur complement, i.e. of the squared
 * last diagonal entry of the Cholesky factor of {@code K_{A+e}}. For a PSD similarity (cosine,
 * RBF) and {@code lambda >= 1} every such complement is at least 1, so {@code f} is monotone,
 * submodular and {@code f(empty) = 0}: greedy's {@code (1 - 1/e)} guarantee holds. The default
 * {@code lambda = 1} is submodlib's LogDeterminantFunction regulariser.
 *
 * <p>Gains for all candidates at once come from an incremental Cholesky factorisation (Chen,
 * Zhang and Zhou 2018, "Fast Greedy MAP Inference for Determinantal Point Processes", Alg. 1):
 * each candidate keeps its row {@code c_i} of the factor of {@code K_{A+i}} and
 * {@code d_i^2 = k_ii - ||c_i||^2}; adding {@code j} appends {@code e_i = (k_ij - <c_i, c_j>) / d_j}
 * to every row and subtracts {@code e_i^2} from {@code d_i^2}. A gain is then O(1) and an addition
 * O(n |A|) with one similarity column. The complements only shrink, so lazy greedy's bounds hold.
 */
public final class LogDeterminant implements SetFunction {
    public static final double DEFAULT_LAMBDA = 1.0;

    private final Similarity s;
    private final double lambda;
    /** Column t of the Cholesky rows: the t-th entry of {@code c_i} for every i. */
    private final List<double[]> factor = new ArrayList<>();
    private final double[] schur;
    private double value;

    public LogDeterminant(Similarity s, double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("log-determinant lambda must be finite and >= 0, got " + lambda);
        }
        this.s = s;
        this.lambda = lambda;
        this.schur = new double[s.size()];
        for (int i = 0; i < schur.length; i++) {
            schur[i] = s.diagonal(i) + lambda;
        }
    }

    public LogDeterminant(Similarity s) {
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
            out[c] = logOf(schur[candidates[c]]);
        }
        return out;
    }

    private static double logOf(double complement) {
        return complement > 0 ? Math.log(complement) : Double.NEGATIVE_INFINITY;
    }

    @Override
    public void add(int j) {
        double dj2 = schur[j];
        value += logOf(dj2);
        if (!(dj2 > 0)) {
            // K_{A+j} is singular: j adds nothing to any later complement (and f is already -inf).
            return;
        }
        double dj = Math.sqrt(dj2);
        float[] col = s.column(j);
        int n = schur.length;
        double[] e = new double[n];
        int t = factor.size();
        double[] cj = new double[t];
        for (int r = 0; r < t; r++) {
            cj[r] = factor.get(r)[j];
        }
        // e_i accumulates <c_i, c_j> over r in a fixed order for every i, so any split of the rows
        // across threads gives the same numbers; r outside, i inside keeps the reads sequential.
        ParallelFor.range(n, 1024, (from, to) -> {
            for (int r = 0; r < t; r++) {
                double[] fr = factor.get(r);
                double c = cj[r];
                for (int i = from; i < to; i++) {
                    e[i] += fr[i] * c;
                }
            }
            for (int i = from; i < to; i++) {
                double k = col[i] + (i == j ? lambda : 0);
                e[i] = (k - e[i]) / dj;
            }
        });
        for (int i = 0; i < n; i++) {
            schur[i] -= e[i] * e[i];
        }
        schur[j] = 0;
        factor.add(e);
    }

    @Override
    public double value() {
        return value;
    }
}
