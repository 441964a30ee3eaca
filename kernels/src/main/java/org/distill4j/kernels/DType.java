package org.distill4j.kernels;

/**
 * Element types a {@link Buffer} can hold. F32 and F64 carry values; I32 carries indices
 * (labels, pooling arg-maxes, gather indices) and is accepted only by the kernels that say so.
 */
public enum DType {
    F32(4), F64(8), I32(4);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    public boolean isFloating() {
        return this != I32;
    }
}
