package org.distill4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.View;

/** Random buffers, views in many layouts, and comparisons for the CPU kernel tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** How a view walks its buffer. */
    enum Layout {
        CONTIGUOUS,   // row-major from offset 0
        OFFSET,       // row-major from offset 5
        REVERSED,     // axes stored in reverse order (a transpose), from offset 2
        STRIDED,      // every other element, from offset 1: no axis has stride 1
        SLICED,       // row-major in a buffer one larger on every axis: rows do not join up
        BROADCAST     // some axes have stride 0
    }

    static CpuBuffer random(DType dtype, int length, Random rnd) {
        CpuBuffer b = CpuBuffer.allocate(dtype, length);
        for (int i = 0; i < length; i++) {
            double v = rnd.nextGaussian() * 2;
            Access.set(b, i, dtype == DType.I32 ? Math.floor(v * 10) : v);
        }
        return b;
    }

    /** Positive values in [0.1, 4.1): for LOG, SQRT and friends. */
    static CpuBuffer positive(DType dtype, int length, Random rnd) {
        CpuBuffer b = CpuBuffer.allocate(dtype, length);
        for (int i = 0; i < length; i++) {
            Access.set(b, i, 0.1 + 4 * rnd.nextDouble());
        }
        return b;
    }

    static int size(int[] shape) {
        return Access.size(shape);
    }

    /** A view of {@code shape} in {@code layout} over a new random buffer. */
    static View view(DType dtype, int[] shape, Layout layout, Random rnd, boolean positive) {
        int rank = shape.length;
        int[] strides = new int[rank];
        int offset;
        int length;
        switch (layout) {
            case CONTIGUOUS, OFFSET -> {
                strides = View.rowMajorStrides(shape);
                offset = layout == Layout.OFFSET ? 5 : 0;
                length = offset + size(shape);
            }
            case REVERSED -> {
                int s = 1;
                for (int axis = 0; axis < rank; axis++) {
                    strides[axis] = s;
                    s *= shape[axis];
                }
                offset = 2;
                length = offset + size(shape);
            }
            case STRIDED -> {
                int[] rm = View.rowMajorStrides(shape);
                for (int axis = 0; axis < rank; axis++) {
                    strides[axis] = 2 * rm[axis];
                }
                offset = 1;
                length = offset + 2 * size(shape);
            }
            case SLICED -> {
                int[] padded = shape.clone();
                for (int axis = 0; axis < rank; axis++) {
                    padded[axis]++;
                }
                strides = View.rowMajorStrides(padded);
                offset = 3;
                length = offset + size(padded);
            }
            case BROADCAST -> {
                // Every other axis, starting with the first, repeats; the rest are row-major.
                int s = 1;
                for (int axis = rank - 1; axis >= 0; axis--) {
                    if (axis % 2 == 0) {
                        strides[axis] = 0;
                    } else {
                        strides[axis] = s;
                        s *= shape[axis];
                    }
                }
                offset = 4;
                length = offset + s;
            }
            default -> throw new IllegalArgumentException(layout.toString());
        }
        CpuBuffer b = positive ? positive(dtype, length, rnd) : random(dtype, length, rnd);
        return new View(b, offset, strides);
    }

    /** A view with explicit strides over a new random buffer big enough for them. */
    static View view(DType dtype, int[] shape, int[] strides, int offset, Random rnd) {
        int last = offset;
        for (int axis = 0; axis < shape.length; axis++) {
            last += (shape[axis] - 1) * strides[axis];
        }
        return new View(random(dtype, last + 1, rnd), offset, strides);
    }

    static double[] values(CpuBuffer b, int offset, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Access.get(b, offset + i);
        }
        return out;
    }

    /** Same values bit for bit (NaNs of any payload count as equal). */
    static void assertIdentical(CpuBuffer expected, CpuBuffer actual, int offset, int n, String what) {
        for (int i = 0; i < n; i++) {
            double e = Access.get(expected, offset + i);
            double a = Access.get(actual, offset + i);
            if (Double.doubleToLongBits(e) != Double.doubleToLongBits(a) && !(Double.isNaN(e) && Double.isNaN(a))) {
                fail(what + ": element " + i + " expected " + e + " but was " + a);
            }
        }
    }

    /** {@code |a - e| <= atol + rtol * |e|}, with NaN matching NaN and infinities matching exactly. */
    static void assertClose(CpuBuffer expected, CpuBuffer actual, int offset, int n, double rtol, double atol, String what) {
        for (int i = 0; i < n; i++) {
            double e = Access.get(expected, offset + i);
            double a = Access.get(actual, offset + i);
            if (Double.isNaN(e) || Double.isNaN(a) || Double.isInfinite(e) || Double.isInfinite(a)) {
                if (!(Double.isNaN(e) && Double.isNaN(a)) && e != a) {
                    fail(what + ": element " + i + " expected " + e + " but was " + a);
                }
                continue;
            }
            if (Math.abs(a - e) > atol + rtol * Math.abs(e)) {
                fail(what + ": element " + i + " expected " + e + " but was " + a + " (difference " + Math.abs(a - e) + ")");
            }
        }
    }

    /** Runs {@code body} in a compute context of {@code threads} threads. */
    static void withThreads(int threads, Runnable body) {
        try (org.distill4j.kernels.ComputeContext ignored = org.distill4j.kernels.ComputeContext.builder().threads(threads).open()) {
            body.run();
        }
    }
}
