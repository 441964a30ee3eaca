package org.distill4j.distill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.distill4j.autodiff.Autodiff;
import org.distill4j.autodiff.GradMode;
import org.distill4j.autodiff.ShapeOps;
import org.distill4j.autodiff.Var;
import org.distill4j.data.Dataset;
import org.distill4j.data.Splits;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.Provenance;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Mode;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Tensor;

/**
 * Distribution matching (Zhao and Bilen, "Dataset Condensation with Distribution Matching", WACV
 * 2023; the reference code's {@code main_DM.py}): every iteration draws a freshly initialised
 * network (PyTorch's default initialisation, its parameters fixed), and for every class a batch of
 * real images; the real batch and the class's synthetic images go through the same DSA draw
 * (one seed per class and iteration), then through the network's embedding (everything before
 * the classifier: {@link Model#embed}); the loss is
 * {@code sum over classes of ||mean embedding(real) - mean embedding(synthetic)||^2}, and one SGD
 * step (lr 1.0, momentum 0.5) on the images lowers it. The reported loss is that sum divided by
 * the number of classes, as the reference prints it.
 *
 * <p>Every draw comes from the seed and the iteration number (the network, the real batches, the
 * augmentations), so a run resumed from a checkpoint (images, momentum, iteration) continues
 * exactly as if it had not stopped.
 */
public final class DistributionMatching {
    /** The models whose embedding treats each image on its own (no batch statistics), as DM's per-class means need. */
    public static final List<String> MODELS = List.of("mlp", "lenet", "convnet", "alexcifarnet");

    private static final long INIT = 1;
    private static final long NETS = 2;
    private static final long REAL = 3;
    private static final long AUGMENT = 4;
    private static final long EVALUATION = 5;

    private DistributionMatching() {
    }

    /** Progress of a run. */
    public interface Listener {
        /** After each iteration: its loss, the mean seconds per iteration so far, the estimated seconds left. */
        void onIteration(int iteration, int iterations, double loss, double secondsPerIteration, double etaSeconds);

        /** After an evaluation with the protocol (every {@code evalEvery} iterations and at the end). */
        default void onEvaluation(int iteration, SyntheticSetEvaluation.Result result) {
        }

        /** After a checkpoint was written. */
        default void onCheckpoint(int iteration, Path folder) {
        }

        /** When a run continues from a checkpoint at {@code iteration}. */
        default void onResume(int iteration) {
        }

        Listener NONE = (iteration, iterations, loss, perIteration, eta) -> { };
    }

    /**
     * Where checkpoints go: the output folder (checked beforehand for a distilled set), meta data
     * to add to each save (the command line, say), and extra files to write beside the set's (a
     * picture of the images). {@code resume}: continue from an unfinished run of the same settings
     * found there; otherwise start afresh.
     */
    public record Checkpointing(Output out, Map<String, Object> extraMeta, ExtraFiles extras, boolean resume) {
    }

    /** Files written into each saved folder beside the set's own. */
    @FunctionalInterface
    public interface ExtraFiles {
        void write(Path folder, DistilledSet set) throws IOException;
    }

    /** The distilled set, the loss every 10 iterations and the accuracy at each evaluation. */
    public record Result(DistilledSet set, List<double[]> lossCurve, List<Map<String, Object>> accuracyCurve,
                         double secondsPerIteration) {
        /** The last evaluation of the accuracy curve, if the run made any. */
        public java.util.Optional<Map<String, Object>> lastEvaluation() {
            return accuracyCurve.isEmpty() ? java.util.Optional.empty()
                    : java.util.Optional.of(accuracyCurve.get(accuracyCurve.size() - 1));
        }

        /** What a run reports: method, settings, evaluation protocol, seconds per iteration, accuracy curve. */
        public Map<String, Object> toMap(DmConfig cfg) {
            Map<String, Object> o = new java.util.LinkedHashMap<>();
            o.put("method", DistillMethod.DM.id());
            o.put("settings", cfg.toMap());
            o.put("evaluation_protocol", cfg.evaluation().toMap());
            o.put("seconds_per_iteration", secondsPerIteration);
            o.put("accuracy_curve", accuracyCurve);
            return o;
        }
    }

