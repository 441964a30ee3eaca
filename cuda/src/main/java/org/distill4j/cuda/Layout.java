package org.distill4j.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A strided view as the kernels read it (common.cuh's {@code struct Layout}): sizes and strides of
 * at most {@link #MAX_RANK} axes.
 *
 * <p>{@link #merge} first simplifies the views of one operation together: it drops axes of size 1
 * and fuses neighbouring axes that every view walks as one ({@code stride[d] == stride[d+1] *
 * size[d+1]}). A contiguous tensor of any rank becomes one axis; a broadcast row stays two. That
 * keeps the per-element index arithmetic short and lets tensors of high rank through.
 */
record Layout(int[] size, int[] stride) {
    static final int MAX_RANK = 8;

    /** The struct's fields in order: rank, size[MAX_RANK], stride[MAX_RANK]. */
    int[] fields() {
        int[] f = new int[1 + 2 * MAX_RANK];
        f[0] = size.length;
        System.arraycopy(size, 0, f, 1, size.length);
        System.arraycopy(stride, 0, f, 1 + MAX_RANK, stride.length);
        return f;
    }

    /**
     * The views {@code strides[0..]} of {@code shape}, simplified together, one Layout per view.
     *
     * @throws IllegalArgumentException when more than {@link #MAX_RANK} axes remain
     */
    static Layout[] merge(int[] shape, int[]... strides) {
        for (int[] s : strides) {
            if (s.length != shape.length) {
                throw new IllegalArgumentException("view has " + s.length + " strides for shape " + Arrays.toString(shape));
            }
        }
        List<Integer> sizes = new ArrayList<>();
        List<int[]> kept = new ArrayList<>();  // per kept axis, its stride in each view
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            int[] axis = new int[strides.length];
            for (int v = 0; v < strides.length; v++) {
                axis[v] = strides[v][d];
            }
            int last = sizes.size() - 1;
            if (last >= 0 && fusable(kept.get(last), axis, shape[d])) {
                // The previous axis steps exactly over this one in every view: one axis of both.
                sizes.set(last, sizes.get(last) * shape[d]);
                kept.set(last, axis);
            } else {
                sizes.add(shape[d]);
                kept.add(axis);
            }
        }
        if (sizes.size() > MAX_RANK) {
            throw new IllegalArgumentException("the CUDA backend reads views of at most " + MAX_RANK
                    + " axes after merging, but shape " + Arrays.toString(shape) + " with strides "
                    + Arrays.deepToString(strides) + " needs " + sizes.size());
        }
        Layout[] out = new Layout[strides.length];
        for (int v = 0; v < strides.length; v++) {
            int[] size = new int[sizes.size()];
            int[] stride = new int[sizes.size()];
            for (int d = 0; d < size.length; d++) {
                size[d] = sizes.get(d);
                stride[d] = kept.get(d)[v];
            }
            out[v] = new Layout(size, stride);
        }
        return out;
    }

    private static boolean fusable(int[] outer, int[] inner, int innerSize) {
        for (int v = 0; v < outer.length; v++) {
            if ((long) outer[v] != (long) inner[v] * innerSize) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Layout" + Arrays.toString(size) + "/" + Arrays.toString(stride);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layout l && Arrays.equals(size, l.size) && Arrays.equals(stride, l.stride);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(size) + Arrays.hashCode(stride);
    }
}
