package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CraigTest {
    @Test
    void clusterWeightsSumToTheClassSize() {
        for (boolean balance : new boolean[]{true, false}) {
            SelectionContext ctx = Fixtures.trained(60, 3, 3, balance);
            Selection s = new Craig().select(ctx, 9);
            double[] sum = new double[3];
            int[] picks = new int[3];
            for (int i = 0; i < s.size(); i++) {
                int c = ctx.data().label(s.indices()[i]);
                sum[c] += s.weights()[i];
                picks[c]++;
                assertTrue(s.weights()[i] >= 1, "a pick stands at least for itself");
                assertEquals(Math.rint(s.weights()[i]), s.weights()[i], "weights count examples");
            }
            for (int c = 0; c < 3; c++) {
                if (picks[c] > 0) {
                    assertEquals(ctx.classIndices(c).length, sum[c], 0, "class " + c + (balance ? " balanced" : ""));
                }
            }
        }
    }
}
