package org.distill4j.kernels;

/**
 * A flat run of elements owned by one {@link Backend}. Kernels address it with an element offset
 * and, for strided reads, per-axis strides in elements. Buffers know nothing of shapes.
 */
public interface Buffer {
    Backend backend();

    DType dtype();

    /** Number of elements. */
    int length();
}
