package org.distill4j.coreset.submodular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class OptimumBoundTest {
    /** The best value of any k of n elements, by trying every subset. */
    private static double bruteForce(Similarity s, int k) {
        int n = s.size();
        double best = 0;
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) != k) {
                continue;
            }
            FacilityLocation f = new FacilityLocation(s);
            for (int e = 0; e < n; e++) {
                if ((mask & 1 << e) != 0) {
                    f.add(e);
                }
            }
            best = Math.max(best, f.value());
        }
        return best;
    }

    @Test
    void facilityLocationsBoundIsAboveTheOptimumAndTightAtTheOptimum() {
        for (int seed = 0; seed < 6; seed++) {
            Tensor x = Tensor.randn(new Generator(seed), DType.F32, 14, 3);
            Similarity s = Similarity.of(x, Similarity.Kernel.COSINE);
            int k = 3;
            double opt = bruteForce(s, k);
            Greedy.Result greedy = new NaiveGreedy().maximize(new FacilityLocation(s), k);
            double fromGreedy = OptimumBound.afterAdding(new FacilityLocation(s), greedy.order(), k);
            double fromOne = OptimumBound.afterAdding(new FacilityLocation(s), new int[] {seed}, k);
            double fromNothing = OptimumBound.afterAdding(new FacilityLocation(s), new int[0], k);
            assertTrue(opt <= fromGreedy + 1e-9, seed + ": " + opt + " > " + fromGreedy);
            assertTrue(opt <= fromOne + 1e-9, seed + ": " + opt + " > " + fromOne);
            assertTrue(opt <= fromNothing + 1e-9, seed + ": " + opt + " > " + fromNothing);
            double greedyValue = 0;
            for (double g : greedy.gains()) {
                greedyValue += g;
            }
            // From the greedy's own set the bound is close: within the (1 - 1/e) guarantee, and here far closer.
            assertTrue(greedyValue >= (1 - 1 / Math.E) * fromGreedy, seed + ": " + greedyValue + " vs " + fromGreedy);
        }
        // From the optimal set of a problem with k = n - 1, nothing is left to add beyond one element.
        Tensor x = Tensor.randn(new Generator(7), DType.F32, 5, 2);
        Similarity s = Similarity.of(x, Similarity.Kernel.COSINE);
        FacilityLocation all = new FacilityLocation(s);
        assertEquals(bruteForce(s, 5), OptimumBound.afterAdding(all, new int[] {0, 1, 2, 3, 4}, 5), 1e-9);
    }
}
