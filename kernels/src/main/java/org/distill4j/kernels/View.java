package org.distill4j.kernels;

/**
 * A strided read of a buffer: element {@code [i0, i1, ...]} of the view is
 * {@code buffer[offset + i0*strides[0] + i1*strides[1] + ...]}. A stride of 0 repeats an element
 * (broadcasting); the shape is passed beside the view, so several views can share one shape.
 */
public record View(Buffer buffer, int offset, int[] strides) {

    /** A contiguous row-major view of {@code shape} starting at {@code offset}. */
    public static View contiguous(Buffer buffer, int offset, int[] shape) {
        return new View(buffer, offset, rowMajorStrides(shape));
    }

    public static int[] rowMajorStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    /** True when the view walks {@code shape} in row-major order without gaps or repeats. */
    public boolean isContiguous(int[] shape) {
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != s) {
                return false;
            }
            s *= shape[i];
        }
        return true;
    }
}
