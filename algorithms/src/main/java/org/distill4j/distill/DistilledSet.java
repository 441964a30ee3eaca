package org.distill4j.distill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.autodiff.Var;
import org.distill4j.io.AtomicFile;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Pointwise;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/**
 * Everything needed to replay a distilled training run: images {@code [S, n, C, H, W]} (normalised
 * pixel space), labels per step ({@code I32 [S, n]} hard, or {@code F32 [S, n, classes]}
 * distributions), T = S x epochs learning rates (step t uses images {@code t mod S}), and
 * {@code meta} (settings, normalisation, init, results). On disk: {@code images.npy},
 * {@code labels.npy}, {@code lrs.npy}, {@code meta.json}.
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

    public int steps() {
        return images.dim(0);
    }

    public int epochs() {
        return lrs.length / steps();
    }

    public boolean soft() {
        return labels.rank() == 3;
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
                logits[s] = Var.param(Pointwise.unary(UnaryOp.LOG, Pointwise.unary(UnaryOp.AFFINE, p, 1, 1e-12)));
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
        return org.distill4j.tensor.Reductions.argmax(labels.contiguous().reshape(labels.dim(0) * labels.dim(1), k), 1)
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
        AtomicFile.writeString(dir.resolve("meta.json"), Json.write(marked) + "\n");
    }

    /** Reads a folder written by {@link #writeTo}, checking every file against {@code meta.json}. */
    public static DistilledSet read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "not a distilled folder");
        }
        for (String f : List.of("meta.json", "images.npy", "labels.npy", "lrs.npy")) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new NoSuchFileException(dir.resolve(f).toString(), null, "missing from the distilled folder");
            }
        }
        Map<String, Object> meta;
        try {
            meta = Json.parseObject(Files.readString(dir.resolve("meta.json")));
        } catch (RuntimeException e) {
            throw new IOException(dir.resolve("meta.json") + ": not valid JSON (" + e.getMessage() + ")");
        }
        int steps = intOf(meta, "steps");
        int epochs = intOf(meta, "epochs");
        int ipc = intOf(meta, "ipc");
        int classes = intOf(meta, "classes");
        int[] imageShape = intsOf(meta, "image_shape");
        Tensor images = Npy.read(dir.resolve("images.npy"));
        int[] want = new int[]{steps, ipc * classes, 0, 0, 0};
        System.arraycopy(imageShape, 0, want, 2, Math.min(3, imageShape.length));
        if (imageShape.length != 3 || !Arrays.equals(images.shape(), want)) {
            throw new IOException(dir.resolve("images.npy") + ": shape " + Shape.str(images.shape()) + " does not match meta.json "
                    + Shape.str(want));
        }
        Tensor labels = Npy.read(dir.resolve("labels.npy"));
        boolean soft = Boolean.TRUE.equals(meta.get("soft_labels"));
        int[] wantLabels = soft ? new int[]{steps, ipc * classes, classes} : new int[]{steps, ipc * classes};
        if (!Arrays.equals(labels.shape(), wantLabels)) {
            throw new IOException(dir.resolve("labels.npy") + ": shape " + Shape.str(labels.shape()) + " does not match meta.json "
                    + Shape.str(wantLabels));
        }
        Tensor lrs = Npy.read(dir.resolve("lrs.npy"));
        if (lrs.rank() != 1 || lrs.dim(0) != steps * epochs) {
            throw new IOException(dir.resolve("lrs.npy") + ": shape " + Shape.str(lrs.shape()) + " does not match meta.json ["
                    + steps * epochs + "] (steps x epochs)");
        }
        if (!soft) {
            labels = labels.to(DType.I32);
            for (int l : labels.toIntArray()) {
                if (l < 0 || l >= classes) {
                    throw new IOException(dir.resolve("labels.npy") + ": label " + l + " outside [0, " + classes + ")");
                }
            }
        }
        try {
            return new DistilledSet(images.to(DType.F32), labels, lrs.toDoubleArray(), meta);
        } catch (IllegalArgumentException e) {
            throw new IOException(dir + ": " + e.getMessage());
        }
    }

    static int intOf(Map<String, Object> meta, String key) throws IOException {
        if (!(meta.get(key) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() <= 0) {
            throw new IOException("meta.json: '" + key + "' must be a positive integer, got " + meta.get(key));
        }
        return n.intValue();
    }

    static int[] intsOf(Map<String, Object> meta, String key) throws IOException {
        if (!(meta.get(key) instanceof List<?> l)) {
            throw new IOException("meta.json: '" + key + "' must be a list of integers, got " + meta.get(key));
        }
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) {
                throw new IOException("meta.json: '" + key + "' must be a list of integers, got " + l);
            }
            out[i] = n.intValue();
        }
        return out;
    }
}
