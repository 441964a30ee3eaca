package org.distill4j.data;

import java.util.Arrays;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/**
 * One mini-batch: images {@code [B, C, H, W]}, their labels (I32 {@code [B]}) and the positions
 * of its examples in the data set it was cut from (weighted training and per-example statistics,
 * such as forgetting events, need them).
 */
public record Batch(Tensor images, Tensor labels, int[] indices) {
    public Batch {
        if (images.rank() != 4 || labels.rank() != 1 || labels.size() != images.dim(0) || indices.length != images.dim(0)) {
            throw new IllegalArgumentException("batch of images " + Shape.str(images.shape()) + ", labels "
                    + Shape.str(labels.shape()) + " and " + indices.length + " indices do not agree");
        }
        indices = indices.clone();
    }

    /** The number of examples. */
    public int size() {
        return indices.length;
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch b && images.equals(b.images) && labels.equals(b.labels) && Arrays.equals(indices, b.indices);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * images.hashCode() + labels.hashCode()) + Arrays.hashCode(indices);
    }

    @Override
    public String toString() {
        return "Batch[" + indices.length + " x " + Shape.str(images.shape()) + "]";
    }
}
