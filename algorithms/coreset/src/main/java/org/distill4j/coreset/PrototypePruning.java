package org.distill4j.coreset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Gemm;
import org.distill4j.tensor.Tensor;

/**
 * Prototype pruning (Sorscher, Geirhos, Shekhar, Ganguli and Morcos, NeurIPS 2022, "Beyond neural
 * scaling laws: beating power law scaling via data pruning", the self-supervised prototype metric):
 * cluster the embeddings by k-means (k-means++ seeding, then Lloyd's iterations until no assignment
 * changes, at most 100), label-free over the whole set; an example's difficulty is its Euclidean
 * distance to its nearest centroid (its prototype): near a prototype is easy, far is hard. The
 * paper's finding is that the best end to keep depends on how much data is kept: keep the hard
 * examples when data is plentiful, the easy ones when it is scarce. {@link Keep#AUTO} reads that as
 * "hard when at least half of the data is kept, easy below": the paper's own switch-over depends on
 * the data set and model, so {@link Keep#EASY} and {@link Keep#HARD} choose one end outright.
 *
 * <p>Features: the paper embeds with a self-supervised model (SwAV). distill4j has none; the
 * embeddings are the selection model's penultimate features ({@link SelectionContext#embeddings}),
 * which the labels trained, so this is closer to the paper's supervised-prototype variant in what
 * the space encodes, while the clustering itself uses no labels. Clusters: {@code clusters}, or the
 * number of classes when 0 (the paper finds the metric robust to k within an order of magnitude of
 * the number of classes). With class balance each class keeps its share by the same distances.
 * Exact budget, weights 1; the score of a pick is its distance; ties to the lower index.
 */
public final class PrototypePruning implements CoresetMethod {
    /** Which end of the distance ranking to keep. */
    public enum Keep {
        /** Hard when at least half the group is kept, easy below. */
        AUTO,
        /** Nearest the prototypes first. */
        EASY,
        /** Farthest from the prototypes first. */
        HARD
    }

    private static final int MAX_ITERATIONS = 100;
    private final int clusters;
    private final Keep keep;

    /** One cluster per class, the end chosen by the kept fraction. */
    public PrototypePruning() {
        this(0, Keep.AUTO);
    }

    /** @param clusters k of k-means, or 0 for the number of classes */
    public PrototypePruning(int clusters, Keep keep) {
        if (clusters < 0) {
            throw new IllegalArgumentException("prototypes: clusters must be >= 0 (0: one per class), got " + clusters);
        }
        this.clusters = clusters;
        this.keep = keep == null ? Keep.AUTO : keep;
    }

    @Override
    public String name() {
        return "prototypes";
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        List<Groups.Group> groups = Groups.of(ctx, budget);
        int k = clusters == 0 ? ctx.classes() : clusters;
        double[] d = ctx.scores(name() + "@" + k, () -> distances(ctx.embeddings(), k, ctx.generator(name())));
        boolean hard = keep == Keep.HARD || keep == Keep.AUTO && 2L * budget >= ctx.data().size();
        int[] indices = new int[budget];
        double[] scores = new double[budget];
        int filled = 0;
        for (Groups.Group g : groups) {
            double[] gd = Groups.at(d, g.positions());
            for (int r : Groups.top(gd, g.budget(), hard, null)) {
                indices[filled] = g.positions()[r];
                scores[filled++] = gd[r];
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("clusters", k);
        settings.put("keep", SelectionOptions.name(keep));
        settings.put("kept", hard ? "hard" : "easy");
        settings.put("features", "embeddings");
        settings.put("balance", ctx.balance());
        return Selection.unweighted(name(), indices, scores, settings);
    }

    /** Each row's Euclidean distance to its nearest of {@code k} k-means centroids. */
    static double[] distances(Tensor embeddings, int k, org.distill4j.tensor.Generator gen) {
        Tensor x = embeddings.to(DType.F32).contiguous();
        int n = x.dim(0);
        int e = x.dim(1);
        float[] rows = x.toFloatArray();
        // k-means++ seeding: the chosen rows are the starting centroids.
        NearestCenters seeds = ImportanceSampling.dSquaredSeeding(x, k, gen);
        java.util.TreeSet<Integer> chosen = new java.util.TreeSet<>();
        for (int i = 0; i < n; i++) {
            chosen.add(seeds.nearest(i));
        }
        int kk = chosen.size();
        float[] centres = new float[kk * e];
        int c0 = 0;
        for (int c : chosen) {
            System.arraycopy(rows, c * e, centres, c0++ * e, e);
        }
        double[] xx = NearestCenters.rowSquaredNorms(x);
        int[] assign = new int[n];
        java.util.Arrays.fill(assign, -1);
        double[] best = new double[n];
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            boolean changed = assignNearest(x, xx, centres, kk, e, assign, best);
            if (!changed && it > 0) {
                break;
            }
            double[] sum = new double[kk * e];
            int[] count = new int[kk];
            for (int i = 0; i < n; i++) {
                int c = assign[i];
                count[c]++;
                for (int j = 0; j < e; j++) {
                    sum[c * e + j] += rows[i * e + j];
                }
            }
            for (int c = 0; c < kk; c++) {
                if (count[c] > 0) {   // an emptied cluster keeps its centroid
                    for (int j = 0; j < e; j++) {
                        centres[c * e + j] = (float) (sum[c * e + j] / count[c]);
                    }
                }
            }
        }
        assignNearest(x, xx, centres, kk, e, assign, best);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.sqrt(best[i]);
        }
        return out;
    }

    /** Assigns every row to its nearest centroid (lower centroid on ties); true if any assignment changed. */
    private static boolean assignNearest(Tensor x, double[] xx, float[] centres, int k, int e, int[] assign, double[] best) {
        int n = assign.length;
        Tensor c = Tensor.fromFloats(centres, k, e);
        double[] cc = NearestCenters.rowSquaredNorms(c);
        double[] dots = Gemm.matmul(x, c.mT()).toDoubleArray();
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            int arg = 0;
            double min = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double d = Math.max(0, xx[i] + cc[j] - 2 * dots[i * k + j]);
                if (d < min) {
                    min = d;
                    arg = j;
                }
            }
            changed |= assign[i] != arg;
            assign[i] = arg;
            best[i] = min;
        }
        return changed;
    }
}
