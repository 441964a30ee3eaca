package org.distill4j.kernels.cpu;

/**
 * A row-major counter over some axes that keeps the matching strided offset up to date, so a
 * kernel can step through a view position by position without a division per step.
 */
final class Odometer {
    private final int[] dims;
    private final int[] strides;
    private final int[] idx;
    private final int count;
    private int offset;

    Odometer(int[] dims, int[] strides) {
        this.dims = dims;
        this.strides = strides;
        this.idx = new int[dims.length];
        this.count = Access.size(dims);
    }

    /** Number of positions (1 when there are no axes). */
    int count() {
        return count;
    }

    /** Back to the first position, offset 0. */
    void reset() {
        java.util.Arrays.fill(idx, 0);
        offset = 0;
    }

    /** The offset of the current position relative to the first. */
    int offset() {
        return offset;
    }

    /** Moves to the next position in row-major order (wrapping to the first after the last). */
    void next() {
        for (int axis = dims.length - 1; axis >= 0; axis--) {
            idx[axis]++;
            offset += strides[axis];
            if (idx[axis] < dims[axis]) {
                return;
            }
            offset -= dims[axis] * strides[axis];
            idx[axis] = 0;
        }
    }
}
