package org.distill4j.coreset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Tensor;

/**
 * D2 pruning (Maharana, Yadav and Bansal, ICLR 2024, "D2 Pruning: Message Passing for Balancing
 * Diversity and Difficulty in Data Pruning"; reference code adymaharana/d2pruning,
 * {@code GraphDensitySampler} with {@code graph_mode='sum'}, {@code graph_sampling_mode='weighted'}):
 *
 * <ol>
 *   <li>Prune the hardest fraction {@code cutoff} of the group by {@code cutScore} first, as CCS
 *       does (the reference code's {@code mis_ratio}, cut by AUM).</li>
 *   <li>Graph: the k nearest neighbours of each example by Euclidean distance {@code d} between
 *       embeddings (the selection model's penultimate features), made undirected as the reference
 *       code's dense graph is; node features: the difficulty {@code s(u)} of {@code score}, shifted
 *       so that the easiest example of the group has 0 and larger is harder (at least 1e-7 on an
 *       edge, as in the reference code).</li>
 *   <li>Forward message passing: {@code s'(u) = s(u) + sum_{v ~ u} exp(-gamma_f d(u, v)) s(v)}:
 *       an example in a dense region of hard examples is worth more.</li>
 *   <li>Selection with reverse message passing: take the unselected example with the largest
 *       {@code s'}, then lower every neighbour {@code v} by {@code exp(-gamma_r d(u, v)) s'(u)}, so
 *       that its neighbourhood is less likely to be taken next (diversity); repeat until the budget
 *       is met.</li>
 * </ol>
 *
 * <p>With class balance each class runs on its share of the budget (the reference code's
 * {@code --label-balanced}); without, one graph over the whole set. Exact budget, weights 1; the
 * score of a pick is its {@code s'} when it was taken. Ties go to the lower index.
 */
public final class D2Pruning implements CoresetMethod {
    private static final double EDGE_FLOOR = 1e-7;
    private final ScoreRanking score;
    private final ScoreRanking cutScore;
    private final double cutoff;
    private final int neighbours;
    private final double forwardGamma;
    private final double reverseGamma;

    public D2Pruning(CoresetMethod score, CoresetMethod cutScore, double cutoff, int neighbours, double forwardGamma,
                     double reverseGamma) {
        this.score = Ccs.scorer("d2-pruning", score);
        this.cutScore = Ccs.scorer("d2-pruning", cutScore);
        if (!(cutoff >= 0 && cutoff < 1)) {
            throw new IllegalArgumentException("d2-pruning hard cutoff must be in [0, 1), got " + cutoff);
        }
        if (neighbours < 1) {
            throw new IllegalArgumentException("d2-pruning needs at least 1 neighbour, got " + neighbours);
        }
        if (!(forwardGamma >= 0) || !(reverseGamma >= 0)) {
            throw new IllegalArgumentException("d2-pruning gammas must be >= 0, got " + forwardGamma + " and " + reverseGamma);
        }
        this.cutoff = cutoff;
        this.neighbours = neighbours;
        this.forwardGamma = forwardGamma;
        this.reverseGamma = reverseGamma;
    }

    @Override
    public String name() {
        return "d2-pruning";
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        List<Groups.Group> groups = Groups.of(ctx, budget);
        double[] raw = score.scores(ctx);
        int[] indices = new int[budget];
        double[] kept = new double[budget];
        int filled = 0;
        int cut = 0;
        for (Groups.Group g : groups) {
            int[] pool = Ccs.afterCut(ctx, cutScore, g, cutoff);
            cut += g.positions().length - pool.length;
            double[] s = difficulty(Groups.at(raw, pool), score.highestFirst());
            Tensor h = Indexing.indexSelect(ctx.embeddings(), 0, Tensor.fromInts(pool, pool.length));
            Graph graph = Graph.of(h, neighbours);
            double[] density = forward(graph, s, forwardGamma);
            double[] at = new double[g.budget()];
            int[] picks = reverse(graph, density, g.budget(), reverseGamma, at);
            for (int i = 0; i < picks.length; i++) {
                indices[filled] = pool[picks[i]];
                kept[filled++] = at[i];
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("score", score.name());
        settings.put("cut_score", cutScore.name());
        settings.put("cutoff", cutoff);
        settings.put("cut", cut);
        settings.put("neighbours", neighbours);
        settings.put("forward_gamma", forwardGamma);
        settings.put("reverse_gamma", reverseGamma);
        settings.put("features", "embeddings");
        settings.put("balance", ctx.balance());
        return Selection.unweighted(name(), indices, kept, settings);
    }

    /** Scores as difficulties: 0 for the easiest of the group, larger for harder ({@code highestFirst}: larger is harder). */
    static double[] difficulty(double[] scores, boolean highestFirst) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : scores) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double[] d = new double[scores.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = highestFirst ? scores[i] - min : max - scores[i];
        }
        return d;
    }

