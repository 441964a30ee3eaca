package org.distill4j.coreset;

import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Gemm;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Reduce;
import org.distill4j.tensor.Tensor;

/**
 * Contrastive Active Learning (Margatina, Vernikos, Barrault and Aletras 2021, "Active Learning
 * by Acquiring Contrastive Examples", Eq. 1 and Alg. 1): an example is contrastive when the model
 * predicts differently for it than for its neighbours. Score
 * {@code s(x) = 1/k sum_{j in kNN(x)} KL(p(y | x_j) || p(y | x))} over the {@code k = 10}
 * nearest neighbours of {@code x} (itself excluded) by Euclidean distance between the selection
 * model's penultimate embeddings; the <b>highest</b> scores win, as in the paper (DeepCore keeps
 * the lowest of a symmetric KL; we follow the paper).
 *
 * <p>With class balance, neighbours are searched in the example's class and the best of each
 * class are kept on its share (DeepCore's per-class kNN); without, over the whole set. The kNN
 * search goes by blocks of queries against all candidates with one matrix product per block, so
 * no {@code n x n} matrix is formed. Probabilities are clamped at 1e-12 inside the logarithms.
 * A top-k cut, so the budget is met exactly with nothing to pad. Weights are 1.
 */
public final class Cal extends ScoreRanking {
    public static final int NEIGHBOURS = 10;
    private static final double FLOOR = 1e-12;
    private final int neighbours;

    /** The paper's k = 10 neighbours. */
    public Cal() {
        this(NEIGHBOURS);
    }

    public Cal(int neighbours) {
        if (neighbours < 1) {
            throw new IllegalArgumentException("cal needs at least 1 neighbour, got " + neighbours);
        }
        this.neighbours = neighbours;
    }

    @Override
    public String name() {
        return "cal";
    }

    @Override
    boolean highestFirst() {
        return true;
    }

    @Override
    Map<String, Object> settings(SelectionContext ctx) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("neighbours", neighbours);
        s.put("distance", "euclidean on embeddings");
        s.put("balance", ctx.balance());
        return s;
    }

    @Override
    double[] scores(SelectionContext ctx) {
        int n = ctx.data().size();
        double[] out = new double[n];
        float[] probs = ctx.probabilities().toFloatArray();
        int classes = ctx.classes();
        if (ctx.balance()) {
            for (int c = 0; c < classes; c++) {
                int[] members = ctx.classIndices(c);
                if (members.length > 0) {
                    scoreGroup(ctx, members, probs, classes, neighbours, out);
                }
            }
        } else {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            scoreGroup(ctx, all, probs, classes, neighbours, out);
        }
        return out;
    }

    private static void scoreGroup(SelectionContext ctx, int[] members, float[] probs, int classes, int neighbours,
                                   double[] out) {
        Tensor emb = Indexing.indexSelect(ctx.embeddings(), 0, Tensor.fromInts(members, members.length));
        int[][] knn = nearestNeighbours(emb, neighbours);
        for (int i = 0; i < members.length; i++) {
            double s = 0;
            for (int j : knn[i]) {
                s += kl(probs, members[j] * classes, members[i] * classes, classes);
            }
            out[members[i]] = knn[i].length == 0 ? 0 : s / knn[i].length;
        }
    }

    /** {@code KL(p || q)} for the rows of {@code probs} starting at {@code p} and {@code q}. */
    static double kl(float[] probs, int p, int q, int classes) {
        double s = 0;
        for (int c = 0; c < classes; c++) {
            double a = probs[p + c];
            if (a > 0) {
                s += a * (Math.log(Math.max(a, FLOOR)) - Math.log(Math.max(probs[q + c], FLOOR)));
            }
        }
        return s;
    }

    /**
     * The {@code min(k, n - 1)} nearest rows of each row of {@code x} ({@code [n, E]}) by Euclidean
     * distance, itself excluded, nearest first (ties to the lower index). Rows are compared by
     * {@code ||x_j||^2 - 2 x_i . x_j}, which orders the candidates as the distance does, a block of
     * queries per matrix product.
     */
    static int[][] nearestNeighbours(Tensor x, int k) {
        Tensor f = x.to(DType.F32).contiguous();
        int n = f.dim(0);
        int kk = Math.min(k, n - 1);
        Tensor sq = Reduce.sum(Elementwise.unary(UnaryOp.SQUARE, f), new int[]{1}, false).reshape(1, n);
        int block = Math.max(1, Math.min(n, (1 << 22) / Math.max(1, n)));
        int[][] out = new int[n][];
        for (int from = 0; from < n; from += block) {
            int to = Math.min(n, from + block);
            Tensor key = Elementwise.add(Elementwise.affine(Gemm.matmul(f.slice(0, from, to), f.mT()), -2, 0), sq);
            float[] d = key.toFloatArray();
            for (int q = from; q < to; q++) {
                out[q] = smallest(d, (q - from) * n, n, kk, q);
            }
        }
        return out;
    }

    /** Positions of the {@code k} smallest of {@code d[off .. off + n)}, skipping {@code self}, smallest first, ties to the lower position. */
    private static int[] smallest(float[] d, int off, int n, int k, int self) {
        int[] idx = new int[k];
        float[] val = new float[k];
        int size = 0;
        for (int j = 0; j < n; j++) {
            if (j == self) {
                continue;
            }
            float v = d[off + j];
            // Equal values keep the earlier position: a later j only enters when strictly smaller.
            if (size == k && !(v < val[k - 1])) {
                continue;
            }
            int pos = size < k ? size++ : k - 1;
            while (pos > 0 && v < val[pos - 1]) {
                val[pos] = val[pos - 1];
                idx[pos] = idx[pos - 1];
                pos--;
            }
            val[pos] = v;
            idx[pos] = j;
        }
        return idx;
    }
}
