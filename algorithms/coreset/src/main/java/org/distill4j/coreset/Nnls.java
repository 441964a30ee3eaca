package org.distill4j.coreset;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Non-negative least squares by the active-set method of Lawson and Hanson (1974, "Solving Least
 * Squares Problems", ch. 23), in the normal-equation form of Bro and De Jong (1997, "A fast
 * non-negativity-constrained least squares algorithm"): minimise {@code 1/2 w^T Q w - c^T w}
 * subject to {@code w >= 0}, with {@code Q} symmetric positive definite ({@code Q = A^T A + lambda I},
 * {@code c = A^T b} for the ridge problem {@code ||A w - b||^2 + lambda ||w||^2}).
 *
 * <p>Each outer step moves the coordinate with the largest descent {@code (c - Q w)_j > 0} into the
 * passive set; the inner loop solves on the passive set and, where that solution is not positive,
 * steps towards it until the first coordinate reaches 0 and moves it out. The passive block
 * {@code Q_PP} is never refactorised: its Cholesky factor ({@link UpdatableCholesky}) grows by a
 * row when a coordinate enters and is updated when one leaves, {@code O(|P|^2)} per change instead
 * of {@code O(|P|^3)}.
 *
 * <p>Stopped once the passive set holds {@code maxPassive} coordinates, the same loop is
 * non-negative orthogonal matching pursuit (Bruckstein, Elad and Zibulevsky 2008; Nguyen, Soussen,
 * Idier and Djermoune 2019, "Non-negative orthogonal greedy algorithms"): each step adds the atom
 * most correlated with the residual and refits the weights non-negatively on the atoms chosen, which
 * is how {@link OrthogonalMatchingPursuit} uses it. Every outer step lowers the objective strictly
 * (the entering coordinate has a positive descent, and with a positive definite {@code Q} it ends
 * with a positive weight), so no passive set repeats.
 *
 * <p>At a full solution the KKT conditions hold: {@code w >= 0}, the gradient {@code Q w - c} is 0
 * where {@code w > 0} and {@code >= 0} where {@code w = 0}.
 */
public final class Nnls {
    private Nnls() {
    }

    /** The problem, seen through what the active-set loop needs. */
    interface Problem {
        /** Number of coordinates. */
        int size();

        /** {@code Q_ij}. */
        double q(int i, int j);

        /** {@code c_i}. */
        double c(int i);

        /**
         * {@code c - Q w} for every coordinate, where {@code w} is {@code weights[0..m-1]} on
         * {@code passive[0..m-1]} and 0 elsewhere.
         */
        double[] negativeGradient(int[] passive, double[] weights, int m);
    }

    /**
     * The active-set loop's answer.
     *
     * @param passive     the coordinates with positive weight, in the order they (last) entered
     * @param weights     their weights, all {@code > 0}
     * @param entryGains  each one's descent {@code (c - Q w)_j} when it (last) entered
     * @param objective   {@code 1/2 w^T Q w - c^T w} after each outer step, non-increasing
     * @param converged   true when no coordinate can lower the objective (the KKT conditions hold);
     *                    false when the loop stopped at {@code maxPassive} or its pass limit
     */
    record Result(int[] passive, double[] weights, double[] entryGains, double[] objective, boolean converged) {
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
        Problem p = new Problem() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public double q(int i, int j) {
                return q.unsafe_get(i, j);
            }

            @Override
            public double c(int i) {
                return c[i];
            }

            @Override
            public double[] negativeGradient(int[] passive, double[] weights, int m) {
                double[] w = new double[n];
                for (int s = 0; s < m; s++) {
                    w[passive[s]] = weights[s];
                }
                return Nnls.negativeGradient(q, c, w);
            }
        };
        Result r = activeSet(p, n, start);
        double[] w = new double[n];
        for (int s = 0; s < r.passive().length; s++) {
            w[r.passive()[s]] = r.weights()[s];
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

    /**
     * Lawson and Hanson's loop, stopped when no coordinate lowers the objective or when
     * {@code maxPassive} coordinates are passive.
     *
     * @param start coordinates to try first (those that come out non-positive are dropped), or null
     */
    static Result activeSet(Problem p, int maxPassive, boolean[] start) {
        int n = p.size();
        double scale = 1;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.max(Math.abs(p.c(i)), Math.abs(p.q(i, i))));
        }
        double tol = 1e-12 * scale * Math.max(1, n);
        State s = new State(p, Math.min(maxPassive, n));
        if (start != null) {
            for (int i = 0; i < n && s.m < maxPassive; i++) {
                if (start[i]) {
                    s.enter(i, Double.NaN);
                }
            }
            // Make the start feasible: drop what the solution on it makes non-positive, one at a time.
            while (s.m > 0) {
                double[] z = s.solve();
                int worst = -1;
                for (int k = 0; k < s.m; k++) {
                    if (!(z[k] > 0) && (worst < 0 || z[k] < z[worst])) {
                        worst = k;
                    }
                }
                if (worst < 0) {
                    System.arraycopy(z, 0, s.w, 0, s.m);
                    break;
                }
                s.leave(worst);
            }
        }
        double[] objective = new double[8];
        int steps = 0;
        boolean converged = false;
        boolean[] refused = new boolean[n];
        // Each outer step lowers the objective strictly, so no passive set repeats; the cap only
        // guards against rounding making a step stand still.
        outer:
        for (int pass = 0; pass < 3 * n + 30 && s.m < maxPassive; pass++) {
            double[] grad = p.negativeGradient(s.passive, s.w, s.m);
            Arrays.fill(refused, false);
            while (true) {
                int j = -1;
                for (int i = 0; i < n; i++) {
                    if (!s.in[i] && !refused[i] && grad[i] > tol && (j < 0 || grad[i] > grad[j])) {
                        j = i;
                    }
                }
                if (j < 0) {
                    converged = true;
                    break outer;
                }
                if (enterAndRefit(s, j, grad[j])) {
                    break;
                }
                // Rounding made a hair of descent look like more: the next best, with the same gradient.
                refused[j] = true;
            }
            if (steps == objective.length) {
                objective = Arrays.copyOf(objective, steps * 2);
            }
            objective[steps++] = s.objective();
        }
        int[] passive = Arrays.copyOf(s.passive, s.m);
        return new Result(passive, Arrays.copyOf(s.w, s.m), Arrays.copyOf(s.gain, s.m), Arrays.copyOf(objective, steps),
                converged || s.m == n);
    }

    /**
     * Moves {@code j} into the passive set and runs the inner loop: solve on the passive set; where
     * the solution is not positive, step towards it until the first coordinate reaches 0 and move
     * every coordinate at 0 out; repeat. Returns false, changing nothing, when the solution does not
     * give {@code j} itself a positive weight (only rounding can do that: its descent was positive).
     */
    private static boolean enterAndRefit(State s, int j, double gain) {
        s.enter(j, gain);
        boolean first = true;
        while (true) {
            double[] z = s.solve();
            if (first && !(z[s.m - 1] > 0)) {
                s.leave(s.m - 1);
                return false;
            }
            first = false;
            int blocking = -1;
            double alpha = Double.POSITIVE_INFINITY;
            for (int k = 0; k < s.m; k++) {
                if (!(z[k] > 0)) {
                    double a = s.w[k] / (s.w[k] - z[k]);
                    if (a < alpha) {
                        alpha = a;
                        blocking = k;
                    }
                }
            }
            if (blocking < 0) {
                System.arraycopy(z, 0, s.w, 0, s.m);
                return true;
            }
            for (int k = 0; k < s.m; k++) {
                s.w[k] += alpha * (z[k] - s.w[k]);
            }
            s.w[blocking] = 0;
            for (int k = s.m - 1; k >= 0; k--) {
                if (!(s.w[k] > 0)) {
                    s.leave(k);
                }
            }
        }
    }

    /** The passive set in factor order, its weights, and the factor of {@code Q_PP}. */
    private static final class State {
        final Problem p;
        final boolean[] in;
        int[] passive;
        double[] w;
        double[] gain;
        int m;
        final UpdatableCholesky chol;

        State(Problem p, int capacity) {
            this.p = p;
            in = new boolean[p.size()];
            passive = new int[Math.max(1, capacity)];
            w = new double[passive.length];
            gain = new double[passive.length];
            chol = new UpdatableCholesky(Math.min(capacity, 256));
        }

        void enter(int j, double g) {
            if (m == passive.length) {
                passive = Arrays.copyOf(passive, m * 2);
                w = Arrays.copyOf(w, m * 2);
                gain = Arrays.copyOf(gain, m * 2);
            }
            double[] row = new double[m];
            for (int k = 0; k < m; k++) {
                row[k] = p.q(passive[k], j);
            }
            chol.append(row, p.q(j, j));
            passive[m] = j;
            w[m] = 0;
            gain[m] = g;
            in[j] = true;
            m++;
        }

        void leave(int k) {
            chol.remove(k);
            in[passive[k]] = false;
            System.arraycopy(passive, k + 1, passive, k, m - k - 1);
            System.arraycopy(w, k + 1, w, k, m - k - 1);
            System.arraycopy(gain, k + 1, gain, k, m - k - 1);
            m--;
        }

        /** The unconstrained minimiser on the passive set, in factor order. */
        double[] solve() {
            double[] z = new double[m];
            for (int k = 0; k < m; k++) {
                z[k] = p.c(passive[k]);
            }
            chol.solve(z);
            return z;
        }

        /**
         * {@code 1/2 w^T Q w - c^T w} at the current weights, which solve {@code Q_PP w = c_P} between
         * outer steps: then {@code w^T Q w = c^T w} and the objective is {@code -1/2 c^T w}.
         */
        double objective() {
            double f = 0;
            for (int k = 0; k < m; k++) {
                f -= 0.5 * p.c(passive[k]) * w[k];
            }
            return f;
        }
    }
}