    /** Refuses, in one line, a model whose embedding DM cannot use (one with batch statistics). */
    public static void checkModel(String modelName) {
        if (!MODELS.contains(modelName)) {
            throw new IllegalArgumentException("DM matches per-class mean embeddings, which model " + modelName
                    + " does not give on its own (batch statistics); use one of " + String.join(", ", MODELS));
        }
    }

    /** Refuses, in one line, a model DM cannot use and images per class that a class cannot give. */
    public static void check(String modelName, Dataset train, int ipc) {
        checkModel(modelName);
        int[] counts = train.classCounts();
        for (int c = 0; c < counts.length; c++) {
            if (ipc < 1 || ipc > counts[c]) {
                throw new IllegalArgumentException("ipc must be from 1 to the smallest class's size (class " + c + " has "
                        + counts[c] + " images), got " + ipc);
            }
        }
    }

    /**
     * Runs DM on {@code data.train()} (normalised as {@code data.norm()}), checkpointing into
     * {@code ckpt} (null: none). {@code dataset} is the name or path the data were loaded by.
     */
    public static Result distill(Model model, Splits data, String dataset, DmConfig cfg, DType dtype, Checkpointing ckpt,
                                 Listener listener) throws IOException {
        Dataset train = data.train();
        check(model.name(), train, cfg.ipc());
        checkFits(model, train);
        int classes = train.classes();
        int n = classes * cfg.ipc();
        int[] shape = train.imageShape();
        int[][] byClass = indicesByClass(train);
        Generator root = new Generator(cfg.seed());
        Augmentation aug = cfg.augmentation();

        State state = ckpt != null && ckpt.resume() ? resumable(ckpt.out().path(), cfg, train, model).orElse(null) : null;
        Tensor syn;
        Tensor momentum;
        int start;
        List<double[]> lossCurve = new ArrayList<>();
        List<Map<String, Object>> accCurve = new ArrayList<>();
        if (state != null) {
            syn = state.images().to(dtype);
            momentum = state.momentum().to(dtype);
            start = state.iteration();
            lossCurve.addAll(state.lossCurve());
            accCurve.addAll(state.accuracyCurve());
            listener.onResume(start);
        } else {
            syn = initialImages(train, byClass, cfg, dtype, root.fork(INIT));
            momentum = Tensor.zeros(syn.backend(), dtype, syn.shape());
            start = 0;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i / cfg.ipc();
        }
        long began = System.nanoTime();
        long lastSave = began;
        double windowLoss = 0;
        int window = 0;
        int done = 0;
        for (int it = start; it <= cfg.iterations(); it++) {
            // Evaluate as the reference does: after 0, evalEvery, 2 evalEvery, ... updates, and at the end.
            boolean evaluate = cfg.evalEvery() > 0 && (it % cfg.evalEvery() == 0 || it == cfg.iterations())
                    && !(state != null && it == start && evaluatedAt(accCurve, it));
            if (evaluate && data.test() != null) {
                SyntheticSetEvaluation.Result r = SyntheticSetEvaluation.evaluate(model, syn.copy(DType.F32), labels, data.test(),
                        cfg.evaluation().withSeed(root.fork(EVALUATION).fork(it).seed()), SyntheticSetEvaluation.Listener.NONE);
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("iteration", it);
                point.putAll(r.toMap());
                accCurve.add(point);
                listener.onEvaluation(it, r);
            }
            if (it == cfg.iterations()) {
                break;
            }
            long t0 = System.nanoTime();
            Params net = model.init(root.fork(NETS).fork(it), dtype).map((name, v) -> v.detach());
            Tensor[] real = new Tensor[classes];
            long[] seeds = new long[classes];
            for (int c = 0; c < classes; c++) {
                real[c] = realBatch(train, byClass[c], cfg.batchReal(), root.fork(REAL).fork(it).fork(c)).to(dtype);
                seeds[c] = root.fork(AUGMENT).fork(it).fork(c).seed();
            }
            Var images = Var.param(syn);
            Var loss = matchLoss(model, net, images, real, cfg.ipc(), aug, seeds);
            Tensor grad = Autodiff.grad(loss, images)[0].value();
            // torch.optim.SGD: buf = momentum * buf + grad (buf = grad at first, the same from zeros); p -= lr * buf.
            momentum = Elementwise.add(Elementwise.affine(momentum, cfg.momentum(), 0), grad);
            syn = Elementwise.binary(BinaryOp.SUB, syn, Elementwise.affine(momentum, cfg.lrImg(), 0));
            double reported = loss.item() / classes;
            done++;
            windowLoss += reported;
            window++;
            if ((it + 1) % 10 == 0 || it + 1 == cfg.iterations()) {
                lossCurve.add(new double[]{it + 1, windowLoss / window});
                windowLoss = 0;
                window = 0;
            }
            double perIt = (System.nanoTime() - began) / 1e9 / done;
            listener.onIteration(it + 1, cfg.iterations(), reported, perIt, perIt * (cfg.iterations() - it - 1));
            if (ckpt != null && (System.nanoTime() - lastSave) / 1e9 >= cfg.checkpointSeconds() && it + 1 < cfg.iterations()) {
                save(ckpt, snapshot(model, data, dataset, cfg, syn, labels, it + 1, false, lossCurve, accCurve), momentum);
                lastSave = System.nanoTime();
                listener.onCheckpoint(it + 1, ckpt.out().path());
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted at iteration " + (it + 1));
            }
        }
        DistilledSet set = snapshot(model, data, dataset, cfg, syn, labels, cfg.iterations(), true, lossCurve, accCurve);
        if (ckpt != null) {
            save(ckpt, set, momentum);
            listener.onCheckpoint(cfg.iterations(), ckpt.out().path());
        }
        double perIt = done == 0 ? Double.NaN : (System.nanoTime() - began) / 1e9 / done;
        return new Result(set, lossCurve, accCurve, perIt);
    }

