package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CalTest {
    @Test
    void nearestNeighboursMatchBruteForce() {
        int n = 300;
        Tensor x = Tensor.randn(new Generator(8), DType.F32, n, 4);
        double[] v = x.toDoubleArray();
        int[][] knn = Cal.nearestNeighbours(x, 5);
        for (int i = 0; i < n; i++) {
            final int q = i;
            Integer[] order = new Integer[n];
            double[] d = new double[n];
            for (int j = 0; j < n; j++) {
                order[j] = j;
                for (int c = 0; c < 4; c++) {
                    d[j] += (v[q * 4 + c] - v[j * 4 + c]) * (v[q * 4 + c] - v[j * 4 + c]);
                }
            }
            java.util.Arrays.sort(order, (a, b) -> a == q ? 1 : b == q ? -1 : Double.compare(d[a], d[b]));
            int[] expected = new int[5];
            for (int j = 0; j < 5; j++) {
                expected[j] = order[j];
            }
            assertArrayEquals(expected, knn[i], "neighbours of " + i);
        }
        assertEquals(1, Cal.nearestNeighbours(Tensor.zeros(DType.F32, 2, 3), 10)[0].length, "at most n - 1 neighbours");
    }

    @Test
    void theMostContrastiveExampleWins() {
        // Two tight clusters on a line; example 2 sits in cluster A but the model disagrees with its neighbours.
        double[][] emb = {{0}, {0.1}, {0.2}, {0.3}, {10}, {10.1}, {10.2}, {10.3}};
        double[][] probs = {{0.9, 0.1}, {0.9, 0.1}, {0.2, 0.8}, {0.9, 0.1}, {0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5},
                {0.6, 0.4}};
        SelectionContext ctx = Fixtures.context(new int[8], 2, emb, probs, null, 0, false);
        Selection s = new Cal().select(ctx, 1);
        assertArrayEquals(new int[]{2}, s.indices());
        // By hand: the 10 nearest are all 7 others; s(2) = mean of KL(p_j || p_2).
        double expected = 0;
        for (int j = 0; j < 8; j++) {
            if (j != 2) {
                expected += probs[j][0] * Math.log(probs[j][0] / 0.2) + probs[j][1] * Math.log(probs[j][1] / 0.8);
            }
        }
        assertEquals(expected / 7, s.scores()[0], 1e-5);
    }
}
