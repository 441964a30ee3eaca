package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class KCenterGreedyTest {
    private static double dist(double[][] x, int i, int j) {
        double s = 0;
        for (int d = 0; d < x[i].length; d++) {
            s += (x[i][d] - x[j][d]) * (x[i][d] - x[j][d]);
        }
        return Math.sqrt(s);
    }

    /** max over points of the distance to the nearest center. */
    private static double radius(double[][] x, int[] centers) {
        double r = 0;
        for (int i = 0; i < x.length; i++) {
            double m = Double.POSITIVE_INFINITY;
            for (int c : centers) {
                m = Math.min(m, dist(x, i, c));
            }
            r = Math.max(r, m);
        }
        return r;
    }

    /** The best radius over all k-subsets, by exhaustive search. */
    private static double optimalRadius(double[][] x, int k, int from, int[] chosen, int depth) {
        if (depth == k) {
            return radius(x, chosen);
        }
        double best = Double.POSITIVE_INFINITY;
        for (int i = from; i < x.length; i++) {
            chosen[depth] = i;
            best = Math.min(best, optimalRadius(x, k, i + 1, chosen, depth + 1));
        }
        return best;
    }

    private static double[][] points(long seed, int n, int dims) {
        double[] flat = Tensor.randn(new Generator(seed), DType.F64, n * dims).toDoubleArray();
        double[][] x = new double[n][dims];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dims; d++) {
                // Stretch the first axis so the instances have real cluster structure to find.
                x[i][d] = flat[i * dims + d] * (d == 0 ? 4 : 1) + (i % 3) * 3;
            }
        }
        return x;
    }

    @Test
    void greedyRadiusIsAtMostTwiceTheOptimalRadius() {
        for (long trial = 0; trial < 12; trial++) {
            double[][] x = points(trial, 13, 2);
            int k = 2 + (int) (trial % 3);
            KCenterGreedy.Picks p = KCenterGreedy.extend(Fixtures.table(x), new int[0], k, new Generator(trial));
            assertEquals(k, Arrays.stream(p.indices()).distinct().count());
            double greedy = radius(x, p.indices());
            double opt = optimalRadius(x, k, 0, new int[k], 0);
            assertTrue(greedy <= 2 * opt + 1e-9, "trial " + trial + ": greedy radius " + greedy + " > 2 x optimum " + opt);
        }
    }

    @Test
    void eachPickIsTheFarthestPointFromThoseBeforeIt() {
        double[][] x = points(99, 30, 3);
        int[] already = {4, 17};
        KCenterGreedy.Picks p = KCenterGreedy.extend(Fixtures.table(x), already, 6, new Generator(1));
        int[] centers = already.clone();
        for (int t = 0; t < 6; t++) {
            double far = -1;
            int arg = -1;
            for (int i = 0; i < x.length; i++) {
                double m = Double.POSITIVE_INFINITY;
                for (int c : centers) {
                    m = Math.min(m, dist(x, i, c));
                }
                if (m > far) {
                    far = m;
                    arg = i;
                }
            }
            assertEquals(arg, p.indices()[t], "pick " + t);
            assertEquals(far, p.distances()[t], 1e-9);
            final int picked = arg;
            assertFalse(Arrays.stream(centers).anyMatch(c -> c == picked), "an already selected point is never added");
            centers = Arrays.copyOf(centers, centers.length + 1);
            centers[centers.length - 1] = arg;
        }
    }

    @Test
    void methodRunsInsideEachClassWithARandomStart() {
        double[][] emb = points(5, 24, 2);
        int[] labels = Fixtures.unevenLabels(24, 3);
        double[][] probs = new double[24][3];
        for (double[] row : probs) {
            Arrays.fill(row, 1.0 / 3);
        }
        SelectionContext ctx = Fixtures.context(labels, 3, emb, probs, null, 8, true);
        Selection s = new KCenterGreedy().select(ctx, 9);
        int[] perClass = new int[3];
        for (int i : s.indices()) {
            perClass[labels[i]]++;
        }
        assertEquals(Arrays.toString(ctx.classBudgets(9)), Arrays.toString(perClass));
        assertTrue(Double.isNaN(s.scores()[0]), "the random start has no distance");
        assertTrue(s.scores()[1] > 0);
        boolean differs = false;
        for (long seed = 9; seed < 14 && !differs; seed++) {
            SelectionContext other = Fixtures.context(labels, 3, emb, probs, null, seed, true);
            differs = !Arrays.equals(s.indices(), new KCenterGreedy().select(other, 9).indices());
        }
        assertTrue(differs, "the seed chooses the start");
    }

    @Test
    void contextualDiversityUsesSymmetricKl() {
        double[][] p = {{0.8, 0.1, 0.1}, {0.1, 0.8, 0.1}, {0.34, 0.33, 0.33}, {0.05, 0.05, 0.9}, {0.7, 0.2, 0.1}, {0.2, 0.2, 0.6}};
        int n = p.length;
        double[][] emb = new double[n][1];
        int[] labels = new int[n];
        SelectionContext ctx = Fixtures.context(labels, 3, emb, p, null, 3, false);
        Selection s = new ContextualDiversity().select(ctx, 4);
        int[] picks = s.indices();
        for (int t = 1; t < 4; t++) {
            double far = -1;
            int arg = -1;
            for (int i = 0; i < n; i++) {
                double m = Double.POSITIVE_INFINITY;
                for (int c = 0; c < t; c++) {
                    m = Math.min(m, symmetricKl(p[i], p[picks[c]]));
                }
                if (m > far) {
                    far = m;
                    arg = i;
                }
            }
            assertEquals(arg, picks[t], "pick " + t);
            assertEquals(far, s.scores()[t], 1e-5);
        }
    }

    private static double symmetricKl(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += 0.5 * a[j] * Math.log(a[j] / b[j]) + 0.5 * b[j] * Math.log(b[j] / a[j]);
        }
        return s;
    }
}