    private static boolean evaluatedAt(List<Map<String, Object>> curve, int it) {
        return curve.stream().anyMatch(p -> p.get("iteration") instanceof Number k && k.intValue() == it);
    }

    /**
     * The DM loss of one iteration: for class c, real images {@code real[c]} and the synthetic
     * images {@code syn[c * ipc, (c + 1) * ipc)}, both augmented with {@code seeds[c]}, embedded by
     * {@code net}; {@code sum_c ||mean_i embed(real)_i - mean_j embed(syn)_j||^2}. Gradients flow to
     * {@code syn} only (the real embeddings are constants).
     */
    public static Var matchLoss(Model model, Params net, Var syn, Tensor[] real, int ipc, Augmentation aug, long[] seeds) {
        int classes = real.length;
        Tensor[] realMeans = new Tensor[classes];
        try (GradMode.Scope off = GradMode.disabled()) {
            for (int c = 0; c < classes; c++) {
                Var x = aug.apply(Var.constant(real[c]), seeds[c]);
                Var e = model.embed(net, x, Mode.TRAIN);
                realMeans[c] = e.mean(new int[]{0}, false).value();
            }
        }
        Var[] parts = new Var[classes];
        for (int c = 0; c < classes; c++) {
            parts[c] = aug.apply(syn.slice(0, c * ipc, (c + 1) * ipc), seeds[c]);
        }
        // One forward for all classes: the embedding treats each image on its own.
        Var e = model.embed(net, classes == 1 ? parts[0] : ShapeOps.concat(0, parts), Mode.TRAIN);
        Var synMeans = e.reshape(classes, ipc, e.dim(1)).mean(new int[]{1}, false);
        Var target = Var.constant(Indexing.stack(0, realMeans));
        return target.sub(synMeans).square().sum();
    }

    private static int[][] indicesByClass(Dataset train) {
        int[] counts = train.classCounts();
        int[][] out = new int[counts.length][];
        int[] fill = new int[counts.length];
        for (int c = 0; c < counts.length; c++) {
            out[c] = new int[counts[c]];
        }
        for (int i = 0; i < train.size(); i++) {
            int c = train.label(i);
            out[c][fill[c]++] = i;
        }
        return out;
    }

