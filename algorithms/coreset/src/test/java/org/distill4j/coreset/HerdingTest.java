package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class HerdingTest {
    private static final int N = 400;
    private static final int D = 3;

    private static double[][] data() {
        double[] flat = Tensor.randn(new Generator(21), DType.F64, N * D).toDoubleArray();
        double[][] x = new double[N][D];
        for (int i = 0; i < N; i++) {
            for (int d = 0; d < D; d++) {
                x[i][d] = flat[i * D + d] * (d + 1) + (i % 2 == 0 ? 2 : -1);
            }
        }
        return x;
    }

    /** |mean of the first t rows in {@code order} - mean of all| for t = 1..len. */
    private static double[] runningError(double[][] x, int[] order) {
        double[] mu = new double[D];
        for (double[] r : x) {
            for (int d = 0; d < D; d++) {
                mu[d] += r[d] / x.length;
            }
        }
        double[] sum = new double[D];
        double[] err = new double[order.length];
        for (int t = 0; t < order.length; t++) {
            double e = 0;
            for (int d = 0; d < D; d++) {
                sum[d] += x[order[t]][d];
                double diff = sum[d] / (t + 1) - mu[d];
                e += diff * diff;
            }
            err[t] = Math.sqrt(e);
        }
        return err;
    }

    @Test
    void runningMeanApproachesTheDataMeanFasterThanRandomOrder() {
        double[][] x = data();
        int k = 60;
        int[] herd = Herding.order(Fixtures.table(x), k);
        double[] herdErr = runningError(x, herd);
        double[] randomErr = new double[k];
        int orders = 20;
        for (int r = 0; r < orders; r++) {
            int[] perm = new Generator(100 + r).permutation(N);
            double[] e = runningError(x, java.util.Arrays.copyOf(perm, k));
            for (int t = 0; t < k; t++) {
                randomErr[t] += e[t] / orders;
            }
        }
        for (int t : new int[]{9, 19, 39, 59}) {
            assertTrue(herdErr[t] < randomErr[t] / 3, "after " + (t + 1) + " picks: herding " + herdErr[t]
                    + " vs random " + randomErr[t]);
        }
    }

    @Test
    void eachPickMinimisesTheDistanceOfTheNewRunningSumToTheTarget() {
        double[][] x = data();
        int[] herd = Herding.order(Fixtures.table(x), 5);
        double[] mu = new double[D];
        for (double[] r : x) {
            for (int d = 0; d < D; d++) {
                mu[d] += r[d] / N;
            }
        }
        double[] sum = new double[D];
        boolean[] taken = new boolean[N];
        for (int t = 0; t < 5; t++) {
            int best = -1;
            double bestDist = Double.POSITIVE_INFINITY;
            for (int i = 0; i < N; i++) {
                double dd = 0;
                for (int d = 0; d < D; d++) {
                    double v = (t + 1) * mu[d] - sum[d] - x[i][d];
                    dd += v * v;
                }
                if (!taken[i] && dd < bestDist) {
                    bestDist = dd;
                    best = i;
                }
            }
            assertEquals(best, herd[t], "pick " + t);
            taken[best] = true;
            for (int d = 0; d < D; d++) {
                sum[d] += x[best][d];
            }
        }
    }

    @Test
    void selectionKeepsPickOrderAsScoresAndIsDeterministic() {
        double[][] x = data();
        int[] labels = new int[N];
        double[][] probs = new double[N][1];
        for (double[] r : probs) {
            r[0] = 1;
        }
        SelectionContext ctx = Fixtures.context(labels, 1, x, probs, null, 0, false);
        Selection s = new Herding().select(ctx, 7);
        assertArrayEquals(Herding.order(Fixtures.table(x), 7), s.indices());
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5, 6}, s.scores(), 0);
    }
}
