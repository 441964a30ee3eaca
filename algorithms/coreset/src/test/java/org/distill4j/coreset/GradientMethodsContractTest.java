package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision-boundary, gradient-matching and submodular methods: exact budget, class balance, same seed same selection. */
class GradientMethodsContractTest {
    private static final List<String> METHODS = List.of("deepfool", "cal", "craig", "gradmatch", "glister",
            "facility-location", "graph-cut", "log-determinant");
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
                    assertTrue(Arrays.stream(s.weights()).allMatch(w -> w > 0 && Double.isFinite(w)), what);
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
        for (boolean balance : new boolean[]{true, false}) {
            SelectionContext a = Fixtures.trained(N, 3, 5, balance);
            SelectionContext b = Fixtures.trained(N, 3, 5, balance);
            for (String name : METHODS) {
                Selection x = CoresetMethods.byName(name).select(a, 13);
                Selection y = CoresetMethods.byName(name).select(b, 13);
                assertArrayEquals(x.indices(), y.indices(), name);
                assertArrayEquals(x.weights(), y.weights(), 0, name);
                assertArrayEquals(x.scores(), y.scores(), 0, name);
            }
        }
    }
}
