package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CoverageStrataTest {
    @Test
    void smallBinsKeepAllTheyHaveAndTheRestIsSharedEvenly() {
        // Budget 30 over bins of 2, 5, 40, 40: 2 and 5 are kept whole, 23 left for two bins: 11 and 12.
        long[] share = CoverageStrata.allocate(new long[]{40, 2, 40, 5}, 30);
        assertEquals(30, Arrays.stream(share).sum());
        assertEquals(2, share[1]);
        assertEquals(5, share[3]);
        assertEquals(23, share[0] + share[2]);
        assertTrue(Math.abs(share[0] - share[2]) <= 1);
        assertArrayEquals(new long[]{0, 3, 0}, CoverageStrata.allocate(new long[]{0, 9, 0}, 3));
    }

    @Test
    void theHardestFractionIsNeverSelectedAndEachStratumGetsItsShare() {
        int n = 1000;
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = (i * 7919 % 1000) / 10.0; // 0.0 .. 99.9, each once
        }
        int[] picked = CoverageStrata.select(scores, 100, 0.1, 10, 5);
        assertEquals(100, picked.length);
        int[] perStratum = new int[10];
        for (int i : picked) {
            assertTrue(scores[i] < 90.0, "score " + scores[i] + " is among the hardest 10%");
            perStratum[CoverageStrata.stratum(scores[i], 0.0, 89.9, 10)]++;
        }
        for (int b = 0; b < 10; b++) {
            assertEquals(10, perStratum[b], "stratum " + b);
        }
        assertArrayEquals(picked, CoverageStrata.select(scores, 100, 0.1, 10, 5));
        assertFalse(Arrays.equals(picked, CoverageStrata.select(scores, 100, 0.1, 10, 6)), "another seed draws others");
    }

    @Test
    void refusesWhatItCannotDo() {
        double[] s = {1, 2, 3, 4};
        assertThrows(IllegalArgumentException.class, () -> CoverageStrata.select(s, 4, 0.5, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> CoverageStrata.select(s, 1, 1.0, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> CoverageStrata.select(s, 1, 0.0, 0, 0));
    }
}
