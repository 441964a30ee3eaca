package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;

class GradMatchTest {
    private static DMatrixRMaj random(long seed, int rows, int cols) {
        return DMatrixRMaj.wrap(rows, cols, Tensor.randn(new Generator(seed), DType.F64, rows, cols).toDoubleArray());
    }

    private static double objective(DMatrixRMaj a, double[] b, double[] w) {
        DMatrixRMaj r = new DMatrixRMaj(a.numRows, 1);
        CommonOps_DDRM.mult(a, DMatrixRMaj.wrap(w.length, 1, w), r);
        double s = 0;
        for (int i = 0; i < b.length; i++) {
            s += (r.data[i] - b[i]) * (r.data[i] - b[i]);
        }
        return s;
    }

    @Test
    void nnlsIsNonNegativeMeetsKktAndBeatsEverySupport() {
        int constrained = 0;
        for (long seed = 1; seed <= 6; seed++) {
            DMatrixRMaj a = random(seed, 9, 6);
            double[] b = Tensor.randn(new Generator(seed + 100), DType.F64, 9).toDoubleArray();
            double[] w = Nnls.solve(a, b);
            DMatrixRMaj q = new DMatrixRMaj(6, 6);
            CommonOps_DDRM.multTransA(a, a, q);
            DMatrixRMaj c = new DMatrixRMaj(6, 1);
            CommonOps_DDRM.multTransA(a, DMatrixRMaj.wrap(9, 1, b), c);
            double[] grad = Nnls.negativeGradient(q, c.data, w); // c - Q w
            int positive = 0;
            for (int i = 0; i < 6; i++) {
                assertTrue(w[i] >= 0, "w >= 0");
                if (w[i] > 0) {
                    positive++;
                    assertEquals(0, grad[i], 1e-9, "stationary on the support (seed " + seed + ")");
                } else {
                    assertTrue(grad[i] <= 1e-9, "no descent direction off the support (seed " + seed + ")");
                }
            }
            constrained += positive < 6 ? 1 : 0;
            // Brute force over all supports: least squares on each, kept when non-negative.
            double best = Double.POSITIVE_INFINITY;
            for (int m = 1; m < 64; m++) {
                final int mask = m;
                int[] cols = java.util.stream.IntStream.range(0, 6).filter(i -> (mask >> i & 1) == 1).toArray();
                DMatrixRMaj sub = new DMatrixRMaj(9, cols.length);
                for (int r = 0; r < 9; r++) {
                    for (int k = 0; k < cols.length; k++) {
                        sub.set(r, k, a.get(r, cols[k]));
                    }
                }
                LinearSolverDense<DMatrixRMaj> ls = LinearSolverFactory_DDRM.leastSquares(9, cols.length);
                assertTrue(ls.setA(sub));
                DMatrixRMaj x = new DMatrixRMaj(cols.length, 1);
                ls.solve(DMatrixRMaj.wrap(9, 1, b.clone()), x);
                if (Arrays.stream(x.data).allMatch(v -> v >= 0)) {
                    double[] full = new double[6];
                    for (int k = 0; k < cols.length; k++) {
                        full[cols[k]] = x.data[k];
                    }
                    best = Math.min(best, objective(a, b, full));
                }
            }
            assertEquals(best, objective(a, b, w), 1e-9, "seed " + seed);
            // Starting from a passive set gives the same solution.
            boolean[] start = {true, true, true, false, false, true};
            assertArrayEquals(w, Nnls.solveGram(q, c.data, start), 1e-9);
        }
        assertTrue(constrained >= 2, "instances where the constraint is active: " + constrained);
    }

    @Test
    void ompRecoversAPlantedSparseNonNegativeCombination() {
        int n = 50;
        int d = 40;
        int[] support = {3, 17, 28, 41};
        double[] weights = {2.0, 0.5, 1.3, 0.8};
        for (long seed = 1; seed <= 3; seed++) {
            Tensor atoms = Tensor.randn(new Generator(seed), DType.F32, n, d);
            double[] rows = atoms.toDoubleArray();
            double[] b = new double[d];
            for (int s = 0; s < support.length; s++) {
                for (int i = 0; i < d; i++) {
                    b[i] += weights[s] * rows[support[s] * d + i];
                }
            }
            OrthogonalMatchingPursuit.Result r = OrthogonalMatchingPursuit.run(atoms, b, 4, 1e-9);
            int[] picked = r.picked().clone();
            Arrays.sort(picked);
            assertArrayEquals(support, picked, "seed " + seed);
            double[] w = Nnls.solveGram(r.gram(), r.rhs(), null);
            for (int s = 0; s < 4; s++) {
                int at = Arrays.binarySearch(support, r.picked()[s]);
                assertEquals(weights[at], w[s], 1e-4, "weight of atom " + r.picked()[s]);
                assertEquals(weights[at], r.ridge()[s], 1e-4, "ridge fit of atom " + r.picked()[s]);
            }
        }
    }

    @Test
    void paddingFillsTheBudgetWhereNothingIsLeftToMatch() {
        // Class 0 is predicted perfectly (zero gradients: NNLS keeps nothing), class 1 is not.
        int[] labels = new int[20];
        double[][] emb = new double[20][];
        double[][] probs = new double[20][];
        Generator gen = new Generator(6);
        for (int i = 0; i < 20; i++) {
            labels[i] = i < 10 ? 0 : 1;
            emb[i] = new double[]{gen.nextDouble() + 0.5, gen.nextDouble() - 0.5, gen.nextDouble()};
            double p = 0.2 + 0.6 * gen.nextDouble();
            probs[i] = i < 10 ? new double[]{1, 0} : new double[]{p, 1 - p};
        }
        SelectionContext ctx = Fixtures.context(labels, 2, emb, probs, null, 3, true);
        Selection s = new GradMatch().select(ctx, 8);
        assertEquals(8, s.size());
        int padded = 0;
        int matched = 0;
        for (int i = 0; i < 8; i++) {
            double w = s.weights()[i];
            if (Double.isNaN(s.scores()[i])) {
                padded++;
                assertEquals(1.0, w, "padding has weight 1");
            } else {
                matched++;
                assertEquals(1, labels[s.indices()[i]], "only class 1 has gradients to match");
            }
        }
        assertEquals(s.settings().get("padded"), padded);
        assertTrue(padded >= 4 && matched >= 1, padded + " padded, " + matched + " matched");
        assertArrayEquals(s.indices(), new GradMatch().select(ctx, 8).indices(), "the padding is seeded");
    }
}
