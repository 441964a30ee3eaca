package org.distill4j.distill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.distill4j.autodiff.Var;
import org.distill4j.data.Normalization;
import org.distill4j.io.AtomicFile;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.io.Provenance;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/**
 * Everything needed to replay a distilled training run: images {@code [S, n, C, H, W]} (normalised
 * pixel space), labels per step ({@code I32 [S, n]} hard, or {@code F32 [S, n, classes]}
 * distributions), T = S x epochs learning rates (step t uses images {@code t mod S}), and
 * {@code meta} (settings, normalisation, init, provenance, results). On disk: {@code images.npy},
 * {@code labels.npy}, {@code lrs.npy}, {@code meta.json}; meta.json holds the SHA-256 of each
 * array file ({@code "sha256"}), which {@link #read} verifies (folders saved before there were
 * checksums are read without).
 */
public record DistilledSet(Tensor images, Tensor labels, double[] lrs, Map<String, Object> meta) {

    public DistilledSet {
        if (images.rank() != 5) {
            throw new IllegalArgumentException("distilled images must be [steps, n, C, H, W], got " + Shape.str(images.shape()));
        }
        int s = images.dim(0);
        int n = images.dim(1);
        boolean hard = labels.rank() == 2 && labels.dtype() == DType.I32;
        boolean soft = labels.rank() == 3 && labels.dtype().isFloating();
        if (!(hard || soft) || labels.dim(0) != s || labels.dim(1) != n) {
            throw new IllegalArgumentException("distilled labels must be I32 [" + s + ", " + n + "] or F32 [" + s + ", " + n
                    + ", classes], got " + labels.dtype() + " " + Shape.str(labels.shape()));
        }
        if (lrs.length == 0 || lrs.length % s != 0) {
            throw new IllegalArgumentException(lrs.length + " learning rates for " + s + " steps: expected a positive multiple");
        }
        for (int t = 0; t < lrs.length; t++) {
            if (!(lrs[t] > 0) || !Double.isFinite(lrs[t])) {
                throw new IllegalArgumentException("learning rate " + t + " is " + lrs[t] + "; rates must be positive");
            }
        }
        meta = new LinkedHashMap<>(meta);
    }

    /** meta.json's {@code results} (what the distiller measured): a copy, empty where there are none. */
    public Map<String, Object> results() {
        return meta.get("results") instanceof Map<?, ?> m ? copyOf(m) : new LinkedHashMap<>();
    }

    /**
     * This set with {@code more} added to its results (an entry of the same name is replaced) and
     * {@code command}, the command line that made it, recorded in meta.json ({@code null}: none).
     */
    public DistilledSet withResults(Map<String, Object> more, String command) {
        Map<String, Object> results = results();
        results.putAll(more);
        Map<String, Object> m = new LinkedHashMap<>(meta);
        m.put("results", results);
        if (command != null) {
            m.put("command", command);
        }
        return new DistilledSet(images, labels, lrs, m);
    }

