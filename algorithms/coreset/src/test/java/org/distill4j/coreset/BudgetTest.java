package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.distill4j.tensor.Generator;
import org.junit.jupiter.api.Test;

class BudgetTest {
    @Test
    void proportionalWhenTheRoundingAlreadySums() {
        assertArrayEquals(new int[]{10, 20, 30}, Budget.perClass(new int[]{100, 200, 300}, 60));
    }

    @Test
    void shortfallGoesToTheLargestRemaindersTiesToTheLowerClass() {
        // exact shares 1/3 each of 1: all round to 0; remainders tie, so class 0 gets it.
        assertArrayEquals(new int[]{1, 0, 0}, Budget.perClass(new int[]{5, 5, 5}, 1));
        // exact 2.4, 2.4, 1.2 -> 2, 2, 1 = 5 of 6; remainders .4 .4 .2 -> class 0.
        assertArrayEquals(new int[]{3, 2, 1}, Budget.perClass(new int[]{20, 20, 10}, 6));
    }

    @Test
    void excessIsTakenFromTheSmallestRemainders() {
        // exact 1.5, 1.5, 1.0 round to 2, 2, 1 = 5 of 4; remainders -.5, -.5, 0 -> class 0 gives one back.
        assertArrayEquals(new int[]{1, 2, 1}, Budget.perClass(new int[]{3, 3, 2}, 4));
    }

    @Test
    void neverMoreThanAClassHas() {
        int[] b = Budget.perClass(new int[]{1, 1, 1, 97}, 99);
        assertEquals(99, Arrays.stream(b).sum());
        assertArrayEquals(new int[]{1, 1, 1, 96}, b);
        assertArrayEquals(new int[]{2, 0, 3}, Budget.perClass(new int[]{2, 0, 3}, 5));
    }

    @Test
    void randomCountsAlwaysSumExactlyAndRespectCaps() {
        Generator g = new Generator(5);
        for (int trial = 0; trial < 500; trial++) {
            int classes = 1 + g.nextInt(12);
            int[] counts = new int[classes];
            int n = 0;
            for (int c = 0; c < classes; c++) {
                counts[c] = g.nextInt(40);
                n += counts[c];
            }
            if (n == 0) {
                continue;
            }
            int budget = 1 + g.nextInt(n);
            int[] b = Budget.perClass(counts, budget);
            assertEquals(budget, Arrays.stream(b).sum(), Arrays.toString(counts) + " budget " + budget);
            for (int c = 0; c < classes; c++) {
                assertTrue(b[c] >= 0 && b[c] <= counts[c], Arrays.toString(counts) + " -> " + Arrays.toString(b));
                assertTrue(Math.abs(b[c] - (double) budget * counts[c] / n) < 1.5 + 1e-9, "stays near the proportional share");
            }
        }
    }

    @Test
    void refusesBudgetsOutsideOneToN() {
        assertThrows(IllegalArgumentException.class, () -> Budget.perClass(new int[]{3, 3}, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Budget.perClass(new int[]{3, 3}, 7));
        assertTrue(e.getMessage().contains("7") && e.getMessage().contains("6"), e.getMessage());
    }

    @Test
    void fromFractionRoundsAndKeepsAtLeastOne() {
        assertEquals(600, Budget.fromFraction(0.01, 60000));
        assertEquals(1, Budget.fromFraction(0.001, 100));
        assertEquals(100, Budget.fromFraction(1.0, 100));
        assertEquals(3, Budget.fromFraction(0.25, 10));   // 2.5 rounds up
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Budget.fromFraction(1.5, 10));
        assertEquals("fraction must be in (0, 1], got 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Budget.fromFraction(0, 10));
        assertThrows(IllegalArgumentException.class, () -> Budget.fromFraction(Double.NaN, 10));
    }
}
