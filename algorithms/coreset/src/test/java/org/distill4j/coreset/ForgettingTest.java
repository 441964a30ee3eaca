package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.distill4j.train.CorrectnessLog;
import org.junit.jupiter.api.Test;

class ForgettingTest {
    private static final boolean T = true;
    private static final boolean F = false;
    // Rows are epochs, columns examples 0..5.
    private static final boolean[][] SCRIPT = {
            {T, F, T, F, T, T},
            {F, F, T, T, T, F},
            {T, F, T, F, T, T},
            {F, F, T, T, T, T},
            {T, F, F, T, T, T},
    };
    // events: 0: T->F at 1 and 3 = 2; 1: never learned; 2: one (4); 3: F T F T T: one; 4: none; 5: one

    private static SelectionContext ctx(long seed, boolean balance, int[] labels) {
        double[][] emb = new double[6][1];
        double[][] p = new double[6][2];
        for (double[] r : p) {
            r[0] = 1;
        }
        return Fixtures.context(labels, 2, emb, p, CorrectnessLog.of(SCRIPT), seed, balance);
    }

    @Test
    void countsTransitionsAndRanksNeverLearnedFirst() {
        SelectionContext c = ctx(0, false, new int[6]);
        assertArrayEquals(new double[]{2, 5, 1, 1, 0, 1}, new Forgetting().scores(c), 0);
        Selection s = new Forgetting().select(c, 2);
        assertArrayEquals(new int[]{1, 0}, s.indices());
        assertArrayEquals(new double[]{5, 2}, s.scores(), 0);
    }

    @Test
    void tiesAreBrokenBySeededRandomOrder() {
        // Examples 2, 3 and 5 are tied at one event; the third pick is one of them, chosen by the seed.
        int[] third = new int[6];
        for (long seed = 0; seed < 30; seed++) {
            Selection s = new Forgetting().select(ctx(seed, false, new int[6]), 3);
            assertEquals(Arrays.toString(s.indices()), Arrays.toString(new Forgetting().select(ctx(seed, false, new int[6]), 3).indices()));
            third[s.indices()[2]]++;
        }
        assertTrue(third[2] > 0 && third[3] > 0 && third[5] > 0, "every tied example is sometimes first: " + Arrays.toString(third));
    }

    @Test
    void balancedRunsPerClass() {
        int[] labels = {0, 0, 0, 1, 1, 1};
        Selection s = new Forgetting().select(ctx(0, true, labels), 2);
        assertEquals(2, s.size());
        assertEquals(1, s.indices()[0], "class 0 keeps its never-learned example");
        assertTrue(s.indices()[1] == 3 || s.indices()[1] == 5, "class 1 keeps one of its once-forgotten examples");
    }

    @Test
    void refusesAContextWithoutCorrectness() {
        double[][] emb = new double[6][1];
        double[][] p = new double[6][2];
        SelectionContext none = Fixtures.context(new int[6], 2, emb, p, null, 0, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Forgetting().select(none, 2));
        assertTrue(e.getMessage().contains("selection epoch"), e.getMessage());
    }
}
