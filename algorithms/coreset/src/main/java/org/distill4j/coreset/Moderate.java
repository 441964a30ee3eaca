package org.distill4j.coreset;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moderate coreset (Xia, Liu, Yu, Shen, Han and Liu, ICLR 2023, "Moderate Coreset: A Universal
 * Method of Data Selection for Real-world Data-efficient Deep Learning"; reference code
 * tmllab/Moderate-DS): score each example by the Euclidean distance of its embedding to its class's
 * median embedding (the coordinate-wise median of the class's embeddings, here the selection
 * model's penultimate features), and keep the examples whose distance is closest to the median
 * distance: the middle band of the distances in rank order, {@code k} of them starting at rank
 * {@code floor((n - k) / 2)}, so that neither the easiest (nearest the centre) nor the hardest
 * (farthest) are taken. With class balance the band is taken in each class on its share of the
 * budget; without, over all examples' distances to their own class's median (as the reference
 * code does). Exact budget, weights 1; the score of a pick is its distance; ties in distance go
 * to the lower index.
 */
public final class Moderate implements CoresetMethod {
    @Override
    public String name() {
        return "moderate";
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        List<Groups.Group> groups = Groups.of(ctx, budget);
        double[] d = distances(ctx);
        int[] indices = new int[budget];
        double[] scores = new double[budget];
        int filled = 0;
        for (Groups.Group g : groups) {
            double[] gd = Groups.at(d, g.positions());
            int n = gd.length;
            int[] order = Groups.top(gd, n, false, null);
            int start = (n - g.budget()) / 2;
            for (int r = start; r < start + g.budget(); r++) {
                indices[filled] = g.positions()[order[r]];
                scores[filled++] = gd[order[r]];
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("features", "embeddings");
        settings.put("centre", "class median");
        settings.put("balance", ctx.balance());
        return Selection.unweighted(name(), indices, scores, settings);
    }

    /** Each example's Euclidean distance to its class's coordinate-wise median embedding. */
    static double[] distances(SelectionContext ctx) {
        float[] h = ctx.embeddings().toFloatArray();
        int n = ctx.data().size();
        int e = ctx.embeddings().dim(1);
        double[] out = new double[n];
        for (int c = 0; c < ctx.classes(); c++) {
            int[] members = ctx.classIndices(c);
            if (members.length == 0) {
                continue;
            }
            double[] median = new double[e];
            float[] column = new float[members.length];
            for (int j = 0; j < e; j++) {
                for (int i = 0; i < members.length; i++) {
                    column[i] = h[members[i] * e + j];
                }
                Arrays.sort(column);
                int m = members.length;
                median[j] = m % 2 == 1 ? column[m / 2] : 0.5 * ((double) column[m / 2 - 1] + column[m / 2]);
            }
            for (int i : members) {
                double s = 0;
                for (int j = 0; j < e; j++) {
                    double diff = h[i * e + j] - median[j];
                    s += diff * diff;
                }
                out[i] = Math.sqrt(s);
            }
        }
        return out;
    }
}
