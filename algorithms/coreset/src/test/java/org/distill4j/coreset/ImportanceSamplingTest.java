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
    void withReplacementMakesExactlyMDrawsAndMergesRepeats() {
        double[] q = {0.7, 0.1, 0.1, 0.05, 0.05};
        ImportanceSampling.Draw d = ImportanceSampling.draw(q, 4, new Generator(3));
        assertEquals(4, d.draws());
        assertTrue(d.picks().length <= 4);
        assertEquals(d.picks().length, Arrays.stream(d.picks()).distinct().count());
        double total = 0;
        for (int j = 0; j < d.picks().length; j++) {
            total += d.weights()[j] * d.draws() * q[d.picks()[j]];
        }
        assertEquals(4, total, 1e-9, "the weights account for every draw: sum r = m");
    }

    /**
     * A fixed function of the examples (roughly in proportion to the sensitivities below, as a loss
     * is to its bound) and its sum, which every sample's weighted sum estimates.
     */
    private static final double[] F = {1.2, 1.5, 3.6, 3.0, 6.5, 0.8, 1.4, 8.0, 2.6, 27.0};

    private static double truth() {
        return Arrays.stream(F).sum();
    }

    @Test
    void bothWaysOfDrawingEstimateASumWithoutBias() {
        double[] s = {1, 2, 3, 4, 5, 1, 1, 9, 2, 30};   // the last is taken for certain at m = 4 by the fixed-size sample
        double[] p = new double[s.length];
        double total = Arrays.stream(s).sum();
        for (int i = 0; i < s.length; i++) {
            p[i] = s[i] / total;
        }
        int m = 4;
        int runs = 10000;
        for (boolean fixed : new boolean[]{true, false}) {
            double sum = 0;
            double sumSq = 0;
            for (int r = 0; r < runs; r++) {
                Generator gen = new Generator(1000 + r);
                ImportanceSampling.Draw d = fixed ? ImportanceSampling.fixedSize(p, m, gen) : ImportanceSampling.draw(p, m, gen);
                double estimate = 0;
                for (int j = 0; j < d.picks().length; j++) {
                    estimate += d.weights()[j] * F[d.picks()[j]];
                }
                sum += estimate;
                sumSq += estimate * estimate;
            }
            double mean = sum / runs;
            double sd = Math.sqrt((sumSq - runs * mean * mean) / (runs - 1));
            // The mean of 10,000 independent estimates is within 4 standard errors of its expectation
            // (a false alarm once in about 16,000 seeds); a bias of 5% of the sum would be far outside.
            double se = sd / Math.sqrt(runs);
            assertTrue(Math.abs(mean - truth()) < 4 * se, (fixed ? "fixed size" : "with replacement") + ": mean " + mean
                    + " vs " + truth() + " (standard error " + se + ")");
            assertTrue(4 * se < 0.05 * Math.abs(truth()), "the test can see a 5% bias: se " + se);
        }
    }

    @Test
    void theFixedSizeSampleHasExactlyMDistinctExamplesWithInclusionProbabilityMP() {
        double[] p = {0.05, 0.1, 0.15, 0.2, 0.5};   // m p = 1.5 for the last at m = 3: taken for certain
        int m = 3;
        double[] pi = ImportanceSampling.inclusion(p, m);
        assertEquals(1.0, pi[4], 0);
        double rest = 0.5;
        for (int i = 0; i < 4; i++) {
            assertEquals((m - 1) * p[i] / rest, pi[i], 1e-12, "rescaled below the certain one: " + i);
        }
        assertEquals(m, Arrays.stream(pi).sum(), 1e-12);
        int runs = 20000;
        int[] hits = new int[5];
        for (int r = 0; r < runs; r++) {
            ImportanceSampling.Draw d = ImportanceSampling.fixedSize(p, m, new Generator(r));
            assertEquals(m, d.picks().length);
            assertEquals(m, Arrays.stream(d.picks()).distinct().count(), "distinct");
            for (int j = 0; j < m; j++) {
                hits[d.picks()[j]]++;
                assertEquals(1 / pi[d.picks()[j]], d.weights()[j], 1e-12, "weight 1 / pi");
            }
        }
        for (int i = 0; i < 5; i++) {
            double f = hits[i] / (double) runs;
            double se = Math.sqrt(pi[i] * (1 - pi[i]) / runs);
            assertEquals(pi[i], f, 4 * se + 1e-12, "inclusion frequency of " + i + ": " + Arrays.toString(hits));
        }
    }

    @Test
    void theLossBoundIsEachExamplesLargestShareOfTheLossOverTheSelectionModelsEpochs() {
        SelectionContext ctx = Fixtures.trained(60, 3, 2, true);
        TrainingDynamics dyn = ctx.dynamics();
        Selection s = new ImportanceSampling().select(ctx, 12);
        assertEquals(12, s.size());
        assertEquals("loss", s.settings().get("bound"));
        for (int j = 0; j < s.size(); j++) {
            int i = s.indices()[j];
            int[] group = ctx.classIndices(ctx.data().label(i));
            // s(x) = max_t l_t(x) / mean_group l_t, p = s / sum s, recomputed here from the recorded losses.
            double[] sens = new double[group.length];
            for (int t = 0; t <= dyn.epochs(); t++) {
                float[] l = dyn.loss(t);
                double mean = 0;
                for (int g : group) {
                    mean += l[g] / group.length;
                }
                for (int k = 0; k < group.length; k++) {
                    sens[k] = Math.max(sens[k], l[group[k]] / mean);
                }
            }
            double total = Arrays.stream(sens).sum();
            int at = Arrays.binarySearch(group, i);
            double p = sens[at] / total;
            assertEquals(p, s.scores()[j], 1e-9, "p proportional to s for example " + i);
            int m = ctx.classBudgets(12)[ctx.data().label(i)];
            if (m * p < 1) {
                assertEquals(1 / (m * p), s.weights()[j], 1e-6 / (m * p), "weight 1 / (m p)");
            }
        }
        Selection g = new ImportanceSampling(ImportanceSampling.Bound.GRADIENT_NORM, ImportanceSampling.Draws.FIXED_SIZE, 10)
                .select(ctx, 12);
        assertEquals("gradient-norm", g.settings().get("bound"));
        Selection r = new ImportanceSampling(ImportanceSampling.Bound.LOSS, ImportanceSampling.Draws.WITH_REPLACEMENT, 10)
                .select(ctx, 12);
        assertEquals(12L, r.settings().get("m"));
        assertTrue(r.size() <= 12);
    }

    @Test
    void weightsEstimateTheSetSize() {
        SelectionContext ctx = Fixtures.trained(60, 3, 2, true);
        ctx.dynamics();
        for (ImportanceSampling.Bound bound : ImportanceSampling.Bound.values()) {
            double mean = 0;
            int runs = 40;
            for (int seed = 0; seed < runs; seed++) {
                Selection s = new ImportanceSampling(bound, ImportanceSampling.Draws.FIXED_SIZE, 10).select(ctx.withSeed(seed), 12);
                assertEquals(12, s.size());
                mean += Arrays.stream(s.weights()).sum() / runs;
            }
            assertEquals(60, mean, 60 * 0.15, bound + ": the weights of a sensitivity sample sum to about N on average");
        }
    }
}
