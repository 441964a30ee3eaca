package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Reduce;
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
    void choleskyFollowsAppendsAndRemovals() {
        int n = 9;
        DMatrixRMaj a = random(4, n + 3, n);
        DMatrixRMaj q = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransA(a, a, q);
        UpdatableCholesky chol = new UpdatableCholesky(2);
        java.util.List<Integer> order = new java.util.ArrayList<>();
        Generator gen = new Generator(8);
        int[] plan = {0, 1, 2, 3, -1, 4, 5, -3, 6, 7, 8, -1, -5, 3};
        for (int step : plan) {
            if (step >= 0) {
                double[] row = new double[order.size()];
                for (int k = 0; k < row.length; k++) {
                    row[k] = q.get(order.get(k), step);
                }
                chol.append(row, q.get(step, step));
                order.add(step);
            } else {
                int pos = Math.floorMod(-step + gen.nextInt(3), order.size());
                chol.remove(pos);
                order.remove(pos);
            }
            assertEquals(order.size(), chol.size());
            for (int i = 0; i < order.size(); i++) {
                for (int j = 0; j < order.size(); j++) {
                    assertEquals(q.get(order.get(i), order.get(j)), chol.product(i, j), 1e-9,
                            "L L^T after " + order + " at " + i + "," + j);
                }
            }
            double[] b = new double[order.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = i + 1;
            }
            double[] z = b.clone();
            chol.solve(z);
            for (int i = 0; i < b.length; i++) {
                double qz = 0;
                for (int j = 0; j < b.length; j++) {
                    qz += q.get(order.get(i), order.get(j)) * z[j];
                }
                assertEquals(b[i], qz, 1e-8, "Q z = b after " + order);
            }
        }
    }

    /** {@code ||A_S^T w - b||^2 + lambda ||w||^2} for atoms as rows. */
    private static double ridgeObjective(double[] rows, int d, int[] picked, double[] w, double[] b, double lambda) {
        double[] r = b.clone();
        double e = 0;
        for (int s = 0; s < picked.length; s++) {
            for (int i = 0; i < d; i++) {
                r[i] -= w[s] * rows[picked[s] * d + i];
            }
            e += lambda * w[s] * w[s];
        }
        for (double v : r) {
            e += v * v;
        }
        return e;
    }

    /** The ridge problem's non-negative optimum over the atoms in {@code allowed}, by trying every support. */
    private static double bruteForce(double[] rows, int d, int[] allowed, double[] b, double lambda) {
        double best = ridgeObjective(rows, d, new int[0], new double[0], b, lambda);
        for (int mask = 1; mask < 1 << allowed.length; mask++) {
            final int mk = mask;
            int[] cols = java.util.stream.IntStream.range(0, allowed.length).filter(i -> (mk >> i & 1) == 1)
                    .map(i -> allowed[i]).toArray();
            DMatrixRMaj g = new DMatrixRMaj(cols.length, cols.length);
            DMatrixRMaj rhs = new DMatrixRMaj(cols.length, 1);
            for (int x = 0; x < cols.length; x++) {
                for (int y = 0; y < cols.length; y++) {
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += rows[cols[x] * d + i] * rows[cols[y] * d + i];
                    }
                    g.set(x, y, dot + (x == y ? lambda : 0));
                }
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += rows[cols[x] * d + i] * b[i];
                }
                rhs.set(x, 0, dot);
            }
            DMatrixRMaj w = new DMatrixRMaj(cols.length, 1);
            assertTrue(CommonOps_DDRM.solve(g, rhs, w));
            if (Arrays.stream(w.data).allMatch(v -> v >= 0)) {
                best = Math.min(best, ridgeObjective(rows, d, cols, w.data, b, lambda));
            }
        }
        return best;
    }

    @Test
    void nonNegativePursuitKeepsWeightsPositiveLowersTheResidualAndMatchesBruteForce() {
        int n = 8;
        int d = 5;
        int limited = 0;
        for (long seed = 1; seed <= 12; seed++) {
            double lambda = seed % 3 == 0 ? 1e-9 : 0.5;
            Tensor atoms = Tensor.randn(new Generator(seed), DType.F32, n, d);
            double[] rows = atoms.toDoubleArray();
            double[] b = Tensor.randn(new Generator(seed + 50), DType.F64, d).toDoubleArray();
            for (int k = 1; k <= n; k++) {
                OrthogonalMatchingPursuit.Result r = OrthogonalMatchingPursuit.run(atoms, b, k, lambda);
                String what = "seed " + seed + " k " + k;
                assertTrue(r.picked().length <= k, what);
                assertEquals(r.picked().length, Arrays.stream(r.picked()).distinct().count(), what);
                assertTrue(Arrays.stream(r.weights()).allMatch(w -> w > 0), what + ": weights > 0 " + Arrays.toString(r.weights()));
                for (int t = 1; t < r.objective().length; t++) {
                    assertTrue(r.objective()[t] <= r.objective()[t - 1] * (1 + 1e-12), what + ": residual non-increasing "
                            + Arrays.toString(r.objective()));
                }
                double e = ridgeObjective(rows, d, r.picked(), r.weights(), b, lambda);
                assertEquals(e, r.objective()[r.objective().length - 1], 1e-6 * (1 + e), what + ": the recorded residual");
                // The weights are the non-negative optimum on the atoms chosen.
                assertEquals(bruteForce(rows, d, r.picked(), b, lambda), e, 1e-6 * (1 + e), what + ": refit on the support");
                if (r.picked().length < k) {
                    assertTrue(r.exhausted(), what);
                    // Stopped early: nothing outside correlates positively, so this is the optimum over all atoms.
                    assertEquals(bruteForce(rows, d, java.util.stream.IntStream.range(0, n).toArray(), b, lambda), e,
                            1e-6 * (1 + e), what + ": the optimum over all atoms");
                    limited++;
                }
            }
            // Allowed every atom, the pursuit ends at the non-negative optimum over all of them.
            OrthogonalMatchingPursuit.Result all = OrthogonalMatchingPursuit.run(atoms, b, n, lambda);
            double e = ridgeObjective(rows, d, all.picked(), all.weights(), b, lambda);
            assertEquals(bruteForce(rows, d, java.util.stream.IntStream.range(0, n).toArray(), b, lambda), e,
                    1e-6 * (1 + e), "seed " + seed + ": NNLS over all atoms");
        }
        assertTrue(limited > 0, "some instances use fewer atoms than allowed");
    }

    @Test
    void factoredLastLayerAtomsPursueLikeTheFormedOnes() {
        SelectionContext ctx = Fixtures.trained(60, 3, 7, false);
        int[] all = java.util.stream.IntStream.range(0, 60).toArray();
        Tensor atoms = ctx.lastLayerGradients(all);
        double[] mean = Reduce.sum(atoms, new int[]{0}, false).toDoubleArray();
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= 60;
        }
        for (int k : new int[]{1, 5, 20}) {
            OrthogonalMatchingPursuit.Result formed = OrthogonalMatchingPursuit.run(atoms, mean, k, 0.5);
            OrthogonalMatchingPursuit.Result factored = OrthogonalMatchingPursuit.runLastLayer(ctx.logitGradients(all),
                    ctx.embeddings(), mean, k, 0.5);
            assertArrayEquals(formed.picked(), factored.picked(), "k " + k);
            assertArrayEquals(formed.weights(), factored.weights(), 1e-6, "k " + k);
            assertArrayEquals(formed.objective(), factored.objective(), 1e-9, "k " + k);
        }
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
            for (int s = 0; s < 4; s++) {
                int at = Arrays.binarySearch(support, r.picked()[s]);
                assertEquals(weights[at], r.weights()[s], 1e-4, "weight of atom " + r.picked()[s]);
            }
        }
    }

    @Test
    void gradMatchMeetsTheBudgetWithoutPaddingAndMatchesBetterThanUniform() {
        for (boolean balance : new boolean[]{true, false}) {
            SelectionContext ctx = Fixtures.trained(90, 3, 4, balance);
            for (int budget : new int[]{3, 12, 30}) {
                Selection s = new GradMatch().select(ctx, budget);
                assertEquals(budget, s.size());
                assertEquals(0, s.settings().get("padded"), "budget " + budget);
                assertTrue(Arrays.stream(s.scores()).allMatch(v -> v > 0), "picked by a positive correlation");
                // The weighted gradient sum of the subset is closer to the full sum than a uniform subset's.
                int[] all = java.util.stream.IntStream.range(0, 90).toArray();
                double[] full = Reduce.sum(ctx.lastLayerGradients(all), new int[]{0}, false).toDoubleArray();
                double gm = distance(ctx, s.indices(), s.weights(), full);
                Selection u = new Uniform().select(ctx, budget);
                double[] scaled = new double[budget];
                Arrays.fill(scaled, 90.0 / budget);
                double un = distance(ctx, u.indices(), scaled, full);
                assertTrue(gm < un, "balance " + balance + " budget " + budget + ": gradmatch " + gm + " vs uniform " + un);
            }
        }
    }

    private static double distance(SelectionContext ctx, int[] idx, double[] w, double[] target) {
        double[] g = ctx.lastLayerGradients(idx).toDoubleArray();
        int d = target.length;
        double[] sum = new double[d];
        for (int i = 0; i < idx.length; i++) {
            for (int j = 0; j < d; j++) {
                sum[j] += w[i] * g[i * d + j];
            }
        }
        double e = 0;
        for (int j = 0; j < d; j++) {
            e += (sum[j] - target[j]) * (sum[j] - target[j]);
        }
        return Math.sqrt(e);
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
        assertTrue(((String) s.settings().get("note")).startsWith("class 0: 0 of "), (String) s.settings().get("note"));
        assertTrue(padded >= 4 && matched >= 1, padded + " padded, " + matched + " matched");
        assertArrayEquals(s.indices(), new GradMatch().select(ctx, 8).indices(), "the padding is seeded");
    }
}