    /** {@code get_images(c, n)}: the first n of a random permutation of the class (all of it when smaller). */
    private static Tensor realBatch(Dataset train, int[] indices, int n, Generator gen) {
        int[] perm = gen.permutation(indices.length);
        int k = Math.min(n, indices.length);
        int[] pick = new int[k];
        for (int i = 0; i < k; i++) {
            pick[i] = indices[perm[i]];
        }
        return Indexing.indexSelect(train.images(), 0, Tensor.of(train.images().backend().upload(pick), k));
    }

    private static Tensor initialImages(Dataset train, int[][] byClass, DmConfig cfg, DType dtype, Generator gen) {
        int[] s = train.imageShape();
        int n = byClass.length * cfg.ipc();
        if (cfg.init() == DmConfig.ImageInit.NOISE) {
            return Tensor.randn(gen, dtype, n, s[0], s[1], s[2]);
        }
        Tensor[] parts = new Tensor[byClass.length];
        for (int c = 0; c < byClass.length; c++) {
            parts[c] = realBatch(train, byClass[c], cfg.ipc(), gen.fork(c));
        }
        return Indexing.concat(0, parts).to(dtype).contiguous();
    }

    // ---- the distilled set and its checkpoints --------------------------------------------------

    /** The images as a distilled set (one step, the protocol's rate as its rate), with meta data. */
    static DistilledSet snapshot(Model model, Splits data, String dataset, DmConfig cfg, Tensor syn, int[] labels,
                                 int iteration, boolean finished, List<double[]> lossCurve,
                                 List<Map<String, Object>> accCurve) {
        Dataset train = data.train();
        int n = labels.length;
        int[] s = train.imageShape();
        Tensor images = syn.copy(DType.F32).reshape(1, n, s[0], s[1], s[2]);
        Tensor labelTensor = Tensor.fromInts(labels, 1, n);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", "distill4j-distilled/1");
        meta.put("method", DistillMethod.DM.id());
        meta.put("paper", DistillMethod.DM.paper());
        meta.put("dataset", dataset);
        meta.put("model", model.name());
        meta.put("classes", model.classes());
        meta.put("image_shape", s);
        meta.put("ipc", cfg.ipc());
        meta.put("steps", 1);
        meta.put("epochs", 1);
        meta.put("soft_labels", false);
        meta.put("init", "random");
        meta.put("seed", cfg.seed());
        meta.put("normalization", DistilledSet.normalizationMeta(data.norm()));
        meta.put("settings", cfg.toMap());
        meta.put("evaluation_protocol", cfg.evaluation().toMap());
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("iteration", iteration);
        progress.put("iterations", cfg.iterations());
        progress.put("finished", finished);
        meta.put("progress", progress);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("loss_curve", lossCurve.stream().map(p -> List.of((int) p[0], p[1])).toList());
        results.put("accuracy_curve", accCurve);
        meta.put("results", results);
        meta.put("provenance", DistilledSet.provenanceMeta(train, cfg.seed()));
        return new DistilledSet(images, labelTensor, new double[]{cfg.evaluation().lr()}, meta);
    }

    private static final String MOMENTUM = "momentum.npy";

