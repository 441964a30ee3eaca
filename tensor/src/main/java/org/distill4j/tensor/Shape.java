package org.distill4j.tensor;

import java.util.Arrays;

/** Shape arithmetic: sizes, axis normalisation, NumPy broadcasting, readable formatting. */
public final class Shape {
    private Shape() {
    }

    /** Number of elements of {@code shape} (1 for a scalar shape {@code []}). */
    public static int size(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative size in shape " + str(shape));
            }
            n *= s;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + str(shape) + " has " + n + " elements, more than "
                    + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    /** {@code [2, 3]} */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Maps a possibly negative axis into {@code [0, rank)}. */
    public static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }

    /** The broadcast of two shapes under NumPy's rules (align right; sizes equal or one of them 1). */
    public static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("cannot broadcast " + str(a) + " with " + str(b));
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Strides that read a tensor of {@code shape} and {@code strides} as if it had {@code target} shape. */
    public static int[] broadcastStrides(int[] shape, int[] strides, int[] target) {
        if (shape.length > target.length) {
            throw new IllegalArgumentException("cannot broadcast " + str(shape) + " to " + str(target));
        }
        int lead = target.length - shape.length;
        int[] out = new int[target.length];
        for (int i = 0; i < target.length; i++) {
            if (i < lead) {
                out[i] = 0;
                continue;
            }
            int s = shape[i - lead];
            if (s == target[i]) {
                out[i] = s == 1 ? 0 : strides[i - lead];
            } else if (s == 1) {
                out[i] = 0;
            } else {
                throw new IllegalArgumentException("cannot broadcast " + str(shape) + " to " + str(target));
            }
        }
        return out;
    }

    /**
     * The axes that were broadcast when {@code shape} was expanded to {@code target}: the leading
     * axes {@code shape} lacks and those where it has size 1 but {@code target} does not. Summing a
     * gradient over them gives the gradient of the original tensor.
     */
    public static int[] broadcastAxes(int[] shape, int[] target) {
        int lead = target.length - shape.length;
        int count = 0;
        int[] axes = new int[target.length];
        for (int i = 0; i < target.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && target[i] != 1)) {
                axes[count++] = i;
            }
        }
        return Arrays.copyOf(axes, count);
    }

    /** Resolves one {@code -1} in a reshape target against {@code size} elements. */
    static int[] resolveReshape(int[] from, int[] to) {
        int size = size(from);
        int[] out = to.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (unknown >= 0) {
                    throw new IllegalArgumentException("reshape " + str(from) + " to " + str(to) + ": more than one -1");
                }
                unknown = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("reshape " + str(from) + " to " + str(to) + ": negative size");
            } else {
                known *= out[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + str(from) + " (" + size + " elements) to " + str(to));
            }
            out[unknown] = (int) (size / known);
        }
        if (size(out) != size) {
            throw new IllegalArgumentException("cannot reshape " + str(from) + " (" + size + " elements) to "
                    + str(to) + " (" + size(out) + " elements)");
        }
        return out;
    }
}
