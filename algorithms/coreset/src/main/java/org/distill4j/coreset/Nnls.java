package org.distill4j.coreset;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Non-negative least squares by the active-set method of Lawson and Hanson (1974, "Solving Least
 * Squares Problems", ch. 23), in the normal-equation form of Bro and De Jong (1997, "A fast
 * non-negativity-constrained least squares algorithm"): minimise {@code 1/2 w^T Q w - c^T w}
 * subject to {@code w >= 0}, with {@code Q} symmetric positive definite ({@code Q = A^T A + lambda I},
 * {@code c = A^T b} for the ridge problem {@code ||A w - b||^2 + lambda ||w||^2}). Each
 * subproblem on the passive (positive) set is a Cholesky solve by EJML.
 *
 * <p>At the solution the KKT conditions hold: {@code w >= 0}, the gradient {@code Q w - c} is 0
 * where {@code w > 0} and {@code >= 0} where {@code w = 0}.
 */
public final class Nnls {
    private Nnls() {
    }

    /** {@code argmin ||A w - b||} over {@code w >= 0}, through the normal equations. */
    public static double[] solve(DMatrixRMaj a, double[] b) {
        if (a.numRows != b.length) {
            throw new IllegalArgumentException("nnls: A has " + a.numRows + " rows, b has " + b.length + " entries");
        }
        DMatrixRMaj q = new DMatrixRMaj(a.numCols, a.numCols);
        CommonOps_DDRM.multTransA(a, a, q);
        DMatrixRMaj c = new DMatrixRMaj(a.numCols, 1);
        CommonOps_DDRM.multTransA(a, DMatrixRMaj.wrap(b.length, 1, b), c);
        return solveGram(q, c.data, null);
    }

    /**
     * {@code argmin 1/2 w^T Q w - c^T w} over {@code w >= 0}.
     *
     * @param start the passive set to start from (e.g. where an unconstrained solution is positive), or
     *              null to start from {@code w = 0}; a good start saves most of the iterations
     */
    public static double[] solveGram(DMatrixRMaj q, double[] c, boolean[] start) {
        int n = c.length;
        if (q.numRows != n || q.numCols != n) {
            throw new IllegalArgumentException("nnls: Q is " + q.numRows + "x" + q.numCols + ", c has " + n + " entries");
        }
        double scale = 1;
        for (double v : c) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(q.get(i, i)));
        }
        double tol = 1e-12 * scale * Math.max(1, n);
        boolean[] passive = start == null ? new boolean[n] : start.clone();
        double[] w = new double[n];
        // Make the start feasible: drop what the unconstrained solution on it makes non-positive.
        while (any(passive)) {
            double[] z = solveOn(q, c, passive);
            boolean allPositive = true;
            for (int i = 0; i < n; i++) {
                if (passive[i] && !(z[i] > 0)) {
                    passive[i] = false;
                    allPositive = false;
                }
            }
            if (allPositive) {
                w = z;
                break;
            }
        }
        // Each outer pass lowers the objective strictly, so no passive set repeats; the cap only
        // guards against rounding making a pass stand still.
        for (int outer = 0; outer < 3 * n + 30; outer++) {
            double[] grad = negativeGradient(q, c, w);
            int j = -1;
            for (int i = 0; i < n; i++) {
                if (!passive[i] && grad[i] > tol && (j < 0 || grad[i] > grad[j])) {
                    j = i;
                }
            }
            if (j < 0) {
                break;
            }
            passive[j] = true;
            while (true) {
                double[] z = solveOn(q, c, passive);
                double alpha = Double.POSITIVE_INFINITY;
                int blocking = -1;
                for (int i = 0; i < n; i++) {
                    if (passive[i] && !(z[i] > 0)) {
                        double a = w[i] / (w[i] - z[i]);
                        if (a < alpha) {
                            alpha = a;
                            blocking = i;
                        }
                    }
                }
                if (blocking < 0) {
                    w = z;
                    break;
                }
                // Move towards z until the first passive coordinate reaches 0, and make it active.
                for (int i = 0; i < n; i++) {
                    w[i] += alpha * (z[i] - w[i]);
                }
                w[blocking] = 0;
                for (int i = 0; i < n; i++) {
                    if (passive[i] && w[i] <= 0) {
                        passive[i] = false;
                        w[i] = 0;
                    }
                }
            }
        }
        return w;
    }

    /** {@code c - Q w}: positive entries are the directions that still lower the objective. */
    static double[] negativeGradient(DMatrixRMaj q, double[] c, double[] w) {
        int n = c.length;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            double s = c[i];
            for (int k = 0; k < n; k++) {
                if (w[k] != 0) {
                    s -= q.get(i, k) * w[k];
                }
            }
            g[i] = s;
        }
        return g;
    }

    /** The unconstrained minimiser on the passive set, 0 elsewhere. */
    private static double[] solveOn(DMatrixRMaj q, double[] c, boolean[] passive) {
        int n = c.length;
        int[] p = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (passive[i]) {
                p[m++] = i;
            }
        }
        p = Arrays.copyOf(p, m);
        DMatrixRMaj sub = new DMatrixRMaj(m, m);
        DMatrixRMaj rhs = new DMatrixRMaj(m, 1);
        for (int r = 0; r < m; r++) {
            rhs.data[r] = c[p[r]];
            for (int k = 0; k < m; k++) {
                sub.unsafe_set(r, k, q.unsafe_get(p[r], p[k]));
            }
        }
        DMatrixRMaj x = new DMatrixRMaj(m, 1);
        LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.symmPosDef(m);
        if (!chol.setA(sub.copy())) {
            // Positive semi-definite only (no ridge, dependent columns): the least-norm solution.
            LinearSolverDense<DMatrixRMaj> pinv = LinearSolverFactory_DDRM.pseudoInverse(true);
            pinv.setA(sub);
            pinv.solve(rhs, x);
        } else {
            chol.solve(rhs, x);
        }
        double[] z = new double[n];
        for (int r = 0; r < m; r++) {
            z[p[r]] = x.data[r];
        }
        return z;
    }

    private static boolean any(boolean[] b) {
        for (boolean v : b) {
            if (v) {
                return true;
            }
        }
        return false;
    }
}
