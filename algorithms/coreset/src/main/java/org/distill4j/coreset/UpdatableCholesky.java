package org.distill4j.coreset;

import java.util.Arrays;

/**
 * The lower Cholesky factor {@code L} of a symmetric positive definite matrix {@code Q_PP} whose
 * index set {@code P} grows by one index at the end and loses any one: what an active-set solver
 * needs when a coordinate enters or leaves its passive set. Appending costs one forward
 * substitution ({@code O(m^2)}); removing the index at position {@code p} deletes its row and
 * column and restores the trailing block with a rank-one update by Givens rotations
 * ({@code L33' L33'^T = L33 L33^T + l32 l32^T}, Golub and Van Loan, "Matrix Computations", 4th ed.,
 * section 6.5.4), also {@code O(m^2)}; a solve is two triangular substitutions. A fresh
 * factorisation would cost {@code O(m^3)} at every change.
 */
final class UpdatableCholesky {
    /** Row-major, row stride {@code cap}; only the leading {@code m x m} lower triangle is in use. */
    private double[] l;
    private int cap;
    private int m;

    UpdatableCholesky(int capacity) {
        cap = Math.max(1, capacity);
        l = new double[cap * cap];
    }

    int size() {
        return m;
    }

    /**
     * Appends an index: {@code q} holds its entries against the current indices in factor order
     * ({@code q[0..m-1]}), {@code diagonal} its own. A pivot that rounding makes non-positive (a
     * dependent column without ridge) is kept tiny and positive rather than failing.
     */
    void append(double[] q, double diagonal) {
        if (m == cap) {
            grow();
        }
        double[] row = Arrays.copyOf(q, m);
        forward(row, m);
        double rest = diagonal;
        for (int j = 0; j < m; j++) {
            rest -= row[j] * row[j];
        }
        System.arraycopy(row, 0, l, m * cap, m);
        l[m * cap + m] = Math.sqrt(Math.max(rest, 1e-12 * Math.max(Math.abs(diagonal), Double.MIN_NORMAL)));
        m++;
    }

    /** Removes the index at position {@code p} (0-based, in factor order); the later ones move up by one. */
    void remove(int p) {
        if (p < 0 || p >= m) {
            throw new IllegalArgumentException("cholesky: no position " + p + " among " + m);
        }
        // x = the removed column below the diagonal; it is folded into the trailing block.
        int t = m - p - 1;
        double[] x = new double[t];
        for (int i = 0; i < t; i++) {
            x[i] = l[(p + 1 + i) * cap + p];
        }
        // Shift rows p+1.. up by one and columns p+1.. left by one.
        for (int i = p + 1; i < m; i++) {
            int from = i * cap;
            int to = (i - 1) * cap;
            System.arraycopy(l, from, l, to, p);
            System.arraycopy(l, from + p + 1, l, to + p, i - p);
        }
        m--;
        // Rank-one update of the trailing block, now rows/columns p..m-1.
        for (int k = 0; k < t; k++) {
            int kk = (p + k) * cap + p + k;
            double lkk = l[kk];
            double r = Math.hypot(lkk, x[k]);
            double c = r / lkk;
            double s = x[k] / lkk;
            l[kk] = r;
            for (int i = k + 1; i < t; i++) {
                int ik = (p + i) * cap + p + k;
                l[ik] = (l[ik] + s * x[i]) / c;
                x[i] = c * x[i] - s * l[ik];
            }
        }
        for (int i = 0; i < cap; i++) {
            l[m * cap + i] = 0;
        }
    }

    /** Solves {@code Q_PP z = b} in place ({@code b} has at least {@link #size} entries). */
    void solve(double[] b) {
        forward(b, m);
        for (int i = m - 1; i >= 0; i--) {
            double s = b[i];
            for (int j = i + 1; j < m; j++) {
                s -= l[j * cap + i] * b[j];
            }
            b[i] = s / l[i * cap + i];
        }
    }

    /** {@code L L^T} at (i, j), for tests. */
    double product(int i, int j) {
        double s = 0;
        for (int k = 0; k <= Math.min(i, j); k++) {
            s += l[i * cap + k] * l[j * cap + k];
        }
        return s;
    }

    /** {@code b = L^-1 b} for the leading {@code n x n} block. */
    private void forward(double[] b, int n) {
        for (int i = 0; i < n; i++) {
            double s = b[i];
            int row = i * cap;
            for (int j = 0; j < i; j++) {
                s -= l[row + j] * b[j];
            }
            b[i] = s / l[row + i];
        }
    }

    private void grow() {
        int bigger = cap * 2;
        double[] next = new double[bigger * bigger];
        for (int i = 0; i < m; i++) {
            System.arraycopy(l, i * cap, next, i * bigger, i + 1);
        }
        l = next;
        cap = bigger;
    }
}