    private static void save(Checkpointing ckpt, DistilledSet set, Tensor momentum) throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>(set.meta());
        if (ckpt.extraMeta() != null) {
            meta.putAll(ckpt.extraMeta());
        }
        DistilledSet marked = new DistilledSet(set.images(), set.labels(), set.lrs(), meta);
        ckpt.out().writeFolder(dir -> {
            Npy.write(dir.resolve(MOMENTUM), momentum.copy(DType.F32));
            Map<String, Object> withMomentum = new LinkedHashMap<>(marked.meta());
            withMomentum.put("momentum_sha256", Provenance.sha256(dir.resolve(MOMENTUM)));
            DistilledSet full = new DistilledSet(marked.images(), marked.labels(), marked.lrs(), withMomentum);
            full.writeTo(dir);
            if (ckpt.extras() != null) {
                ckpt.extras().write(dir, full);
            }
        });
    }

    /** What a checkpoint holds: the images, SGD's momentum, the updates done, the curves so far. */
    record State(int iteration, Tensor images, Tensor momentum, List<double[]> lossCurve,
                 List<Map<String, Object>> accuracyCurve) {
    }

    /**
     * The run to continue in {@code dir}: a DM run there of the same settings, data and model
     * (the number of iterations aside, so that a finished run can be extended) that has done fewer
     * than {@code cfg.iterations()} iterations. A folder holding no DM run, a finished run of other
     * settings, or one already at or past the target gives empty (the run starts afresh there); an
     * unfinished run of other settings, data or model, or past the target, is refused in one line.
     */
    static Optional<State> resumable(Path dir, DmConfig cfg, Dataset train, Model model) throws IOException {
        Path metaFile = dir.resolve("meta.json");
        if (!Files.isRegularFile(metaFile)) {
            return Optional.empty();
        }
        Map<String, Object> meta = Json.readObject(metaFile);
        if (!DistillMethod.DM.id().equals(meta.get("method")) || !(meta.get("progress") instanceof Map<?, ?> progress)
                || !(progress.get("iteration") instanceof Number done)) {
            return Optional.empty();
        }
        boolean finished = Boolean.TRUE.equals(progress.get("finished"));
        Map<String, Object> mineMap = new LinkedHashMap<>(cfg.toMap());
        mineMap.remove("Iteration");
        Object theirsObj = meta.get("settings");
        Map<String, Object> theirsMap = new LinkedHashMap<>();
        if (theirsObj instanceof Map<?, ?> t) {
            t.forEach((k, v) -> theirsMap.put(String.valueOf(k), v));
        }
        theirsMap.remove("Iteration");
        String mine = Json.write(Json.parse(Json.write(mineMap)));
        String theirs = Json.write(theirsMap);
        String sha = meta.get("provenance") instanceof Map<?, ?> p && p.get("training_data") instanceof Map<?, ?> t
                ? String.valueOf(t.get("sha256")) : null;
        String other = !mine.equals(theirs) ? "other settings (" + theirs + ")"
                : !train.fingerprint().equals(sha) ? "other training data (SHA-256 " + sha + ")"
                : !model.name().equals(meta.get("model")) ? "another model (" + meta.get("model") + ")"
                : done.intValue() > cfg.iterations() ? done.intValue() + " iterations, past the " + cfg.iterations() + " asked for"
                : null;
        if (other != null) {
            if (finished) {
                return Optional.empty();
            }
            throw new IllegalArgumentException(dir + " holds an unfinished DM run with " + other
                    + "; give the same settings to resume it (--iterations may grow), or --force to start afresh");
        }
        if (done.intValue() == cfg.iterations()) {
            return Optional.empty();
        }
        DistilledSet set = DistilledSet.read(dir);
        Path mom = dir.resolve(MOMENTUM);
        if (!Files.isRegularFile(mom) || !Provenance.sha256(mom).equals(meta.get("momentum_sha256"))) {
            throw new IOException(mom + ": missing or not the file this checkpoint was saved with");
        }
        Tensor momentum = Npy.read(mom);
        Tensor images = set.flatImages();
        if (!java.util.Arrays.equals(momentum.shape(), images.shape())) {
            throw new IOException(mom + ": shape does not match the images");
        }
        int iteration = done.intValue();
        List<double[]> losses = new ArrayList<>();
        List<Map<String, Object>> accs = new ArrayList<>();
        if (meta.get("results") instanceof Map<?, ?> results) {
            if (results.get("loss_curve") instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof List<?> pair && pair.size() == 2) {
                        losses.add(new double[]{((Number) pair.get(0)).doubleValue(), ((Number) pair.get(1)).doubleValue()});
                    }
                }
            }
            if (results.get("accuracy_curve") instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> m) {
                        Map<String, Object> point = new LinkedHashMap<>();
                        m.forEach((k, v) -> point.put(String.valueOf(k), v));
                        accs.add(point);
                    }
                }
            }
        }
        return Optional.of(new State(iteration, images, momentum, losses, accs));
    }

    private static void checkFits(Model model, Dataset train) {
        if (!java.util.Arrays.equals(model.inputShape(), train.imageShape()) || model.classes() != train.classes()) {
            throw new IllegalArgumentException("model " + model.name() + " takes " + org.distill4j.tensor.Shape.str(model.inputShape())
                    + " with " + model.classes() + " classes; data are " + org.distill4j.tensor.Shape.str(train.imageShape())
                    + " with " + train.classes());
        }
    }
}
