package org.distill4j.coreset;

import org.distill4j.kernels.DType;
import org.distill4j.tensor.MatMul;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/**
 * Non-negative orthogonal matching pursuit with a ridge, as GRAD-MATCH runs it (Killamsetty et al.
 * 2021, Alg. 2 with non-negative weights; CORDS's {@code OrthogonalMP_REG} with
 * {@code positive=True}): approximate the target {@code b} by a non-negative combination of at most
 * {@code k} atoms (rows {@code a_i}), minimising {@code E(w) = ||A_S^T w - b||^2 + lambda ||w||^2}.
 * Each step adds the unpicked atom with the largest correlation {@code a_i . r} with the residual
 * {@code r = b - A_S^T w} (the steepest descent of {@code E} among the atoms outside, which must be
 * positive: a non-negative weight can only use a positive correlation) and refits the weights
 * non-negatively on the atoms chosen. The refit is {@link Nnls}'s active-set loop, continued from
 * the previous weights: an atom whose weight the refit drives to 0 leaves the set (CORDS drops atoms
 * with negative weights inside the loop in the same way), and may come back later if its correlation
 * turns positive again. Every step lowers {@code E} strictly, so the loop ends; it stops with
 * {@code k} atoms of positive weight, or earlier when no atom outside correlates positively with the
 * residual (then the weights are the non-negative least-squares optimum over all atoms, and more
 * atoms cannot lower {@code E}).
 *
 * <p>Cost per step: the correlations of all atoms, one matrix-vector product on the GEMM kernels
 * ({@code O(n d)}); the entering atom's dot products with the chosen ones ({@code O(|S| d)}); the
 * factor update and solve ({@code O(|S|^2)}, {@link UpdatableCholesky}).
 */
public final class OrthogonalMatchingPursuit {
    /**
     * @param picked       the atoms with positive weight, in the order they (last) entered
     * @param weights      their weights, all {@code > 0}
     * @param correlations each one's correlation with the residual when it (last) entered
     * @param objective    {@code E(w) = ||A_S^T w - b||^2 + lambda ||w||^2} after each step, non-increasing
     * @param exhausted    true when the loop stopped because no atom outside correlates positively with
     *                     the residual (fewer than {@code k} atoms can be used)
     */
    public record Result(int[] picked, double[] weights, double[] correlations, double[] objective, boolean exhausted) {
    }

    private OrthogonalMatchingPursuit() {
    }

    /** Picks at most {@code k} of the rows of {@code atoms} ({@code [n, d]}) to approximate {@code target} ({@code d}). */
    public static Result run(Tensor atoms, double[] target, int k, double lambda) {
        if (atoms.rank() != 2 || atoms.dim(1) != target.length) {
            throw new IllegalArgumentException("omp: atoms must be [n, " + target.length + "], got " + Shape.str(atoms.shape()));
        }
        int n = atoms.dim(0);
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("omp: cannot pick " + k + " of " + n + " atoms");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("omp: ridge lambda must be finite and >= 0, got " + lambda);
        }
        Atoms problem = new Atoms(atoms.to(DType.F32).contiguous(), target, lambda);
        Nnls.Result r = k == 0 ? new Nnls.Result(new int[0], new double[0], new double[0], new double[0], false)
                : Nnls.activeSet(problem, k, null);
        double bb = 0;
        for (double v : target) {
            bb += v * v;
        }
        // Nnls's objective is 1/2 w^T Q w - c^T w = (E(w) - |b|^2) / 2.
        double[] e = new double[r.objective().length];
        for (int i = 0; i < e.length; i++) {
            e[i] = 2 * r.objective()[i] + bb;
        }
        return new Result(r.passive(), r.weights(), r.entryGains(), e, r.converged() && r.passive().length < k);
    }

    /** {@code Q = A A^T + lambda I}, {@code c = A b} over F32 rows, without forming {@code Q}. */
    private static final class Atoms implements Nnls.Problem {
        private final Tensor a;
        private final float[] rows;
        private final double[] target;
        private final double lambda;
        private final int n;
        private final int d;
        private final double[] c;

        Atoms(Tensor a, double[] target, double lambda) {
            this.a = a;
            this.rows = a.toFloatArray();
            this.target = target;
            this.lambda = lambda;
            this.n = a.dim(0);
            this.d = target.length;
            this.c = new double[n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += rows[i * d + j] * target[j];
                }
                c[i] = s;
            }
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public double q(int i, int j) {
            double s = 0;
            int oi = i * d;
            int oj = j * d;
            for (int t = 0; t < d; t++) {
                s += (double) rows[oi + t] * rows[oj + t];
            }
            return i == j ? s + lambda : s;
        }

        @Override
        public double c(int i) {
            return c[i];
        }

        /** {@code A r - lambda w} with {@code r = b - A_S^T w}: the correlations, on the GEMM kernels. */
        @Override
        public double[] negativeGradient(int[] passive, double[] weights, int m) {
            double[] r = target.clone();
            for (int s = 0; s < m; s++) {
                int off = passive[s] * d;
                double w = weights[s];
                for (int t = 0; t < d; t++) {
                    r[t] -= w * rows[off + t];
                }
            }
            float[] rf = new float[d];
            for (int t = 0; t < d; t++) {
                rf[t] = (float) r[t];
            }
            float[] corr = MatMul.matmul(a, Tensor.fromFloats(rf, d, 1)).toFloatArray();
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = corr[i];
            }
            for (int s = 0; s < m; s++) {
                g[passive[s]] -= lambda * weights[s];
            }
            return g;
        }
    }
}