    /** An undirected k-nearest-neighbour graph: each node's neighbours and the distances to them. */
    record Graph(int[][] neighbours, double[][] distances) {
        /** The union of every row's {@code k} nearest other rows of {@code h}, with Euclidean distances. */
        static Graph of(Tensor h, int k) {
            int n = h.dim(0);
            int e = h.dim(1);
            float[] x = h.toFloatArray();
            int[][] knn = n > 1 ? Cal.nearestNeighbours(h, k) : new int[][]{new int[0]};
            List<List<Integer>> adj = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                adj.add(new ArrayList<>());
            }
            for (int i = 0; i < n; i++) {
                for (int j : knn[i]) {
                    if (!adj.get(i).contains(j)) {
                        adj.get(i).add(j);
                    }
                    if (!adj.get(j).contains(i)) {
                        adj.get(j).add(i);
                    }
                }
            }
            int[][] nb = new int[n][];
            double[][] dist = new double[n][];
            for (int i = 0; i < n; i++) {
                List<Integer> a = adj.get(i);
                a.sort(null);
                nb[i] = a.stream().mapToInt(Integer::intValue).toArray();
                dist[i] = new double[nb[i].length];
                for (int t = 0; t < nb[i].length; t++) {
                    double s = 0;
                    int j = nb[i][t];
                    for (int c = 0; c < e; c++) {
                        double diff = (double) x[i * e + c] - x[j * e + c];
                        s += diff * diff;
                    }
                    dist[i][t] = Math.sqrt(s);
                }
            }
            return new Graph(nb, dist);
        }
    }

    /** {@code s'(u) = s(u) + sum_{v ~ u} exp(-gamma d(u, v)) max(s(v), 1e-7)}. */
    static double[] forward(Graph g, double[] s, double gamma) {
        double[] out = new double[s.length];
        for (int u = 0; u < s.length; u++) {
            double m = s[u];
            for (int t = 0; t < g.neighbours()[u].length; t++) {
                m += Math.exp(-gamma * g.distances()[u][t]) * Math.max(s[g.neighbours()[u][t]], EDGE_FLOOR);
            }
            out[u] = m;
        }
        return out;
    }

    /**
     * Greedy selection of {@code k} nodes by the largest {@code density}, each pick lowering its
     * neighbours' density by {@code exp(-gamma d) density(pick)}; {@code at} receives each pick's
     * density when taken.
     */
    static int[] reverse(Graph g, double[] density, int k, double gamma, double[] at) {
        double[] s = density.clone();
        boolean[] taken = new boolean[s.length];
        int[] picks = new int[k];
        for (int t = 0; t < k; t++) {
            int u = -1;
            for (int i = 0; i < s.length; i++) {
                if (!taken[i] && (u < 0 || s[i] > s[u])) {
                    u = i;
                }
            }
            taken[u] = true;
            picks[t] = u;
            at[t] = s[u];
            for (int j = 0; j < g.neighbours()[u].length; j++) {
                int v = g.neighbours()[u][j];
                if (!taken[v]) {
                    s[v] -= Math.exp(-gamma * g.distances()[u][j]) * s[u];
                }
            }
        }
        return picks;
    }
}
