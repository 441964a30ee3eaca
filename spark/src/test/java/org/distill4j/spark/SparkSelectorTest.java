package org.distill4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.distill4j.coreset.Budget;
import org.distill4j.coreset.CoverageStrata;
import org.distill4j.coreset.Herding;
import org.distill4j.coreset.KCenterGreedy;
import org.distill4j.coreset.LeastConfidence;
import org.distill4j.coreset.Objective;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.junit.jupiter.api.Test;

/** Each distributed method against the single-machine one on the same rows. */
class SparkSelectorTest {
    private static final SparkTestData DATA = new SparkTestData(1200, 6, 3, 11);

    private static SparkSelector.Result spark(String method, int budget, boolean balance, int partitions) {
        return SparkSelector.select(DATA.rdd(3), SparkSelector.Config.of(method, budget, balance, 5, partitions));
    }

    @Test
    void leastConfidenceIsExactlyTheSingleMachineSelectionForAnyPartitioning() {
        for (boolean balance : new boolean[]{true, false}) {
            Selection one = new LeastConfidence().select(DATA.context(balance, 5), 40);
            for (int p : balance ? new int[]{1, 7} : new int[]{4}) {
                Selection s = spark("least-confidence", 40, balance, p).selection();
                assertArrayEquals(one.indices(), s.indices(), "balance " + balance + ", " + p + " partitions");
                assertArrayEquals(one.scores(), s.scores(), 0.0);
            }
        }
    }

    @Test
    void ccsIsExactlyCoverageStrataOnTheSameScores() {
        int[] expected = CoverageStrata.select(DATA.scores, 60, 0.1, CoverageStrata.DEFAULT_STRATA, 5);
        for (int p : new int[]{2, 5}) {
            assertArrayEquals(expected, spark("ccs", 60, false, p).selection().indices(), p + " partitions");
        }
    }

    @Test
    void uniformMeetsEachClassBudgetAndFollowsTheSeedNotThePartitioning() {
        SparkSelector.Result r = spark("uniform", 30, true, 4);
        assertArrayEquals(Budget.perClass(r.classCounts(), 30), r.perClass());
        assertArrayEquals(r.selection().indices(), spark("uniform", 30, true, 2).selection().indices());
        SparkSelector.Result other = SparkSelector.select(DATA.rdd(3), SparkSelector.Config.of("uniform", 30, true, 6, 4));
        assertFalse(Arrays.equals(r.selection().indices(), other.selection().indices()));
    }

    @Test
    void greediFacilityLocationIsNearTheSingleMachineGreedyAndItsObjectiveIsTheSingleMachineOne() {
        SelectionContext ctx = DATA.context(true, 5);
        var fl = Composable.submodular("facility-location");
        Objective.Value single = fl.objective(ctx, fl.select(ctx, 30).indices());
        for (int p : new int[]{2, 6}) {
            SparkSelector.Result r = spark("facility-location", 30, true, p);
            Objective.Value same = fl.objective(ctx, r.selection().indices());
            assertEquals(same.value(), r.objective().value(), 1e-6 * same.value(), "the distributed objective");
            assertTrue(same.relativeTo(single) >= 0.95, "GreeDi on " + p + " partitions: " + same.relativeTo(single));
        }
    }

    @Test
    void graphCutAndLogDeterminantObjectivesAreTheSingleMachineOnes() {
        SelectionContext ctx = DATA.context(true, 5);
        for (String f : new String[]{"graph-cut", "log-determinant"}) {
            var m = Composable.submodular(f);
            SparkSelector.Result r = spark(f, 24, true, 4);
            assertEquals(24, r.selection().size());
            double expected = m.objective(ctx, r.selection().indices()).value();
            assertEquals(expected, r.objective().value(), 1e-6 * Math.abs(expected), f);
            double single = m.objective(ctx, m.select(ctx, 24).indices()).value();
            assertTrue(r.objective().value() >= 0.95 * single, f + ": " + r.objective().value() + " vs " + single);
        }
    }

    @Test
    void twoRoundKCenterRadiusIsWithinItsGuaranteeAndMeasuredAsOnOneMachine() {
        for (boolean balance : new boolean[]{true, false}) {
            SelectionContext ctx = DATA.context(balance, 5);
            KCenterGreedy k = new KCenterGreedy();
            double single = k.objective(ctx, k.select(ctx, 30).indices()).value();
            SparkSelector.Result r = spark("kcenter", 30, balance, 5);
            assertEquals(k.objective(ctx, r.selection().indices()).value(), r.objective().value(), 1e-5);
            // Greedy is within 2 of the optimum, the two rounds within 4: so within 4 of greedy's radius.
            assertTrue(r.objective().value() <= 4 * single, r.objective().value() + " vs " + single);
        }
    }

    @Test
    void herdingOnPartitionCandidatesReportsTheExactMomentDistance() {
        SelectionContext ctx = DATA.context(true, 5);
        Herding h = new Herding();
        SparkSelector.Result r = spark("herding", 30, true, 4);
        assertEquals(h.objective(ctx, r.selection().indices()).value(), r.objective().value(), 1e-5);
        double single = h.objective(ctx, h.select(ctx, 30).indices()).value();
        double uniform = h.objective(ctx, spark("uniform", 30, true, 4).selection().indices()).value();
        assertTrue(r.objective().value() < uniform, "herding's candidates beat a uniform pick: " + r.objective().value()
                + " vs " + uniform + " (one machine " + single + ")");
    }

    @Test
    void importanceSamplingDrawsExactlyTheBudgetWithWeightsOneOverMq() {
        SparkSelector.Result r = spark("importance", 60, true, 4);
        Selection s = r.selection();
        assertTrue(s.size() <= 60 && s.size() > 30, "distinct rows " + s.size());
        double[] w = s.weights();
        double[] q = s.scores();
        int[] budgets = Budget.perClass(r.classCounts(), 60);
        // weight = r / (m q): per class, sum of w q = (sum of repeats) / m = 1.
        double[] perClass = new double[3];
        for (int i = 0; i < w.length; i++) {
            perClass[r.labels()[i]] += w[i] * q[i];
            assertTrue(Math.abs(w[i] * q[i] * budgets[r.labels()[i]] - Math.rint(w[i] * q[i] * budgets[r.labels()[i]])) < 1e-9);
        }
        for (double v : perClass) {
            assertEquals(1.0, v, 1e-9);
        }
        assertArrayEquals(s.indices(), spark("importance", 60, true, 4).selection().indices());
    }

    @Test
    void aTaskThatFailsOnceAndIsRetriedGivesTheSameSelection() {
        Selection clean = spark("facility-location", 20, true, 3).selection();
        SparkSelector.failFirstAttemptForTest = true;
        try {
            Selection retried = spark("facility-location", 20, true, 3).selection();
            assertArrayEquals(clean.indices(), retried.indices());
            assertArrayEquals(clean.scores(), retried.scores(), 0.0);
        } finally {
            SparkSelector.failFirstAttemptForTest = false;
        }
    }
}
