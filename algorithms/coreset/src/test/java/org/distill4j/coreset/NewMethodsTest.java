package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.distill4j.tensor.Generator;
import org.junit.jupiter.api.Test;

/** The methods after DeepCore: AUM, CCS, Moderate, D2 pruning, prototypes; each on the property that defines it. */
class NewMethodsTest {
    @Test
    void ccsGivesSparseStrataTheirWholeShareAndTheRestToDenseOnes() {
        // Sorted by size: 0 -> 0, 1 -> min(1, 8/3) = 1, 4 -> min(4, 7/2) = 3, 10 -> min(10, 4) = 4.
        assertArrayEquals(new int[]{1, 0, 4, 3}, Ccs.allocate(8, new int[]{1, 0, 10, 4}));
        for (int k = 1; k <= 15; k++) {
            int[] b = Ccs.allocate(k, new int[]{1, 0, 10, 4});
            assertEquals(k, Arrays.stream(b).sum(), "exact budget " + k);
            assertTrue(b[0] <= 1 && b[1] == 0 && b[2] <= 10 && b[3] <= 4, Arrays.toString(b));
        }
    }

    @Test
    void ccsCoversTheScoreRangeWhereATopCutWouldNot() {
        // 90 examples with scores in [0, 1), 10 with scores in [9, 10]: ten strata, budget 20.
        double[] scores = new double[100];
        Generator gen = new Generator(5);
        for (int i = 0; i < 100; i++) {
            scores[i] = i < 90 ? gen.nextDouble() : 9 + gen.nextDouble();
        }
        int[] picks = Ccs.stratifiedSample(scores, 20, 10, new Generator(1));
        assertEquals(20, picks.length);
        assertEquals(20, Arrays.stream(picks).distinct().count());
        long high = Arrays.stream(picks).filter(i -> i >= 90).count();
        assertEquals(10, high, "the sparse stratum gets its even share (10), not its 10% (2)");
    }