    private static Map<String, Object> copyOf(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    public int steps() {
        return images.dim(0);
    }

    public int epochs() {
        return lrs.length / steps();
    }

    /** The rates as {@link #writeTo} stores them in lrs.npy (float32): what a JSON summary should show. */
    public float[] storedLrs() {
        float[] out = new float[lrs.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = (float) lrs[t];
        }
        return out;
    }

    public boolean soft() {
        return labels.rank() == 3;
    }

    /** The data set (name or path) the set was distilled from, as {@code meta.json} records it. */
    public Optional<String> dataset() {
        return meta.get("dataset") instanceof String d ? Optional.of(d) : Optional.empty();
    }

    /** The model the set was distilled for, as {@code meta.json} records it. */
    public Optional<String> model() {
        return meta.get("model") instanceof String m ? Optional.of(m) : Optional.empty();
    }

    /** Refuses, in one line, a set read from {@code dir} whose meta.json does not name its data set and model. */
    public void checkOrigin(Path dir) {
        if (dataset().isEmpty() || model().isEmpty()) {
            throw new IllegalArgumentException(dir.resolve("meta.json") + ": needs 'dataset' and 'model'");
        }
    }

    /** The normalisation the test data must get, refused in one line where meta.json does not record it. */
    public Normalization requiredNormalization() throws IOException {
        return normalization().orElseThrow(() -> new IOException("meta.json: 'normalization' must be {\"mean\": [...], \"std\": [...]}"));
    }

    /** The method that made the set, from meta.json's "distill_method" or "method" (Wang et al.'s sets: their paper). */
    public DistillMethod method() {
        // DC, DSA and MTT sets name themselves under "distill_method" (their "method" is a description); DM sets under
        // "method"; Wang et al.'s sets name their paper.
        for (String key : new String[] {"distill_method", "method"}) {
            Object m = meta.get(key);
            for (DistillMethod d : DistillMethod.values()) {
                if (d.id().equals(m)) {
                    return d;
                }
            }
        }
        return DistillMethod.WANG2018;
    }

    /** Refuses, in one line, a model whose input shape is not the images' {@code [C, H, W]}. */
    public void checkFits(org.distill4j.nn.Model model) {
        int[] shape = images.shape();
        if (!Arrays.equals(Arrays.copyOfRange(shape, 2, 5), model.inputShape())) {
            throw new IllegalArgumentException("distilled images " + Shape.str(shape) + " do not fit model " + model.name() + " "
                    + Shape.str(model.inputShape()));
        }
    }

    /** The normalisation of the pixels the set lives in (that the test data must get too), when recorded. */
    public Optional<Normalization> normalization() {
        if (!(meta.get("normalization") instanceof Map<?, ?> m)) {
            return Optional.empty();
        }
        double[] mean = doubles(m.get("mean"));
        double[] std = doubles(m.get("std"));
        return mean == null || std == null ? Optional.empty() : Optional.of(Normalization.of(mean, std));
    }

    /** {@code normalization} as meta.json stores it. */
    static Map<String, Object> normalizationMeta(Normalization n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", n.mean());
        m.put("std", n.std());
        return m;
    }

    /**
     * meta.json's {@code "provenance"}: the distill4j version, the seed, and the training data's
     * name, size and SHA-256 fingerprint (what a set was distilled from).
     */
    static Map<String, Object> provenanceMeta(org.distill4j.data.Dataset train, long seed) {
        Map<String, Object> trainingData = new LinkedHashMap<>();
        trainingData.put("name", train.name());
        trainingData.put("examples", train.size());
        trainingData.put("sha256", train.fingerprint());
        trainingData.put("of", "normalised float32 images, then int32 labels, little-endian");
        Map<String, Object> provenance = new LinkedHashMap<>();
        Provenance.stamp(provenance);
        provenance.put("seed", seed);
        provenance.put("training_data", trainingData);
        return provenance;
    }

    /** A list of numbers as read from JSON, or the array a set made in this program holds; null otherwise. */
    private static double[] doubles(Object v) {
        if (v instanceof double[] d) {
            return d.clone();
        }
        if (!(v instanceof List<?> l) || !l.stream().allMatch(o -> o instanceof Number)) {
            return null;
        }
        return l.stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }

    /** How the networks started while the set was learned: fixed when meta.json says so, random otherwise. */
    public DistillConfig.Init init() {
        return "fixed".equals(meta.get("init")) ? DistillConfig.Init.FIXED : DistillConfig.Init.RANDOM;
    }

    /** The seed of the distillation, when recorded. */
    public OptionalLong seed() {
        return meta.get("seed") instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }

    /** The number of kept initialisations of a fixed-init set (1 when not recorded). */
    public int nNets() {
        return meta.get("n_nets") instanceof Number n ? n.intValue() : 1;
    }

    /** Images per class in each step. */
    public int ipc() {
        if (!(meta.get("ipc") instanceof Number n)) {
            throw new IllegalStateException("the distilled set's meta data do not record 'ipc'");
        }
        return n.intValue();
    }

    /** Step t's images: {@code t mod S} (1..S, 1..S, ..., as in the reference code). */
    public int[] stepOrder() {
        int[] order = new int[lrs.length];
        for (int t = 0; t < order.length; t++) {
            order[t] = t % steps();
        }
        return order;
    }

    /** The set as constant leaves for {@link UnrolledTraining#train} (replay). */
    public DistilledLeaves leaves(DType dtype) {
        Var[] img = new Var[steps()];
        Tensor[] hard = new Tensor[steps()];
        Var[] logits = soft() ? new Var[steps()] : null;
        for (int s = 0; s < steps(); s++) {
            img[s] = Var.param(images.select(0, s).copy(dtype));
            if (soft()) {
                // softmax(log p) = p: the stored distribution, as logits.
                Tensor p = labels.select(0, s).copy(dtype);
                logits[s] = Var.param(Elementwise.unary(UnaryOp.LOG, Elementwise.unary(UnaryOp.AFFINE, p, 1, 1e-12)));
            } else {
                hard[s] = labels.select(0, s).copy();
            }
        }
        Var[] raw = new Var[lrs.length];
        for (int t = 0; t < raw.length; t++) {
            raw[t] = Var.param(Tensor.scalar(dtype, lrs[t] > 30 ? lrs[t] : Math.log(Math.expm1(lrs[t]))));
        }
        return new DistilledLeaves(img, raw, hard, logits);
    }

    /** The images as one batch {@code [S*n, C, H, W]}, and their hard labels (arg-max for soft ones). */
    public Tensor flatImages() {
        int[] s = images.shape();
        return images.contiguous().reshape(s[0] * s[1], s[2], s[3], s[4]);
    }

    public int[] flatHardLabels() {
        if (!soft()) {
            return labels.contiguous().toIntArray();
        }
        int k = labels.dim(2);
        return org.distill4j.tensor.Reduce.argmax(labels.contiguous().reshape(labels.dim(0) * labels.dim(1), k), 1)
                .toIntArray();
    }

    /**
     * Saves the set as a folder at {@code dir}, all or nothing; refuses to replace anything but an
     * empty folder or an earlier distilled set (see {@link Output}).
     */
    public void save(Path dir) throws IOException {
        save(Output.check(dir, OutputKinds.DISTILLED_SET, false));
    }

    /** Saves the set at an output path checked beforehand (for callers that check before long work). */
    public void save(Output out) throws IOException {
        out.writeFolder(this::writeTo);
    }

    /**
     * Writes the four files into the existing folder {@code dir}, replacing files of the same
     * names: for a folder being written by {@link Output} (as {@link #save} does, or inside a
     * larger output such as a report). {@code meta.json} carries {@code "kind"}, so the folder is
     * recognised as a distilled set.
     */
    public void writeTo(Path dir) throws IOException {
        Npy.write(dir.resolve("images.npy"), images.copy(DType.F32));
        Npy.write(dir.resolve("labels.npy"), soft() ? labels.copy(DType.F32) : labels);
        Npy.write(dir.resolve("lrs.npy"), Tensor.fromDoubles(lrs, lrs.length).copy(DType.F32));
        Map<String, Object> marked = new LinkedHashMap<>();
        marked.put("kind", OutputKinds.DISTILLED_SET.id());
        marked.putAll(meta);
        marked.put("kind", OutputKinds.DISTILLED_SET.id());
        marked.remove(CHECKSUMS);
        Map<String, Object> sums = new LinkedHashMap<>();
        for (String f : ARRAYS) {
            sums.put(f, Provenance.sha256(dir.resolve(f)));
        }
        marked.put(CHECKSUMS, sums);
        AtomicFile.writeString(dir.resolve("meta.json"), Json.write(marked) + "\n");
    }

    private static final List<String> ARRAYS = List.of("images.npy", "labels.npy", "lrs.npy");

    /** The meta.json key of the array files' SHA-256 digests. */
    static final String CHECKSUMS = "sha256";

    /** Largest {@code n_nets} a folder may name: it sizes an array of networks before any is made. */
    static final int MAX_NETS = 10_000;

    /**
     * Reads a folder written by {@link #writeTo}, checking every file against {@code meta.json} and
     * the fields the commands use for their types. A folder that is not right in any way is an
     * IOException of one line naming the file (NoSuchFileException for a missing one); the array
     * files are read only once meta.json is known to be good, and, where meta.json records their
     * SHA-256 (every folder saved since checksums were added), verified against it last, so that a
     * damaged file is named by what is wrong with it and a well-formed but different one by its checksum.
     */
    public static DistilledSet read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "not a distilled folder");
        }
        for (String f : List.of("meta.json", "images.npy", "labels.npy", "lrs.npy")) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new NoSuchFileException(dir.resolve(f).toString(), null, "missing from the distilled folder");
            }
        }
        Path metaFile = dir.resolve("meta.json");
        Map<String, Object> meta = Json.readObject(metaFile);
        int steps = intOf(meta, "steps", metaFile);
        int epochs = intOf(meta, "epochs", metaFile);
        int ipc = intOf(meta, "ipc", metaFile);
        int classes = intOf(meta, "classes", metaFile);
        int[] imageShape = intsOf(meta, "image_shape", metaFile);
        checkOptionalFields(meta, metaFile, imageShape[0]);
        long perStep = (long) ipc * classes;
        long rates = (long) steps * epochs;
        if (perStep > Integer.MAX_VALUE || rates > Integer.MAX_VALUE) {
            throw new IOException(metaFile + ": ipc x classes = " + perStep + " and steps x epochs = " + rates
                    + " must each be at most " + Integer.MAX_VALUE);
        }
        Tensor images = Npy.read(dir.resolve("images.npy"));
        int[] want = {steps, (int) perStep, imageShape[0], imageShape[1], imageShape[2]};
        if (!Arrays.equals(images.shape(), want)) {
            throw new IOException(dir.resolve("images.npy") + ": shape " + Shape.str(images.shape()) + " does not match meta.json "
                    + Shape.str(want));
        }
        if (!images.dtype().isFloating()) {
            throw new IOException(dir.resolve("images.npy") + ": dtype " + images.dtype() + ", expected float pixels");
        }
        Tensor labels = Npy.read(dir.resolve("labels.npy"));
        boolean soft = Boolean.TRUE.equals(meta.get("soft_labels"));
        int[] wantLabels = soft ? new int[]{steps, (int) perStep, classes} : new int[]{steps, (int) perStep};
        if (!Arrays.equals(labels.shape(), wantLabels)) {
            throw new IOException(dir.resolve("labels.npy") + ": shape " + Shape.str(labels.shape()) + " does not match meta.json "
                    + Shape.str(wantLabels));
        }
        Tensor lrs = Npy.read(dir.resolve("lrs.npy"));
        if (lrs.rank() != 1 || lrs.dim(0) != rates) {
            throw new IOException(dir.resolve("lrs.npy") + ": shape " + Shape.str(lrs.shape()) + " does not match meta.json ["
                    + rates + "] (steps x epochs)");
        }
        if (!soft) {
            if (labels.dtype().isFloating()) {
                throw new IOException(dir.resolve("labels.npy") + ": dtype " + labels.dtype()
                        + ", expected integer class labels (meta.json says soft_labels is false)");
            }
            for (int l : labels.toIntArray()) {
                if (l < 0 || l >= classes) {
                    throw new IOException(dir.resolve("labels.npy") + ": label " + l + " outside [0, " + classes + ")");
                }
            }
        } else if (!labels.dtype().isFloating()) {
            throw new IOException(dir.resolve("labels.npy") + ": dtype " + labels.dtype()
                    + ", expected float label distributions (meta.json says soft_labels is true)");
        }
        checkFinite(images, dir.resolve("images.npy"));
        if (soft) {
            checkFinite(labels, dir.resolve("labels.npy"));
        }
        DistilledSet set;
        try {
            set = new DistilledSet(images.to(DType.F32), labels, lrs.toDoubleArray(), meta);
        } catch (IllegalArgumentException e) {
            throw new IOException(dir + ": " + e.getMessage());
        }
        verifyChecksums(dir, meta);
        return set;
    }

    /** Fields that may be absent, but when present must have the type the commands read them as. */
    private static void checkOptionalFields(Map<String, Object> meta, Path file, int channels) throws IOException {
        for (String key : List.of("dataset", "model")) {
            if (meta.containsKey(key) && !(meta.get(key) instanceof String)) {
                throw wrong(file, key, "a string", meta.get(key));
            }
        }
        if (meta.containsKey("soft_labels") && !(meta.get("soft_labels") instanceof Boolean)) {
            throw wrong(file, "soft_labels", "true or false", meta.get("soft_labels"));
        }
        if (meta.containsKey("init") && !"fixed".equals(meta.get("init")) && !"random".equals(meta.get("init"))) {
            throw wrong(file, "init", "\"fixed\" or \"random\"", meta.get("init"));
        }
        if (meta.containsKey("seed") && !(meta.get("seed") instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= 0x1p63)) {
            throw wrong(file, "seed", "an integer", meta.get("seed"));
        }
        if (meta.containsKey("n_nets")) {
            int nets = intOf(meta, "n_nets", file);
            if (nets > MAX_NETS) {
                throw new IOException(file + ": 'n_nets' is " + nets + ", expected at most " + MAX_NETS);
            }
        }
        if (meta.containsKey(CHECKSUMS)) {
            Object sums = meta.get(CHECKSUMS);
            boolean ok = sums instanceof Map<?, ?>;
            for (String f : ARRAYS) {
                ok = ok && ((Map<?, ?>) sums).get(f) instanceof String h && h.matches("[0-9a-f]{64}");
            }
            if (!ok) {
                throw wrong(file, CHECKSUMS, "{\"images.npy\": ..., \"labels.npy\": ..., \"lrs.npy\": ...} of 64 hex digits each",
                        meta.get(CHECKSUMS));
            }
        }
        if (meta.containsKey("normalization")) {
            if (!(meta.get("normalization") instanceof Map<?, ?> norm)) {
                throw wrong(file, "normalization", "{\"mean\": [...], \"std\": [...]}", meta.get("normalization"));
            }
            for (String key : List.of("mean", "std")) {
                Object v = norm.get(key);
                boolean ok = v instanceof List<?> l && l.size() == channels;
                for (Object x : ok ? (List<?>) v : List.of()) {
                    ok &= x instanceof Number d && Double.isFinite(d.doubleValue()) && (key.equals("mean") || d.doubleValue() > 0);
                }
                if (!ok) {
                    throw wrong(file, "normalization." + key, channels + (key.equals("std") ? " positive" : " finite")
                            + " number(s), one per channel", v);
                }
            }
        }
    }

    private static void verifyChecksums(Path dir, Map<String, Object> meta) throws IOException {
        if (!meta.containsKey(CHECKSUMS)) {
            return;
        }
        Map<?, ?> sums = (Map<?, ?>) meta.get(CHECKSUMS);
        for (String f : ARRAYS) {
            String want = (String) sums.get(f);
            String got = Provenance.sha256(dir.resolve(f));
            if (!got.equals(want)) {
                throw new IOException(dir.resolve(f) + ": SHA-256 " + got + " differs from " + want
                        + " recorded in meta.json; the file is not the one this set was saved with");
            }
        }
    }

    private static void checkFinite(Tensor t, Path file) throws IOException {
        float[] v = t.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IOException(file + ": element " + i + " is " + v[i] + ", expected finite numbers");
            }
        }
    }

    private static IOException wrong(Path file, String key, String expected, Object got) {
        String text = got == null ? "null" : Json.write(got);
        if (text.length() > 40) {
            text = text.substring(0, 40) + "...";
        }
        return new IOException(file + ": '" + key + "' must be " + expected + ", got " + Json.kind(got) + " " + text);
    }

    static int intOf(Map<String, Object> meta, String key, Path file) throws IOException {
        if (!(meta.get(key) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1
                || n.doubleValue() > Integer.MAX_VALUE) {
            throw wrong(file, key, "an integer from 1 to " + Integer.MAX_VALUE, meta.get(key));
        }
        return n.intValue();
    }

    /** Three positive integers, e.g. image_shape [C, H, W]. */
    static int[] intsOf(Map<String, Object> meta, String key, Path file) throws IOException {
        String expected = "a list of 3 integers from 1 to " + Integer.MAX_VALUE + " ([channels, height, width])";
        if (!(meta.get(key) instanceof List<?> l) || l.size() != 3) {
            throw wrong(file, key, expected, meta.get(key));
        }
        int[] out = new int[3];
        for (int i = 0; i < 3; i++) {
            if (!(l.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1
                    || n.doubleValue() > Integer.MAX_VALUE) {
                throw wrong(file, key, expected, l);
            }
            out[i] = n.intValue();
        }
        return out;
    }
}
