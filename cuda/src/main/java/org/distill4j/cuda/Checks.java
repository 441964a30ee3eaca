package org.distill4j.cuda;

import java.util.Arrays;
import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.View;

/**
 * Argument checks done on the host before a launch. A kernel cannot throw, and an out-of-range
 * address on a GPU is a crash of the whole context, so everything a Java array would have bounds-
 * checked on the CPU is checked here, with a message that names the call and the bad value.
 */
final class Checks {
    private Checks() {
    }

    static CudaBuffer cuda(CudaBackend backend, Buffer b, String what) {
        if (b instanceof CudaBuffer c && c.backend() == backend) {
            return c;
        }
        throw new IllegalArgumentException(what + ": the CUDA backend cannot read a " + b.backend().name()
                + " buffer; copy it over with upload first");
    }

    static CudaBuffer floating(CudaBackend backend, Buffer b, String what) {
        CudaBuffer c = cuda(backend, b, what);
        if (!c.dtype().isFloating()) {
            throw new IllegalArgumentException(what + ": expected an F32 or F64 buffer, got " + c.dtype());
        }
        return c;
    }

    static CudaBuffer ints(CudaBackend backend, Buffer b, String what) {
        CudaBuffer c = cuda(backend, b, what);
        if (c.dtype() != DType.I32) {
            throw new IllegalArgumentException(what + ": expected an I32 index buffer, got " + c.dtype());
        }
        return c;
    }

    /** {@code b} itself, once {@code [offset, offset + n)} is known to lie inside it. */
    static CudaBuffer range(CudaBuffer b, int offset, long n, String what) {
        if (offset < 0 || n < 0 || offset + n > b.length()) {
            throw new IndexOutOfBoundsException(what + ": elements [" + offset + ", " + (offset + n)
                    + ") outside a buffer of " + b.length());
        }
        return b;
    }

    /** The view's buffer, once every element the view reaches over {@code shape} is inside it. */
    static CudaBuffer view(CudaBackend backend, View v, int[] shape, String what) {
        CudaBuffer b = cuda(backend, v.buffer(), what);
        if (v.strides().length != shape.length) {
            throw new IllegalArgumentException(what + ": view has " + v.strides().length + " strides for shape "
                    + Arrays.toString(shape));
        }
        if (size(shape) == 0) {
            return b;
        }
        long lo = v.offset();
        long hi = v.offset();
        for (int d = 0; d < shape.length; d++) {
            long span = (long) (shape[d] - 1) * v.strides()[d];
            if (span < 0) {
                lo += span;
            } else {
                hi += span;
            }
        }
        if (lo < 0 || hi >= b.length()) {
            throw new IndexOutOfBoundsException(what + ": a view of shape " + Arrays.toString(shape) + " at offset "
                    + v.offset() + " with strides " + Arrays.toString(v.strides()) + " reaches elements [" + lo + ", "
                    + hi + "] of a buffer of " + b.length());
        }
        return b;
    }

    /** All of {@code buffers} have {@code dtype}: floating inputs must match the output's type. */
    static void sameType(String what, DType dtype, CudaBuffer... buffers) {
        for (CudaBuffer b : buffers) {
            if (b.dtype() != dtype) {
                throw new IllegalArgumentException(what + ": the output is " + dtype + " but an input is " + b.dtype()
                        + "; convert it with copy first");
            }
        }
    }

    static long size(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            }
            n *= s;
        }
        return n;
    }

    /** An element count a kernel takes as an int. */
    static int count(long n, String what) {
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": " + n + " elements is more than one call can take");
        }
        return (int) n;
    }

    /** The kernel name suffix of a dtype: f32, f64, i32. */
    static String suffix(DType t) {
        return switch (t) {
            case F32 -> "f32";
            case F64 -> "f64";
            case I32 -> "i32";
        };
    }
}
