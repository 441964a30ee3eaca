package org.distill4j.coreset;

import org.distill4j.kernels.DType;
import org.distill4j.tensor.MatMul;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;
import org.ejml.data.DMatrixRMaj;

/**
 * Orthogonal matching pursuit with a ridge (Pati, Rezaiifar and Krishnaprasad 1993; in the form
 * GRAD-MATCH uses, Killamsetty et al. 2021, Alg. 2 and DeepCore's {@code orthogonal_matching_pursuit}):
 * approximate the target {@code b} by a non-negative combination of {@code k} atoms (rows
 * {@code a_i}). Each step picks the unpicked atom with the largest (signed) correlation
 * {@code a_i . r} with the residual (signed, because the weights will be non-negative) and then
 * re-fits all picked weights by ridge regression {@code min ||A_S^T x - b||^2 + lambda ||x||^2}.
 *
 * <p>The correlations of all atoms are one matrix-vector product per step on the GEMM kernels.
 * The ridge system {@code A_S A_S^T + lambda I} grows by one row and column per step, so its
 * Cholesky factor is extended in place rather than recomputed (one forward substitution for the
 * new row, two triangular solves for the weights): {@code O(k^2)} per step instead of the
 * {@code O(k^3)} of a fresh factorisation, which matters at k = 600 per class. The final
 * non-negative fit ({@link Nnls}) uses EJML.
 */
public final class OrthogonalMatchingPursuit {
    /**
     * @param picked       atom indices in the order chosen
     * @param correlations each one's correlation with the residual when it was chosen
     * @param gram         {@code A_S A_S^T + lambda I} in pick order ({@code k x k})
     * @param rhs          {@code A_S b}
     * @param ridge        the ridge weights of the last fit (may be negative)
     */
    public record Result(int[] picked, double[] correlations, DMatrixRMaj gram, double[] rhs, double[] ridge) {
    }

    private OrthogonalMatchingPursuit() {
    }

    /** Picks exactly {@code k} of the rows of {@code atoms} ({@code [n, d]}) to approximate {@code target} ({@code d}). */
    public static Result run(Tensor atoms, double[] target, int k, double lambda) {
        if (atoms.rank() != 2 || atoms.dim(1) != target.length) {
            throw new IllegalArgumentException("omp: atoms must be [n, " + target.length + "], got " + Shape.str(atoms.shape()));
        }
        int n = atoms.dim(0);
        int d = target.length;
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("omp: cannot pick " + k + " of " + n + " atoms");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("omp: ridge lambda must be finite and >= 0, got " + lambda);
        }
        Tensor a = atoms.to(DType.F32).contiguous();
        float[] rows = a.toFloatArray();
        int[] picked = new int[k];
        double[] correlations = new double[k];
        boolean[] used = new boolean[n];
        DMatrixRMaj gram = new DMatrixRMaj(k, k);
        double[] rhs = new double[k];
        double[] chol = new double[k * k]; // lower-triangular factor of gram[0..t, 0..t], row stride k
        double[] x = new double[0];
        double[] residual = target.clone();
        for (int t = 0; t < k; t++) {
            float[] r = new float[d];
            for (int i = 0; i < d; i++) {
                r[i] = (float) residual[i];
            }
            float[] corr = MatMul.matmul(a, Tensor.fromFloats(r, d, 1)).toFloatArray();
            int j = -1;
            for (int i = 0; i < n; i++) {
                if (!used[i] && (j < 0 || corr[i] > corr[j] || (Float.isNaN(corr[j]) && !Float.isNaN(corr[i])))) {
                    j = i;
                }
            }
            used[j] = true;
            picked[t] = j;
            correlations[t] = corr[j];
            // New row of the Gram matrix and of A_S b.
            double[] row = new double[t + 1];
            for (int s = 0; s <= t; s++) {
                row[s] = dot(rows, picked[s] * d, rows, j * d, d);
                gram.set(t, s, row[s]);
                gram.set(s, t, row[s]);
            }
            gram.add(t, t, lambda);
            rhs[t] = dotTarget(rows, j * d, target);
            extendCholesky(chol, k, t, row, lambda);
            // Ridge weights: L y = rhs, L^T x = y.
            x = java.util.Arrays.copyOf(rhs, t + 1);
            forward(chol, k, x, t + 1);
            backward(chol, k, x, t + 1);
            residual = target.clone();
            for (int s = 0; s <= t; s++) {
                int off = picked[s] * d;
                for (int i = 0; i < d; i++) {
                    residual[i] -= x[s] * rows[off + i];
                }
            }
        }
        return new Result(picked, correlations, gram, rhs, x);
    }

    /**
     * Grows the Cholesky factor {@code L} (row stride {@code k}) of the Gram matrix by {@code row}
     * ({@code [g_t0, ..., g_tt]}, the new atom's dot products with the picked ones and itself;
     * {@code lambda} still to add on the diagonal): the new last row is {@code l = L^-1 g} and its
     * diagonal {@code sqrt(g_tt + lambda - |l|^2)}.
     */
    private static void extendCholesky(double[] chol, int k, int t, double[] row, double lambda) {
        double[] l = java.util.Arrays.copyOf(row, t);
        forward(chol, k, l, t);
        double diag = row[t] + lambda;
        double rest = diag;
        for (double v : l) {
            rest -= v * v;
        }
        // A dependent atom without ridge leaves a zero (or rounding-negative) pivot; keep it tiny but positive.
        System.arraycopy(l, 0, chol, t * k, t);
        chol[t * k + t] = Math.sqrt(Math.max(rest, 1e-12 * Math.max(diag, Double.MIN_NORMAL)));
    }

    /** {@code b = L^-1 b} for the leading {@code m x m} block of {@code L} (row stride {@code k}). */
    private static void forward(double[] chol, int k, double[] b, int m) {
        for (int i = 0; i < m; i++) {
            double s = b[i];
            for (int j = 0; j < i; j++) {
                s -= chol[i * k + j] * b[j];
            }
            b[i] = s / chol[i * k + i];
        }
    }

    /** {@code b = L^-T b} for the leading {@code m x m} block of {@code L} (row stride {@code k}). */
    private static void backward(double[] chol, int k, double[] b, int m) {
        for (int i = m - 1; i >= 0; i--) {
            double s = b[i];
            for (int j = i + 1; j < m; j++) {
                s -= chol[j * k + i] * b[j];
            }
            b[i] = s / chol[i * k + i];
        }
    }

    private static double dot(float[] a, int aOff, float[] b, int bOff, int d) {
        double s = 0;
        for (int i = 0; i < d; i++) {
            s += (double) a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    private static double dotTarget(float[] a, int off, double[] b) {
        double s = 0;
        for (int i = 0; i < b.length; i++) {
            s += a[off + i] * b[i];
        }
        return s;
    }
}
