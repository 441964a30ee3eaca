package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.distill4j.tensor.Generator;
import org.junit.jupiter.api.Test;

class ImportanceSamplingTest {
    @Test
    void oneClusterSensitivityMatchesTheBound() {
        // One cluster around a single center: s(x) = a d^2 / c + 2a + 4, a = 16 (ln 1 + 2) = 32, c = mean d^2.
        double[][] x = {{0}, {1}, {2}, {4}};
        NearestCenters d = NearestCenters.squaredEuclidean(Fixtures.table(x));
        d.add(0);
        double[] q = ImportanceSampling.sensitivities(d, 1);
        double c = (0 + 1 + 4 + 16) / 4.0;
        double[] s = new double[4];
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            s[i] = 32 * x[i][0] * x[i][0] / c + 64 + 4;
            sum += s[i];
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(s[i] / sum, q[i], 1e-12, "q of " + i);
        }
    }

    @Test
    void aSingleDrawFollowsTheSamplingDistribution() {
        double[] q = {0.1, 0.6, 0.3};
        int[] hits = new int[3];
        int trials = 3000;
        for (int t = 0; t < trials; t++) {
            ImportanceSampling.Draw d = ImportanceSampling.draw(q, 1, new Generator(t));
            hits[d.picks()[0]]++;
            assertEquals(1 / q[d.picks()[0]], d.weights()[0], 1e-12, "one draw: weight 1 / (m q) with m = 1");
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(q[i], hits[i] / (double) trials, 0.03, "frequency of " + i + ": " + Arrays.toString(hits));
        }
    }

    @Test
    void repeatsAreMergedIntoWeightsAndTheBudgetIsExact() {
        double[] q = {0.7, 0.1, 0.1, 0.05, 0.05};
        ImportanceSampling.Draw d = ImportanceSampling.draw(q, 4, new Generator(3));
        assertEquals(4, Arrays.stream(d.picks()).distinct().count());
        assertTrue(d.draws() >= 4);
        double total = 0;
        for (int j = 0; j < 4; j++) {
            total += d.weights()[j] * d.draws() * q[d.picks()[j]];
        }
        assertEquals(d.draws(), total, 1e-9, "the weights account for every draw: sum r = m");
    }

    @Test
    void weightsEstimateTheSetSize() {
        SelectionContext ctx = Fixtures.trained(60, 3, 2, true);
        double mean = 0;
        int runs = 40;
        for (int seed = 0; seed < runs; seed++) {
            SelectionContext c = new SelectionContext(ctx.data(), ctx.model(), ctx.params(), null, seed, true);
            Selection s = new ImportanceSampling().select(c, 12);
            assertEquals(12, s.size());
            mean += Arrays.stream(s.weights()).sum() / runs;
        }
        assertEquals(60, mean, 60 * 0.15, "the weights of a sensitivity sample sum to about N on average");
    }
}
