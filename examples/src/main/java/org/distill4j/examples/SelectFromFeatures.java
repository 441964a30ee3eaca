package org.distill4j.examples;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.coreset.CoresetMethod;
import org.distill4j.coreset.Herding;
import org.distill4j.coreset.KCenterGreedy;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.coreset.submodular.Similarity;
import org.distill4j.coreset.submodular.StochasticGreedy;
import org.distill4j.coreset.submodular.SubmodularSelection;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.tensor.Tensor;

/**
 * Select a coreset from a feature matrix your program already has (embeddings from your own model,
 * descriptors, raw values) and its labels: no model is trained.
 *
 * <p>{@code SelectFromFeatures [DATASET [BUDGET]]}: DATASET is a name ({@code fashion-mnist}, the
 * default) or a path; its first 10,000 training images, flattened, stand in for your features.
 */
public final class SelectFromFeatures {
    public static void main(String[] args) throws IOException {
        String dataset = args.length > 0 ? args[0] : "fashion-mnist";
        int budget = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Dataset train = DataSets.loadNormalized(dataset, null, null).train();
        int n = Math.min(10_000, train.size());
        float[][] features = new float[n][];
        for (int i = 0; i < n; i++) {
            features[i] = train.images().select(0, i).toFloatArray();
        }
        int[] labels = Arrays.copyOf(train.labels(), n);

        for (Selection s : select(features, labels, train.classes(), budget).values()) {
            int[] perClass = new int[train.classes()];
            for (int i : s.indices()) {
                perClass[labels[i]]++;
            }
            System.out.println(s.method() + ": " + s.size() + " of " + n + " rows, per class " + Arrays.toString(perClass)
                    + ", first " + Arrays.toString(Arrays.copyOf(s.indices(), Math.min(8, s.size()))));
        }
    }

    /** {@code budget} rows of {@code features} by three methods that need nothing but the features, by method name. */
    public static Map<String, Selection> select(float[][] features, int[] labels, int classes, int budget) {
        int n = features.length;
        int e = features[0].length;
        float[] flat = new float[n * e];
        for (int i = 0; i < n; i++) {
            System.arraycopy(features[i], 0, flat, i * e, e);
        }
        // No model: the features are the context's embeddings. Balance gives each class its share of the
        // budget and runs each method inside each class; the seed fixes k-center's random first pick.
        SelectionContext ctx = SelectionContext.ofFeatures(Tensor.fromFloats(flat, n, e), labels, classes, 0, true);
        List<CoresetMethod> methods = List.of(
                new KCenterGreedy(),   // cover the space: each pick is the row farthest from the earlier picks
                new Herding(),         // match the mean: the picks' mean approaches the class mean fastest
                // Represent every row by a similar pick (cosine similarity of the features, not the default gradients).
                new SubmodularSelection("facility-location", SubmodularSelection.Features.EMBEDDINGS,
                        Similarity.Kernel.COSINE, SubmodularSelection.Optimizer.LAZY, Double.NaN,
                        StochasticGreedy.DEFAULT_EPSILON));
        Map<String, Selection> out = new LinkedHashMap<>();
        for (CoresetMethod m : methods) {
            out.put(m.name(), m.select(ctx, budget));
        }
        return out;
    }
}
