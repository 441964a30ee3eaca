package org.distill4j.coreset;

import org.distill4j.kernels.Blas1;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Gemm;
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
        return pursue(new Atoms(atoms.to(DType.F32).contiguous(), target, lambda), target, k);
    }

    /**
     * As {@link #run} for the last-layer gradients of {@link SelectionContext#lastLayerGradients}
     * given in factored form: atom {@code i} is {@code [g_i, g_i (x) h_i]} ({@code g} {@code [n, C]},
     * {@code h} {@code [n, E]}, the outer product row-major {@code [C, E]}), never formed. Then
     * {@code a_i . a_j = (g_i . g_j)(1 + h_i . h_j)} costs {@code O(C + E)}, and the correlations
     * with a residual reshaped to {@code [C, 1 + E]} are {@code g_i . (r_b + R h_i)}, computed on
     * the transposed embeddings by {@link Blas1} without the packing a matrix product would
     * repeat at every step.
     */
    public static Result runLastLayer(Tensor g, Tensor h, double[] target, int k, double lambda) {
        int n = g.dim(0);
        int c = g.dim(1);
        int e = h.dim(1);
        if (g.rank() != 2 || h.rank() != 2 || h.dim(0) != n || target.length != c * (1 + e)) {
            throw new IllegalArgumentException("omp: g [n, C], h [n, E] and a target of C (1 + E) entries, got "
                    + Shape.str(g.shape()) + ", " + Shape.str(h.shape()) + " and " + target.length);
        }
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("omp: cannot pick " + k + " of " + n + " atoms");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("omp: ridge lambda must be finite and >= 0, got " + lambda);
        }
        return pursue(new LastLayerAtoms(g.to(DType.F32).contiguous().toFloatArray(), h.to(DType.F32).contiguous().toFloatArray(),
                n, c, e, target, lambda), target, k);
    }

    private static Result pursue(Nnls.Problem problem, double[] target, int k) {
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

    /** Atoms {@code [g_i, g_i (x) h_i]} held as {@code g} and {@code h}: see {@link #runLastLayer}. */
    private static final class LastLayerAtoms implements Nnls.Problem {
        private static final int BLOCK = 512;
        private final float[] g;
        private final float[] h;
        private final float[] gt;
        private final float[] ht;
        private final int n;
        private final int c;
        private final int e;
        private final double[] target;
        private final double lambda;
        private final double[] cb;

        LastLayerAtoms(float[] g, float[] h, int n, int c, int e, double[] target, double lambda) {
            this.g = g;
            this.h = h;
            this.n = n;
            this.c = c;
            this.e = e;
            this.target = target;
            this.lambda = lambda;
            this.gt = transpose(g, n, c);
            this.ht = transpose(h, n, e);
            // c = A b once, in double: the right-hand side of every solve on the passive set.
            this.cb = new double[n];
            for (int i = 0; i < n; i++) {
                double v = 0;
                for (int j = 0; j < c; j++) {
                    double a = target[j];
                    int o = c + j * e;
                    for (int t = 0; t < e; t++) {
                        a += target[o + t] * h[i * e + t];
                    }
                    v += g[i * c + j] * a;
                }
                cb[i] = v;
            }
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public double q(int i, int j) {
            double gg = 0;
            for (int t = 0; t < c; t++) {
                gg += (double) g[i * c + t] * g[j * c + t];
            }
            double hh = 1;
            for (int t = 0; t < e; t++) {
                hh += (double) h[i * e + t] * h[j * e + t];
            }
            return gg * hh + (i == j ? lambda : 0);
        }

        @Override
        public double c(int i) {
            return cb[i];
        }

        @Override
        public double[] negativeGradient(int[] passive, double[] weights, int m) {
            double[] r = target.clone();
            for (int s = 0; s < m; s++) {
                int i = passive[s];
                double w = weights[s];
                for (int j = 0; j < c; j++) {
                    double wg = w * g[i * c + j];
                    r[j] -= wg;
                    int o = c + j * e;
                    for (int t = 0; t < e; t++) {
                        r[o + t] -= wg * h[i * e + t];
                    }
                }
            }
            double[] out = correlations(r);
            for (int s = 0; s < m; s++) {
                out[passive[s]] -= lambda * weights[s];
            }
            return out;
        }

        /** {@code a_i . r = sum_j g_ij (r_j + sum_t R_jt h_it)} for every atom, a block of atoms at a time. */
        private double[] correlations(double[] r) {
            double[] out = new double[n];
            float[] a = new float[BLOCK];
            for (int i0 = 0; i0 < n; i0 += BLOCK) {
                int len = Math.min(BLOCK, n - i0);
                for (int j = 0; j < c; j++) {
                    java.util.Arrays.fill(a, 0, len, (float) r[j]);
                    int o = c + j * e;
                    for (int t = 0; t < e; t++) {
                        Blas1.axpy((float) r[o + t], ht, t * n + i0, a, 0, len);
                    }
                    int go = j * n + i0;
                    for (int i = 0; i < len; i++) {
                        out[i0 + i] += (double) gt[go + i] * a[i];
                    }
                }
            }
            return out;
        }

        private static float[] transpose(float[] x, int rows, int cols) {
            float[] t = new float[x.length];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    t[j * rows + i] = x[i * cols + j];
                }
            }
            return t;
        }
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
            float[] corr = Gemm.matmul(a, Tensor.fromFloats(rf, d, 1)).toFloatArray();
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