    /** Three classes, 20 examples each, with hand-made softmax outputs: entropy rises with the index inside a class. */
    private static SelectionContext entropyContext(boolean balance) {
        int n = 60;
        int[] labels = new int[n];
        double[][] emb = new double[n][];
        double[][] probs = new double[n][];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            double conf = 0.98 - 0.6 * (i / 3) / 20.0;
            probs[i] = new double[3];
            Arrays.fill(probs[i], (1 - conf) / 2);
            probs[i][labels[i]] = conf;
            emb[i] = new double[]{i, labels[i]};
        }
        return Fixtures.context(labels, 3, emb, probs, null, 4, balance);
    }

    @Test
    void ccsPrunesTheHardestFirstThenStratifies() {
        SelectionContext ctx = entropyContext(true);
        double[] entropy = new Entropy().scores(ctx);
        Ccs ccs = new Ccs(new Entropy(), new Entropy(), 0.25, 4);
        Selection s = ccs.select(ctx, 12);
        assertEquals(12, s.size());
        assertEquals(15, s.settings().get("cut"), "floor(0.25 * 20) = 5 per class");
        for (int c = 0; c < 3; c++) {
            int[] members = ctx.classIndices(c);
            double[] e = Groups.at(entropy, members);
            int[] hardest = Groups.top(e, 5, true, null);
            Set<Integer> cut = new HashSet<>();
            for (int h : hardest) {
                cut.add(members[h]);
            }
            for (int i : s.indices()) {
                assertFalse(cut.contains(i), "example " + i + " is among its class's 25% hardest");
            }
        }
        // The cut shrinks when the budget would not fit in what is left.
        Selection all = new Ccs(new Entropy(), new Entropy(), 0.5, 4).select(ctx, 54);
        assertEquals(54, all.size());
        assertEquals(6, all.settings().get("cut"));
    }

    @Test
    void ccsAndD2RefuseAScoreTheyCannotUseInOneLine() {
        SelectionOptions o = SelectionOptions.defaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoresetMethods.byName("ccs", o.withCcs(new SelectionOptions.Ccs("kcenter", "aum", 0.3, 50))));
        assertTrue(e.getMessage().startsWith("ccs cannot use 'kcenter' as its score"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        e = assertThrows(IllegalArgumentException.class,
                () -> CoresetMethods.byName("d2-pruning", o.withD2(new SelectionOptions.D2("forgeting", "aum", 0.4, 5, 1, 0.1))));
        assertTrue(e.getMessage().startsWith("d2-pruning: unknown score 'forgeting'; scores: "), e.getMessage());
        assertTrue(CoresetMethods.SCORES.containsAll(java.util.List.of("forgetting", "el2n", "grand", "aum", "entropy",
                "deepfool", "cal")), CoresetMethods.SCORES.toString());
        assertFalse(CoresetMethods.SCORES.contains("ccs"));
    }

    @Test
    void moderateKeepsTheDistancesNearestTheMedianDistance() {
        // Class 0: embeddings 0..9 on a line (median 4.5); class 1: the same shifted, so each class has its own median.
        int n = 20;
        int[] labels = new int[n];
        double[][] emb = new double[n][];
        double[][] probs = new double[n][];
        for (int i = 0; i < n; i++) {
            labels[i] = i / 10;
            emb[i] = new double[]{i % 10 + 100 * labels[i], 7};
            probs[i] = new double[]{0.5, 0.5};
        }
        SelectionContext ctx = Fixtures.context(labels, 2, emb, probs, null, 0, true);
        double[] d = Moderate.distances(ctx);
        for (int i = 0; i < n; i++) {
            assertEquals(Math.abs(i % 10 - 4.5), d[i], 1e-6, "distance to the class median of " + i);
        }
        Selection s = new Moderate().select(ctx, 8);
        // Distances sorted: 0.5 (4, 5), 1.5 (3, 6), 2.5 (2, 7), 3.5 (1, 8), 4.5 (0, 9); the middle 4 of 10 start at rank 3.
        int[] expected = {6, 2, 7, 1, 16, 12, 17, 11};
        assertArrayEquals(expected, s.indices());
        assertArrayEquals(new double[]{1.5, 2.5, 2.5, 3.5, 1.5, 2.5, 2.5, 3.5}, s.scores(), 1e-6);
    }

    @Test
    void d2PassesMessagesForwardAndChoosesAwayFromWhatItTook() {
        // Two tight clusters: A (five points, difficulty 1) and B (five points, difficulty 0.5), far apart.
        int n = 10;
        float[] x = new float[n * 2];
        double[] diff = new double[n];
        for (int i = 0; i < n; i++) {
            boolean a = i < 5;
            x[2 * i] = (a ? 0 : 50) + 0.01f * i;
            x[2 * i + 1] = 0.01f * (i % 5);
            diff[i] = a ? 1.0 : 0.5;
        }
        D2Pruning.Graph g = D2Pruning.Graph.of(org.distill4j.tensor.Tensor.fromFloats(x, n, 2), 4);
        for (int u = 0; u < n; u++) {
            final int from = u;
            for (int v : g.neighbours()[u]) {
                assertEquals(u < 5, v < 5, "neighbours stay in their cluster");
                boolean back = Arrays.stream(g.neighbours()[v]).anyMatch(w -> w == from);
                assertTrue(back, "undirected");
            }
        }
        double[] fwd = D2Pruning.forward(g, diff, 1.0);
        for (int u = 0; u < n; u++) {
            double m = diff[u];
            for (int t = 0; t < g.neighbours()[u].length; t++) {
                m += Math.exp(-g.distances()[u][t]) * diff[g.neighbours()[u][t]];
            }
            assertEquals(m, fwd[u], 1e-12);
        }
        double[] at = new double[2];
        int[] picks = D2Pruning.reverse(g, fwd, 2, 0.1, at);
        assertTrue(picks[0] < 5, "the hardest dense region first");
        assertTrue(picks[1] >= 5, "then the other cluster: its neighbours were lowered, " + Arrays.toString(picks));
        // Without reverse messages (a huge gamma makes them vanish) the two hardest would come from A.
        int[] plain = D2Pruning.reverse(g, fwd, 2, 1e9, new double[2]);
        assertTrue(plain[0] < 5 && plain[1] < 5, Arrays.toString(plain));
    }

    @Test
    void prototypesKeepTheNearestWhenScarceAndTheFarthestWhenPlentiful() {
        // Three well separated blobs; within each, points at growing distance from the blob's mean.
        int n = 30;
        int[] labels = new int[n];
        double[][] emb = new double[n][];
        double[][] probs = new double[n][];
        double[][] centres = {{0, 0}, {100, 0}, {0, 100}};
        for (int i = 0; i < n; i++) {
            int b = i % 3;
            int r = i / 3;   // 0..9
            double sign = r % 2 == 0 ? 1 : -1;
            labels[i] = i % 2;
            emb[i] = new double[]{centres[b][0] + sign * r, centres[b][1]};
            probs[i] = new double[]{0.5, 0.5};
        }
        SelectionContext ctx = Fixtures.context(labels, 2, emb, probs, null, 3, false);
        double[] d = PrototypePruning.distances(ctx.embeddings(), 3, new Generator(2));
        for (int i = 0; i < n; i++) {
            int b = i % 3;
            double mean = 0;
            for (int j = b; j < n; j += 3) {
                mean += emb[j][0] / 10;
            }
            assertEquals(Math.abs(emb[i][0] - mean), d[i], 1e-3, "distance to the blob's centroid of " + i);
        }
        Selection easy = new PrototypePruning(3, PrototypePruning.Keep.AUTO).select(ctx, 6);
        assertEquals("easy", easy.settings().get("kept"));
        Selection hard = new PrototypePruning(3, PrototypePruning.Keep.AUTO).select(ctx, 15);
        assertEquals("hard", hard.settings().get("kept"));
        double maxEasy = Arrays.stream(easy.scores()).max().orElseThrow();
        double minHard = Arrays.stream(hard.scores()).min().orElseThrow();
        double[] sorted = d.clone();
        Arrays.sort(sorted);
        assertEquals(sorted[5], maxEasy, 1e-9, "the 6 nearest their prototype");
        assertEquals(sorted[15], minHard, 1e-9, "the 15 farthest");
    }

    @Test
    void aumIsTheMeanMarginOverTheEpochsLowestFirst() {
        SelectionContext ctx = Fixtures.trained(30, 3, 6, false);
        TrainingDynamics dyn = ctx.dynamics();
        double[] aum = new Aum().scores(ctx);
        for (int i = 0; i < 30; i++) {
            double m = 0;
            for (int t = 1; t <= dyn.epochs(); t++) {
                m += dyn.margin(t)[i] / dyn.epochs();
            }
            assertEquals(m, aum[i], 1e-5, "AUM of " + i);
        }
        Selection s = new Aum().select(ctx, 1);
        double min = Arrays.stream(aum).min().orElseThrow();
        assertEquals(min, s.scores()[0], 0);
        assertTrue(CoresetMethods.needsDynamics("aum", SelectionOptions.defaults()));
        assertTrue(CoresetMethods.needsDynamics("ccs", SelectionOptions.defaults()));
        assertFalse(CoresetMethods.needsDynamics("kcenter", SelectionOptions.defaults()));
    }
}
