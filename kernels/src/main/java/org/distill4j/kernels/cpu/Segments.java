package org.distill4j.kernels.cpu;

import org.distill4j.kernels.View;

/**
 * An elementwise walk over a shape whose output is contiguous and whose (up to three) inputs are
 * strided views, cut into runs along the innermost axis. Axes of size 1 are dropped and adjacent
 * axes that every input walks as one are merged first, so a contiguous tensor is a single run, a
 * bias add over {@code [n, c]} is {@code n} runs of {@code c}, and only truly strided views pay for
 * the index counter. The counter is advanced incrementally: no division per element or per run.
 */
final class Segments {
    /** Receives one run: input offsets {@code x0, x1, x2}, the output position, and the run length. */
    @FunctionalInterface
    interface Body {
        void run(int x0, int x1, int x2, int out, int len);
    }

    /** Elements per parallel task: large enough to hide scheduling, small enough to balance two cores. */
    static final int CHUNK = 1 << 15;

    private final int[] shape;
    private final int[][] strides;
    private final int[] offsets = new int[3];
    private final int size;

    private Segments(int[] shape, int[][] strides, View[] views) {
        this.shape = shape;
        this.strides = strides;
        for (int v = 0; v < views.length; v++) {
            offsets[v] = views[v].offset();
        }
        this.size = Access.size(shape);
    }

    /** The walk of {@code shape} over {@code views} (one to three inputs sharing the shape). */
    static Segments of(int[] shape, View... views) {
        if (views.length < 1 || views.length > 3) {
            throw new IllegalArgumentException("Segments takes 1 to 3 views, got " + views.length);
        }
        int rank = shape.length;
        int[] dims = new int[Math.max(rank, 1)];
        int[][] st = new int[3][Math.max(rank, 1)];
        int kept = 0;
        for (int axis = 0; axis < rank; axis++) {
            if (shape[axis] < 0) {
                throw new IllegalArgumentException("negative extent " + shape[axis] + " at axis " + axis);
            }
            if (shape[axis] == 1) {
                continue;
            }
            boolean merge = kept > 0;
            for (int v = 0; v < views.length && merge; v++) {
                int s = views[v].strides()[axis];
                merge = st[v][kept - 1] == s * shape[axis];
            }
            if (merge) {
                dims[kept - 1] *= shape[axis];
                for (int v = 0; v < views.length; v++) {
                    st[v][kept - 1] = views[v].strides()[axis];
                }
            } else {
                dims[kept] = shape[axis];
                for (int v = 0; v < views.length; v++) {
                    st[v][kept] = views[v].strides()[axis];
                }
                kept++;
            }
        }
        if (kept == 0) {
            // A scalar, or every extent 1: one run of one element.
            dims[0] = 1;
            kept = 1;
        }
        int[][] trimmed = new int[3][];
        for (int v = 0; v < 3; v++) {
            trimmed[v] = java.util.Arrays.copyOf(st[v], kept);
        }
        return new Segments(java.util.Arrays.copyOf(dims, kept), trimmed, views);
    }

    int size() {
        return size;
    }

    /** Stride of input {@code v} along the innermost (run) axis. */
    int innerStride(int v) {
        return strides[v][shape.length - 1];
    }

    /** Calls {@code body} on the runs covering output positions {@code [from, to)}, in order. */
    void run(int from, int to, Body body) {
        int rank = shape.length;
        int last = rank - 1;
        int[] s0 = strides[0];
        int[] s1 = strides[1];
        int[] s2 = strides[2];
        int[] idx = new int[rank];
        int x0 = offsets[0];
        int x1 = offsets[1];
        int x2 = offsets[2];
        int rem = from;
        for (int axis = last; axis >= 0; axis--) {
            int i = rem % shape[axis];
            rem /= shape[axis];
            idx[axis] = i;
            x0 += i * s0[axis];
            x1 += i * s1[axis];
            x2 += i * s2[axis];
        }
        int pos = from;
        while (pos < to) {
            int len = Math.min(shape[last] - idx[last], to - pos);
            body.run(x0, x1, x2, pos, len);
            pos += len;
            idx[last] += len;
            x0 += len * s0[last];
            x1 += len * s1[last];
            x2 += len * s2[last];
            for (int axis = last; axis > 0 && idx[axis] == shape[axis]; axis--) {
                idx[axis] = 0;
                idx[axis - 1]++;
                x0 += s0[axis - 1] - shape[axis] * s0[axis];
                x1 += s1[axis - 1] - shape[axis] * s1[axis];
                x2 += s2[axis - 1] - shape[axis] * s2[axis];
            }
        }
    }

    /**
     * Runs the whole walk, in parallel over fixed chunks of {@link #CHUNK} outputs: chunk borders
     * depend on the size alone, so each run is cut the same way on any thread count.
     */
    void runParallel(Body body) {
        int n = size;
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.forRange(chunks, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                run(c * CHUNK, Math.min(n, (c + 1) * CHUNK), body);
            }
        });
    }
}
