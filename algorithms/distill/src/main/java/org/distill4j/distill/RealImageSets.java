package org.distill4j.distill;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.distill4j.coreset.Herding;
import org.distill4j.data.Dataset;
import org.distill4j.data.Normalization;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.Evaluator;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainListener;
import org.distill4j.train.TrainResult;
import org.distill4j.train.Trainer;

/**
 * The coreset baselines of the DC, DSA and DM papers' tables, as {@link DistilledSet}s that the
 * papers' protocol ({@link SyntheticSetEvaluation}) evaluates like a distilled set: N real
 * training images per class, chosen at random or by herding.
 *
 * <p>Both are built from a per-class <em>order</em> of the class's examples, and the set of N per
 * class is the first N of each order, so the sets at 1, 10 and 50 images per class are nested, as
 * herding's greedy is (its t-th pick does not depend on the budget). Random: a seeded permutation
 * of each class. Herding ({@link Herding}, Welling 2009; the DC paper's baseline): inside each
 * class, pick one at a time the example that brings the mean feature of the picks closest to the
 * class's mean feature. The features are the penultimate layer (the embedding) of the model
 * trained on the whole training set ({@link #trainFeatureModel}); the DC paper takes its herding
 * features from a ConvNet trained on the full data as well.
 */
public final class RealImageSets {
    private static final long PERMUTATIONS = 51;

    private RealImageSets() {
    }

    /** The two baselines; {@link #id()} is the name in meta.json's "method" and on the command line. */
    public enum Kind {
        RANDOM, HERDING;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind of(String id) {
            for (Kind k : values()) {
                if (k.id().equals(id)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown baseline '" + id + "'; known: random, herding");
        }
    }

    /** A trained feature model: its parameters, the embeddings of every training example, and its test accuracy. */
    public record Features(Params params, Tensor embeddings, double testAccuracy, double trainSeconds) {
    }

    /**
     * Trains {@code model} on all of {@code train} with {@code cfg} and returns the embeddings
     * ({@link Model#embed}, evaluation mode) of every training example, F32 {@code [N, E]}.
     */
    public static Features trainFeatureModel(Model model, Dataset train, Dataset test, TrainConfig cfg, TrainListener listener) {
        long t0 = System.nanoTime();
        TrainResult r = Trainer.train(model, train, null, null, cfg, listener == null ? TrainListener.NONE : listener);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Tensor emb = Evaluator.embeddings(model, r.params(), train).to(DType.F32).contiguous();
        double acc = test == null ? Double.NaN : Evaluator.accuracy(model, r.params(), test);
        return new Features(r.params(), emb, acc, seconds);
    }

    /** {@code count} examples of each class in a seeded random order: row c holds class c's training indices. */
    public static int[][] randomOrder(Dataset train, int count, long seed) {
        Generator gen = new Generator(seed).fork(PERMUTATIONS);
        int[][] order = new int[train.classes()][];
        for (int c = 0; c < order.length; c++) {
            int[] members = members(train.labels(), c, count);
            int[] perm = gen.fork(c).permutation(members.length);
            order[c] = new int[count];
            for (int i = 0; i < count; i++) {
                order[c][i] = members[perm[i]];
            }
        }
        return order;
    }

    /**
     * Herding's first {@code count} picks inside each class, in pick order, on {@code features}
     * {@code [N, E]} (row i for training example i): row c holds class c's training indices.
     */
    public static int[][] herdingOrder(Tensor features, int[] labels, int classes, int count) {
        if (features.rank() != 2 || features.dim(0) != labels.length) {
            throw new IllegalArgumentException("features must be [N, E] with one row per label, got "
                    + org.distill4j.tensor.Shape.str(features.shape()) + " for " + labels.length + " labels");
        }
        int[][] order = new int[classes][];
        for (int c = 0; c < classes; c++) {
            int[] members = members(labels, c, count);
            Tensor f = Indexing.indexSelect(features, 0, Tensor.fromInts(members, members.length));
            int[] picks = Herding.order(f, count);
            order[c] = new int[count];
            for (int i = 0; i < count; i++) {
                order[c][i] = members[picks[i]];
            }
        }
        return order;
    }

    /**
     * The first {@code ipc} examples of each class's order as a distilled-set folder's content:
     * images {@code [1, classes * ipc, C, H, W]} class by class (class 0's ipc images, then class
     * 1's, ...), their labels, meta.json fields that {@code evaluate-distilled} and the protocol
     * read (method, dataset, model, ipc, normalization), the chosen indices and {@code settings}.
     */
    public static DistilledSet set(Kind kind, Dataset train, Normalization norm, String dataset, String model, int[][] order,
                                   int ipc, long seed, Map<String, Object> settings) {
        if (order.length != train.classes()) {
            throw new IllegalArgumentException("an order of " + order.length + " classes for a data set of " + train.classes());
        }
        int classes = train.classes();
        int[] indices = new int[classes * ipc];
        for (int c = 0; c < classes; c++) {
            if (order[c].length < ipc) {
                throw new IllegalArgumentException("class " + c + "'s order holds " + order[c].length + " examples; "
                        + ipc + " per class were asked for");
            }
            System.arraycopy(order[c], 0, indices, c * ipc, ipc);
        }
        Dataset sub = train.subset(indices);
        int[] s = train.imageShape();
        Tensor images = sub.images().to(DType.F32).contiguous().reshape(1, indices.length, s[0], s[1], s[2]);
        Tensor labels = Tensor.fromInts(sub.labels(), 1, indices.length);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("method", kind.id());
        meta.put("paper", kind == Kind.RANDOM ? "random real images (coreset baseline)"
                : "herding (Welling 2009), the DC paper's coreset baseline");
        meta.put("dataset", dataset);
        meta.put("model", model);
        meta.put("classes", classes);
        meta.put("image_shape", s);
        meta.put("ipc", ipc);
        meta.put("steps", 1);
        meta.put("epochs", 1);
        meta.put("soft_labels", false);
        meta.put("init", "random");
        meta.put("seed", seed);
        meta.put("normalization", DistilledSet.normalizationMeta(norm));
        Map<String, Object> st = new LinkedHashMap<>(settings);
        st.put("indices", indices);
        meta.put("settings", st);
        meta.put("provenance", DistilledSet.provenanceMeta(train, seed));
        return new DistilledSet(images, labels, new double[]{0.01}, meta);
    }

    private static int[] members(int[] labels, int c, int atLeast) {
        int n = 0;
        for (int l : labels) {
            n += l == c ? 1 : 0;
        }
        if (n < atLeast) {
            throw new IllegalArgumentException("class " + c + " has " + n + " training examples; " + atLeast + " were asked for");
        }
        int[] m = new int[n];
        for (int i = 0, j = 0; i < labels.length; i++) {
            if (labels[i] == c) {
                m[j++] = i;
            }
        }
        return m;
    }
}
