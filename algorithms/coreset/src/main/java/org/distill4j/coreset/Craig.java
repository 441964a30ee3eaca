package org.distill4j.coreset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.coreset.submodular.DisjointSum;
import org.distill4j.coreset.submodular.FacilityLocation;
import org.distill4j.coreset.submodular.Greedy;
import org.distill4j.coreset.submodular.LazyGreedy;
import org.distill4j.coreset.submodular.Similarity;

/**
 * CRAIG (Mirzasoleiman, Bilmes and Leskovec 2020, "Coresets for Data-efficient Training of
 * Machine Learning Models"): medoids of the gradient space. Facility location over the similarity
 * {@code C - ||g_i - g_j||} of last-layer gradients ({@link SelectionContext#lastLayerGradients};
 * {@code C} bounds every distance, the paper's "max distance minus distance"), within each class,
 * maximised by lazy greedy. Each chosen example is weighted by the size of its cluster: the
 * number of class members whose most similar chosen example it is (itself included), so the
 * weights of a class sum to the class size (DeepCore adds 1 more to each; we follow the paper).
 *
 * <p>With class balance, greedy runs in each class on its share of the budget; without, one lazy
 * greedy runs over the sum of the per-class functions (the paper's and DeepCore's block-diagonal
 * similarity) and the gains decide the split. Greedy takes exactly the budget, so nothing is
 * padded. Scores are the marginal gains when chosen.
 */
public final class Craig implements CoresetMethod {
    @Override
    public String name() {
        return "craig";
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        List<Groups.Group> groups = Groups.of(ctx, budget);
        int[] indices = new int[budget];
        double[] weights = new double[budget];
        double[] scores = new double[budget];
        int filled = 0;
        if (ctx.balance()) {
            for (Groups.Group g : groups) {
                FacilityLocation f = classFunction(ctx, g.positions());
                Greedy.Result r = new LazyGreedy().maximize(f, g.budget());
                double[] sizes = clusterSizes(f.nearest(), g.positions().length);
                for (int i = 0; i < r.order().length; i++) {
                    indices[filled] = g.positions()[r.order()[i]];
                    weights[filled] = sizes[r.order()[i]];
                    scores[filled++] = r.gains()[i];
                }
            }
        } else {
            List<int[]> members = new ArrayList<>();
            List<FacilityLocation> parts = new ArrayList<>();
            for (int c = 0; c < ctx.classes(); c++) {
                int[] m = ctx.classIndices(c);
                if (m.length > 0) {
                    members.add(m);
                    parts.add(classFunction(ctx, m));
                }
            }
            DisjointSum sum = new DisjointSum(parts);
            Greedy.Result r = new LazyGreedy().maximize(sum, budget);
            List<double[]> sizes = new ArrayList<>();
            for (int p = 0; p < parts.size(); p++) {
                sizes.add(clusterSizes(parts.get(p).nearest(), members.get(p).length));
            }
            for (int i = 0; i < budget; i++) {
                int e = r.order()[i];
                int p = sum.part(e);
                int local = e - sum.offset(p);
                indices[filled] = members.get(p)[local];
                weights[filled] = sizes.get(p)[local];
                scores[filled++] = r.gains()[i];
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("features", "gradients");
        settings.put("kernel", "distance");
        settings.put("optimizer", "lazy");
        settings.put("balance", ctx.balance());
        return new Selection(name(), indices, weights, scores, settings);
    }

    private static FacilityLocation classFunction(SelectionContext ctx, int[] members) {
        return new FacilityLocation(Similarity.of(ctx.lastLayerGradients(members), Similarity.Kernel.DISTANCE));
    }

    /** How many elements have each element as their nearest pick; 0 for elements not picked (or a class with no pick). */
    static double[] clusterSizes(int[] nearest, int n) {
        double[] sizes = new double[n];
        for (int near : nearest) {
            if (near >= 0) {
                sizes[near]++;
            }
        }
        return sizes;
    }
}
