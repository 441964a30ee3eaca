package org.distill4j.data;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/**
 * An in-memory labelled image set: images F32 {@code [N, C, H, W]} (any normalisation) and one
 * label in {@code [0, classes)} per image. Immutable: every derived set is a new object.
 */
public final class Dataset {
    private final String name;
    private final Tensor images;
    private final int[] labels;
    private final int classes;
    private volatile String fingerprint;

    public Dataset(String name, Tensor images, int[] labels, int classes) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        if (images.rank() != 4 || images.dtype() != DType.F32) {
            throw new IllegalArgumentException("data set '" + name + "': images must be F32 [N, C, H, W], got "
                    + images.dtype() + " " + Shape.str(images.shape()));
        }
        int n = images.dim(0);
        if (n == 0) {
            throw new IllegalArgumentException("data set '" + name + "' is empty (0 images)");
        }
        if (labels.length != n) {
            throw new IllegalArgumentException("data set '" + name + "': " + n + " images but " + labels.length + " labels");
        }
        if (classes <= 0) {
            throw new IllegalArgumentException("data set '" + name + "': classes must be positive, got " + classes);
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("data set '" + name + "': label " + labels[i] + " of example " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        this.name = name;
        this.images = images;
        this.labels = labels.clone();
        this.classes = classes;
    }

    public String name() {
        return name;
    }

    public Tensor images() {
        return images;
    }

    /** A copy of the labels; use {@link #label(int)} inside loops. */
    public int[] labels() {
        return labels.clone();
    }

    /** The label of example {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** The labels as an I32 {@code [N]} tensor on the images' backend. */
    public Tensor labelTensor() {
        return Tensor.of(images.backend().upload(labels), labels.length);
    }

    public int classes() {
        return classes;
    }

    /** The number of examples N. */
    public int size() {
        return labels.length;
    }

    /** {@code [C, H, W]}. */
    public int[] imageShape() {
        int[] s = images.shape();
        return new int[]{s[1], s[2], s[3]};
    }

    /** The examples at {@code indices}, in that order (repeats allowed), copied. */
    public Dataset subset(int[] indices) {
        checkIndices(indices);
        int[] sub = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            sub[i] = labels[indices[i]];
        }
        return new Dataset(name + "[subset]", select(indices), sub, classes);
    }

    /** This set with its images normalised per channel by {@code n}. */
    public Dataset normalized(Normalization n) {
        return new Dataset(name, n.apply(images), labels, classes);
    }

    /** How many examples each class has. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * The data set in mini-batches: in order when {@code shuffle} is null, otherwise in the order of
     * {@code shuffle.permutation(N)} (drawn once, now). The last, smaller batch is left out when
     * {@code dropLast}. The list is lazy: a batch's images are copied out when it is fetched, so an
     * epoch never holds a second copy of the whole set.
     */
    public List<Batch> batches(int batchSize, Generator shuffle, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        int n = size();
        int[] order = shuffle == null ? null : shuffle.permutation(n);
        int count = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
        return new AbstractList<>() {
            @Override
            public Batch get(int b) {
                Objects.checkIndex(b, count);
                int start = b * batchSize;
                int end = Math.min(n, start + batchSize);
                int[] idx = new int[end - start];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = order == null ? start + i : order[start + i];
                }
                int[] sub = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    sub[i] = labels[idx[i]];
                }
                // In order, a batch is a contiguous run of rows: a view, no copy.
                Tensor x = order == null ? images.slice(0, start, end) : select(idx);
                return new Batch(x, Tensor.of(images.backend().upload(sub), sub.length), idx);
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    private Tensor select(int[] indices) {
        Tensor idx = Tensor.of(images.backend().upload(indices), indices.length);
        return Indexing.indexSelect(images, 0, idx);
    }

    private void checkIndices(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("subset of data set '" + name + "' with no indices");
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= size()) {
                throw new IllegalArgumentException("index " + indices[i] + " (position " + i + ") is out of range for data set '"
                        + name + "' of size " + size());
            }
        }
    }

    /**
     * SHA-256 over the images (float32, little-endian, in [N, C, H, W] order) and then the labels
     * (int32, little-endian), as 64 hex digits: identifies the data a selection or a distilled
     * set was made from. Computed once per data set, on first use.
     */
    public String fingerprint() {
        String f = fingerprint;
        if (f == null) {
            java.security.MessageDigest md = org.distill4j.io.Provenance.sha256();
            int n = size();
            int chunk = 1024;
            for (int start = 0; start < n; start += chunk) {
                float[] x = images.slice(0, start, Math.min(n, start + chunk)).toFloatArray();
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * x.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(x);
                md.update(b.array());
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * labels.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(labels);
            md.update(b.array());
            f = java.util.HexFormat.of().formatHex(md.digest());
            fingerprint = f;
        }
        return f;
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ": " + size() + " x " + Shape.str(imageShape()) + ", " + classes + " classes]";
    }
}
