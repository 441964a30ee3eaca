package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Least confidence, entropy and margin on a hand-made softmax table. */
class UncertaintyTest {
    // Examples 0-3 are class 0, 4-7 class 1.
    private static final int[] LABELS = {0, 0, 0, 0, 1, 1, 1, 1};
    private static final double[][] P = {
            {1.0, 0.0, 0.0},     // 0: certain
            {0.5, 0.5, 0.0},     // 1: a coin toss between two
            {0.7, 0.2, 0.1},     // 2
            {0.4, 0.3, 0.3},     // 3: least confident of class 0
            {0.9, 0.05, 0.05},   // 4
            {0.45, 0.45, 0.1},   // 5: margin 0
            {1 / 3.0, 1 / 3.0, 1 / 3.0},   // 6: uniform, the most uncertain overall
            {0.7, 0.3, 0.0},     // 7
    };

    private static SelectionContext ctx(boolean balance) {
        double[][] emb = new double[P.length][1];
        return Fixtures.context(LABELS, 3, emb, P, null, 0, balance);
    }

    private static double h(double... p) {
        double s = 0;
        for (double v : p) {
            s -= v == 0 ? 0 : v * Math.log(v);
        }
        return s;
    }

    @Test
    void scoresMatchTheDefinitions() {
        SelectionContext c = ctx(false);
        double[] lc = new LeastConfidence().scores(c);
        double[] ent = new Entropy().scores(c);
        double[] mar = new Margin().scores(c);
        for (int i = 0; i < P.length; i++) {
            double max = Math.max(P[i][0], Math.max(P[i][1], P[i][2]));
            assertEquals(1 - max, lc[i], 1e-6, "least confidence of " + i);
            assertEquals(h(P[i]), ent[i], 1e-6, "entropy of " + i);
        }
        assertEquals(0.0, ent[0], 0.0, "0 log 0 = 0");
        assertArrayEquals(new double[]{1, 0, 0.5, 0.1, 0.85, 0, 0, 0.4}, mar, 1e-6);
    }

    @Test
    void mostUncertainFirstWithoutBalance() {
        SelectionContext c = ctx(false);
        assertArrayEquals(new int[]{6, 3, 5}, new LeastConfidence().select(c, 3).indices());
        assertArrayEquals(new int[]{6, 3, 5}, new Entropy().select(c, 3).indices());
        // margins 0 at 1, 5, 6 (ties to the lower index), then 0.1 at 3
        assertArrayEquals(new int[]{1, 5, 6, 3}, new Margin().select(c, 4).indices());
    }

    @Test
    void mostUncertainFirstWithBalanceToo() {
        SelectionContext c = ctx(true);
        // two per class; class 0 first
        assertArrayEquals(new int[]{3, 1, 6, 5}, new LeastConfidence().select(c, 4).indices());
        // entropy of 2 (0.80) beats that of the coin toss 1 (ln 2 = 0.69); least confidence ranks them the other way
        assertArrayEquals(new int[]{3, 2, 6, 5}, new Entropy().select(c, 4).indices());
        assertArrayEquals(new int[]{1, 3, 5, 6}, new Margin().select(c, 4).indices());
        double[] scores = new LeastConfidence().select(c, 4).scores();
        assertEquals(0.6, scores[0], 1e-6);
        assertEquals(2 / 3.0, scores[2], 1e-6);
    }
}
