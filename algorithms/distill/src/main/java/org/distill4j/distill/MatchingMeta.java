package org.distill4j.distill;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.autodiff.Var;
import org.distill4j.data.Dataset;
import org.distill4j.data.Splits;
import org.distill4j.io.Provenance;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.optim.Optimizer;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/** What the matching distillers (DC, MTT) share: sampling by class, image initialisation, state, meta data. */
final class MatchingMeta {
    private MatchingMeta() {
    }

    /** Refuses a model that does not take the data, and an ipc that a class cannot fill. */
    static void checkFits(Model model, Dataset train, int ipc) {
        if (!Arrays.equals(model.inputShape(), train.imageShape()) || model.classes() != train.classes()) {
            throw new IllegalArgumentException("model " + model.name() + " takes " + Shape.str(model.inputShape()) + " with "
                    + model.classes() + " classes; data are " + Shape.str(train.imageShape()) + " with " + train.classes());
        }
        int[] counts = train.classCounts();
        for (int c = 0; c < counts.length; c++) {
            if (ipc > counts[c]) {
                throw new IllegalArgumentException("ipc " + ipc + " is more than class " + c + " holds (" + counts[c] + " images)");
            }
        }
    }

    static int[][] indicesByClass(Dataset train) {
        List<List<Integer>> lists = new ArrayList<>();
        for (int c = 0; c < train.classes(); c++) {
            lists.add(new ArrayList<>());
        }
        int[] labels = train.labels();
        for (int i = 0; i < labels.length; i++) {
            lists.get(labels[i]).add(i);
        }
        int[][] out = new int[lists.size()][];
        for (int c = 0; c < out.length; c++) {
            out[c] = lists.get(c).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /** The reference's {@code np.random.permutation(indices)[:n]}: n (or all, if fewer) distinct indices at random. */
    static int[] sample(int[] indices, int n, Generator gen) {
        int[] p = indices.clone();
        int k = Math.min(n, p.length);
        for (int i = 0; i < k; i++) {
            int j = i + gen.nextInt(p.length - i);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return Arrays.copyOf(p, k);
    }

    /** {@code [classes * ipc, C, H, W]}, class-major: N(0, 1) noise, or random real images of each class. */
    static Tensor initImages(Dataset train, int[][] byClass, int ipc, ImageInit init, Generator gen, DType dtype) {
        int[] shape = new int[4];
        shape[0] = byClass.length * ipc;
        System.arraycopy(train.imageShape(), 0, shape, 1, 3);
        if (init == ImageInit.NOISE) {
            return Tensor.randn(gen.fork(0), dtype, shape);
        }
        int[] idx = new int[shape[0]];
        for (int c = 0; c < byClass.length; c++) {
            int[] pick = sample(byClass[c], ipc, gen.fork(1).fork(c));
            System.arraycopy(pick, 0, idx, c * ipc, ipc);
        }
        return Indexing.indexSelect(train.images(), 0, Tensor.fromInts(idx, idx.length)).to(dtype).contiguous().copy();
    }

    static Tensor constantLabels(int c, int n) {
        int[] y = new int[n];
        Arrays.fill(y, c);
        return Tensor.fromInts(y, n);
    }

    /** The image leaves as named parameters for a stock optimiser ("images.0", ...). */
    static Params asParams(Var... leaves) {
        Map<String, Var> m = new LinkedHashMap<>();
        for (int i = 0; i < leaves.length; i++) {
            m.put("images." + i, leaves[i]);
        }
        return new Params(m, Map.of());
    }

    /** The leaves' values ("param.NAME") and the optimiser's state ("opt.KEY") for a checkpoint. */
    static Map<String, Tensor> state(Params params, Optimizer opt, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String n : params.names()) {
            out.put(prefix + "param." + n, params.get(n).value());
        }
        opt.state().forEach((k, v) -> out.put(prefix + "opt." + k, v));
        return out;
    }

    /** Puts a checkpoint's values back into the leaves (in place) and the optimiser. */
    static void restore(Params params, Optimizer opt, DistillCheckpoint.State state, String prefix) {
        for (String n : params.names()) {
            Tensor saved = state.tensors().get(prefix + "param." + n);
            Tensor v = params.get(n).value();
            if (saved == null || !saved.sameShape(v)) {
                throw new IllegalArgumentException("checkpoint lacks '" + n + "' of shape " + Shape.str(v.shape()));
            }
            org.distill4j.tensor.Elementwise.unaryInto(org.distill4j.kernels.UnaryOp.AFFINE, saved.to(v.dtype()), 1, 0, v);
        }
        Map<String, Tensor> opt0 = new LinkedHashMap<>();
        state.tensors().forEach((k, v) -> {
            if (k.startsWith(prefix + "opt.")) {
                opt0.put(k.substring(prefix.length() + 4), v);
            }
        });
        opt.loadState(opt0);
    }

    /** The meta data every matching set records (what {@link DistilledSet#read} and evaluate-distilled read). */
    static Map<String, Object> meta(String method, String description, Model model, Dataset train, int ipc, long seed,
                                    ImageInit init, String augmentation, Map<String, Object> settings, Map<String, Object> results) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", "distill4j-distilled/1");
        meta.put("method", description);
        meta.put("distill_method", method);
        meta.put("dataset", train.name());
        meta.put("model", model.name());
        meta.put("classes", model.classes());
        meta.put("image_shape", model.inputShape());
        meta.put("ipc", ipc);
        meta.put("steps", 1);
        meta.put("epochs", 1);
        meta.put("soft_labels", false);
        meta.put("init", "random");
        meta.put("image_init", init.id());
        meta.put("augmentation", augmentation);
        meta.put("seed", seed);
        meta.put("settings", settings);
        meta.put("results", results);
        return meta;
    }

    /** One step of images {@code [1, classes * ipc, C, H, W]} with their labels and one rate. */
    static DistilledSet set(Var[] perClass, Tensor[] labels, double lr, Map<String, Object> meta) {
        Tensor[] xs = new Tensor[perClass.length];
        for (int c = 0; c < xs.length; c++) {
            xs[c] = perClass[c].value();
        }
        return set(Indexing.concat(0, xs), Indexing.concat(0, labels), lr, meta);
    }

    static DistilledSet set(Tensor images, Tensor labels, double lr, Map<String, Object> meta) {
        int[] s = images.shape();
        Tensor imgs = images.copy(DType.F32).reshape(1, s[0], s[1], s[2], s[3]);
        Tensor labs = labels.contiguous().reshape(1, s[0]);
        return new DistilledSet(imgs, labs, new double[]{lr}, meta);
    }

    /** {@code meta} with the data set's name, normalisation and provenance, as the unrolled distiller records them. */
    static Map<String, Object> withData(Map<String, Object> base, Splits data, String dataset, long seed) {
        Map<String, Object> meta = new LinkedHashMap<>(base);
        meta.put("dataset", dataset);
        meta.put("normalization", DistilledSet.normalizationMeta(data.norm()));
        Map<String, Object> trainingData = new LinkedHashMap<>();
        trainingData.put("name", data.train().name());
        trainingData.put("examples", data.train().size());
        trainingData.put("sha256", data.train().fingerprint());
        trainingData.put("of", "normalised float32 images, then int32 labels, little-endian");
        Map<String, Object> provenance = new LinkedHashMap<>();
        Provenance.stamp(provenance);
        provenance.put("seed", seed);
        provenance.put("training_data", trainingData);
        meta.put("provenance", provenance);
        return meta;
    }
}
