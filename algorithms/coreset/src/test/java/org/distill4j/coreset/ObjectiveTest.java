package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.coreset.submodular.Similarity;
import org.distill4j.coreset.submodular.StochasticGreedy;
import org.distill4j.coreset.submodular.SubmodularSelection;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Each method's objective, evaluated for any selection, against its definition computed by brute force. */
class ObjectiveTest {
    private static final int N = 60;
    private static final int D = 3;
    private static final int CLASSES = 3;

    private static float[][] points(long seed) {
        Generator g = new Generator(seed);
        float[][] x = new float[N][D];
        for (int i = 0; i < N; i++) {
            for (int d = 0; d < D; d++) {
                x[i][d] = (float) (2 * g.nextDouble() - 1 + (i % CLASSES) * 2);
            }
        }
        return x;
    }

    private static int[] labels() {
        int[] y = new int[N];
        for (int i = 0; i < N; i++) {
            y[i] = i % CLASSES;
        }
        return y;
    }

    private static SelectionContext context(float[][] x, boolean balance) {
        float[] flat = new float[N * D];
        for (int i = 0; i < N; i++) {
            System.arraycopy(x[i], 0, flat, i * D, D);
        }
        return SelectionContext.ofFeatures(Tensor.fromFloats(flat, N, D), labels(), CLASSES, 7, balance);
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int d = 0; d < D; d++) {
            s += ((double) a[d] - b[d]) * ((double) a[d] - b[d]);
        }
        return Math.sqrt(s);
    }

    private static final int[] SOME = {0, 4, 5, 13, 21, 30, 44};

    @Test
    void kCenterRadiusIsTheLargestDistanceToTheNearestPickInTheSameGroup() {
        float[][] x = points(1);
        int[] y = labels();
        for (boolean balance : new boolean[]{true, false}) {
            double expected = 0;
            for (int i = 0; i < N; i++) {
                double nearest = Double.POSITIVE_INFINITY;
                for (int j : SOME) {
                    if (!balance || y[i] == y[j]) {
                        nearest = Math.min(nearest, distance(x[i], x[j]));
                    }
                }
                expected = Math.max(expected, nearest);
            }
            Objective.Value v = new KCenterGreedy().objective(context(x, balance), SOME);
            assertEquals("radius", v.name());
            assertFalse(v.maximised());
            assertEquals(expected, v.value(), 1e-4, "balance " + balance);
        }
    }

    @Test
    void herdingMomentDistanceIsTheSizeWeightedDistanceOfThePicksMeanToTheClassMean() {
        float[][] x = points(2);
        int[] y = labels();
        double sum = 0;
        for (int c = 0; c < CLASSES; c++) {
            double[] mu = new double[D];
            double[] m = new double[D];
            int n = 0;
            int k = 0;
            for (int i = 0; i < N; i++) {
                if (y[i] == c) {
                    n++;
                    for (int d = 0; d < D; d++) {
                        mu[d] += x[i][d];
                    }
                }
            }
            for (int j : SOME) {
                if (y[j] == c) {
                    k++;
                    for (int d = 0; d < D; d++) {
                        m[d] += x[j][d];
                    }
                }
            }
            double d2 = 0;
            for (int d = 0; d < D; d++) {
                d2 += Math.pow(m[d] / k - mu[d] / n, 2);
            }
            sum += n * d2;
        }
        Objective.Value v = new Herding().objective(context(x, true), SOME);
        assertEquals(Math.sqrt(sum / N), v.value(), 1e-5);
        // Herding's own picks bring the means closer than these arbitrary ones.
        SelectionContext ctx = context(x, true);
        Selection own = new Herding().select(ctx, SOME.length);
        assertTrue(new Herding().objective(ctx, own.indices()).value() < v.value());
    }

    @Test
    void submodularObjectiveOfGreedysPicksIsTheSumOfTheirGainsAndMatchesTheDefinitionElsewhere() {
        float[][] x = points(3);
        int[] y = labels();
        SelectionContext ctx = context(x, true);
        SubmodularSelection fl = new SubmodularSelection("facility-location", SubmodularSelection.Features.EMBEDDINGS,
                Similarity.Kernel.COSINE, SubmodularSelection.Optimizer.LAZY, Double.NaN, StochasticGreedy.DEFAULT_EPSILON);
        Selection s = fl.select(ctx, 9);
        double gains = 0;
        for (double g : s.scores()) {
            gains += g;
        }
        assertEquals(gains, fl.objective(ctx, s.indices()).value(), 1e-6 * gains);
        // f(A) = sum_i max_{j in A, same class} (1/2 + 1/2 cos(x_i, x_j)), classes with no pick adding 0.
        double expected = 0;
        for (int i = 0; i < N; i++) {
            double best = 0;
            for (int j : SOME) {
                if (y[i] == y[j]) {
                    best = Math.max(best, 0.5 + 0.5 * cos(x[i], x[j]));
                }
            }
            expected += best;
        }
        Objective.Value v = fl.objective(ctx, SOME);
        assertTrue(v.maximised());
        assertEquals(expected, v.value(), 1e-4);
        assertEquals(v.value() / expected, v.relativeTo(new Objective.Value("facility-location", expected, true)), 1e-12);
    }

    private static double cos(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int d = 0; d < D; d++) {
            ab += (double) a[d] * b[d];
            aa += (double) a[d] * a[d];
            bb += (double) b[d] * b[d];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
