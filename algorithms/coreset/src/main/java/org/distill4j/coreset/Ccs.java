package org.distill4j.coreset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.distill4j.tensor.Generator;

/**
 * Coverage-centric coreset selection (Zheng, Liu, Lai and Prakash, ICLR 2023, "Coverage-centric
 * Coreset Selection for High Pruning Rates", Algorithm 1; reference code
 * haizhongzheng/Coverage-centric-coreset-selection, {@code stratified_sampling}): keep the coverage
 * of the data distribution at high pruning rates by sampling evenly across the range of an
 * importance score instead of taking its top.
 *
 * <ol>
 *   <li>Prune the hardest fraction {@code cutoff} (beta) of the group by {@code cutScore} (the
 *       reference code always cuts by AUM, lowest first; the paper by the importance score). The cut
 *       shrinks if fewer than the budget would be left.</li>
 *   <li>Split the rest into {@code strata} equal-width intervals of {@code score}'s range.</li>
 *   <li>Give the strata their budgets smallest first: each takes {@code min(its size, what is left
 *       / strata left)}, so a sparse stratum is taken whole and its unused share goes to the denser
 *       ones; what integer division leaves over goes one by one to the largest strata with room.</li>
 *   <li>Sample each stratum's budget uniformly without replacement (seeded).</li>
 * </ol>
 *
 * <p>Any method that scores every example and keeps the best-scored ones can be the score
 * (forgetting, EL2N, AUM, GraNd, the uncertainty scores, DeepFool, CAL); "hardest" is what that
 * method keeps first. With class balance each class is cut, stratified and sampled on its share of
 * the budget (the reference code stratifies the whole set; {@code --no-balance} does that). Exact
 * budget, weights 1; the score of a pick is its {@code score}.
 */
public final class Ccs implements CoresetMethod {
    private final ScoreRanking score;
    private final ScoreRanking cutScore;
    private final double cutoff;
    private final int strata;

    /**
     * @param score    the method whose scores are stratified
     * @param cutScore the method whose hardest examples are pruned first
     * @param cutoff   the fraction pruned first, in {@code [0, 1)}
     * @param strata   the number of score intervals
     */
    public Ccs(CoresetMethod score, CoresetMethod cutScore, double cutoff, int strata) {
        this.score = scorer("ccs", score);
        this.cutScore = scorer("ccs", cutScore);
        if (!(cutoff >= 0 && cutoff < 1)) {
            throw new IllegalArgumentException("ccs hard cutoff must be in [0, 1), got " + cutoff);
        }
        if (strata < 1) {
            throw new IllegalArgumentException("ccs needs at least 1 stratum, got " + strata);
        }
        this.cutoff = cutoff;
        this.strata = strata;
    }

    /** {@code m} as a score ranking, or the one-line refusal of a method that ranks no scores. */
    static ScoreRanking scorer(String by, CoresetMethod m) {
        if (m instanceof ScoreRanking r) {
            return r;
        }
        throw new IllegalArgumentException(by + " cannot use '" + m.name() + "' as its score: it does not score every example;"
                + " scores: " + String.join(", ", CoresetMethods.SCORES));
    }

    @Override
    public String name() {
        return "ccs";
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        List<Groups.Group> groups = Groups.of(ctx, budget);
        double[] s = score.scores(ctx);
        Generator gen = ctx.generator(name());
        int[] indices = new int[budget];
        double[] kept = new double[budget];
        int filled = 0;
        int cut = 0;
        for (Groups.Group g : groups) {
            int[] pool = afterCut(ctx, cutScore, g, cutoff);
            cut += g.positions().length - pool.length;
            double[] ps = Groups.at(s, pool);
            int[] picks = stratifiedSample(ps, g.budget(), strata, gen.fork(g.label() + 1L));
            for (int p : picks) {
                indices[filled] = pool[p];
                kept[filled++] = ps[p];
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("score", score.name());
        settings.put("cut_score", cutScore.name());
        settings.put("cutoff", cutoff);
        settings.put("cut", cut);
        settings.put("strata", strata);
        settings.put("balance", ctx.balance());
        return Selection.unweighted(name(), indices, kept, settings);
    }

    /**
     * The group's positions without its {@code floor(cutoff n)} hardest by {@code by} (what that
     * method keeps first, its ties as it breaks them), or fewer so that the budget still fits;
     * ascending.
     */
    static int[] afterCut(SelectionContext ctx, ScoreRanking by, Groups.Group g, double cutoff) {
        int n = g.positions().length;
        int cut = Math.min((int) Math.floor(cutoff * n), n - g.budget());
        if (cut <= 0) {
            return g.positions().clone();
        }
        double[] ties = by.tieBreak(ctx);
        int[] hardest = Groups.top(Groups.at(by.scores(ctx), g.positions()), cut, by.highestFirst(),
                ties == null ? null : Groups.at(ties, g.positions()));
        boolean[] out = new boolean[n];
        for (int h : hardest) {
            out[h] = true;
        }
        int[] rest = new int[n - cut];
        for (int i = 0, j = 0; i < n; i++) {
            if (!out[i]) {
                rest[j++] = g.positions()[i];
            }
        }
        return rest;
    }

    /**
     * {@code k} of the candidates, drawn evenly across {@code strata} equal-width intervals of
     * their scores (the last interval closed), as candidate numbers in stratum order.
     */
    static int[] stratifiedSample(double[] scores, int k, int strata, Generator gen) {
        int n = scores.length;
        if (k > n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "cannot sample %d of %d", k, n));
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : scores) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double step = (max - min) / strata;
        List<List<Integer>> bins = new ArrayList<>();
        for (int b = 0; b < strata; b++) {
            bins.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            int b = step > 0 ? (int) Math.min(strata - 1, Math.floor((scores[i] - min) / step)) : 0;
            bins.get(b).add(i);
        }
        int[] sizes = bins.stream().mapToInt(List::size).toArray();
        int[] budgets = allocate(k, sizes);
        int[] out = new int[k];
        int filled = 0;
        for (int b = 0; b < strata; b++) {
            List<Integer> bin = bins.get(b);
            int[] perm = gen.fork(b).permutation(bin.size());
            for (int j = 0; j < budgets[b]; j++) {
                out[filled++] = bin.get(perm[j]);
            }
        }
        return out;
    }

    /**
     * The reference code's {@code bin_allocate}: strata in ascending size (ties to the lower
     * stratum), each taking {@code min(size, left / strata left)}; then what the integer division
     * left over, one by one to the largest strata with room, so the budgets sum to {@code k}
     * exactly (the reference code can fall short by a few).
     */
    static int[] allocate(int k, int[] sizes) {
        int m = sizes.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> sizes[a] != sizes[b] ? Integer.compare(sizes[a], sizes[b]) : Integer.compare(a, b));
        int[] budgets = new int[m];
        int left = k;
        for (int i = 0; i < m; i++) {
            int b = order[i];
            budgets[b] = Math.min(sizes[b], left / (m - i));
            left -= budgets[b];
        }
        // Sizes sum to at least k, so each round gives at least one.
        while (left > 0) {
            for (int i = m - 1; i >= 0 && left > 0; i--) {
                int b = order[i];
                if (budgets[b] < sizes[b]) {
                    budgets[b]++;
                    left--;
                }
            }
        }
        return budgets;
    }
}
