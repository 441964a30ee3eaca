package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every method of this package: exact budget, class balance, same seed same selection. */
class MethodContractTest {
    private static final List<String> METHODS = List.of("uniform", "herding", "kcenter", "contextual-diversity",
            "least-confidence", "entropy", "margin", "forgetting", "grand", "el2n", "importance", "aum", "ccs", "moderate",
            "d2-pruning", "prototypes");
    private static final int N = 60;

    @Test
    void exactBudgetAndClassBalance() {
        for (boolean balance : new boolean[]{true, false}) {
            SelectionContext ctx = Fixtures.trained(N, 3, 1, balance);
            for (String name : METHODS) {
                for (int budget : new int[]{1, 7, 31, N}) {
                    Selection s = CoresetMethods.byName(name).select(ctx, budget);
                    String what = name + (balance ? " balanced" : "") + " budget " + budget;
                    assertEquals(budget, s.size(), what);
                    assertEquals(name, s.method());
                    if (balance) {
                        int[] perClass = new int[3];
                        for (int i : s.indices()) {
                            perClass[ctx.data().label(i)]++;
                        }
                        assertArrayEquals(ctx.classBudgets(budget), perClass, what + ": " + Arrays.toString(perClass));
                    }
                }
                assertThrows(IllegalArgumentException.class, () -> CoresetMethods.byName(name).select(ctx, 0), name);
                assertThrows(IllegalArgumentException.class, () -> CoresetMethods.byName(name).select(ctx, N + 1), name);
            }
        }
    }

    @Test
    void sameSeedSameSelection() {
        SelectionContext a = Fixtures.trained(N, 3, 5, false);
        SelectionContext b = Fixtures.trained(N, 3, 5, false);
        for (String name : METHODS) {
            Selection x = CoresetMethods.byName(name).select(a, 13);
            Selection y = CoresetMethods.byName(name).select(b, 13);
            assertArrayEquals(x.indices(), y.indices(), name);
            assertArrayEquals(x.weights(), y.weights(), 0, name);
            assertArrayEquals(x.scores(), y.scores(), 0, name);
        }
    }

    @Test
    void fullIgnoresTheBudget() {
        SelectionContext ctx = Fixtures.trained(N, 3, 1, true);
        Selection s = new Full().select(ctx, 5);
        assertEquals(N, s.size());
        assertEquals(0, s.indices()[0]);
        assertEquals(N - 1, s.indices()[N - 1]);
    }
}
