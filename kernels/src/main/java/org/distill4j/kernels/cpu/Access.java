package org.distill4j.kernels.cpu;

import org.distill4j.kernels.View;

/**
 * Reads and writes any CPU buffer as doubles, and walks strided views. Used by the scalar
 * reference kernels only: they favour obviousness over speed.
 */
final class Access {
    private Access() {
    }

    static double get(CpuBuffer b, int i) {
        return b.f != null ? b.f[i] : b.d != null ? b.d[i] : b.i[i];
    }

    static void set(CpuBuffer b, int i, double v) {
        if (b.f != null) {
            b.f[i] = (float) v;
        } else if (b.d != null) {
            b.d[i] = v;
        } else {
            b.i[i] = (int) v;
        }
    }

    static CpuBuffer cpu(org.distill4j.kernels.Buffer b) {
        if (b instanceof CpuBuffer c) {
            return c;
        }
        throw new IllegalArgumentException("the CPU backend cannot read a " + b.backend().name() + " buffer");
    }

    static int size(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** Element offset in {@code v}'s buffer of the row-major {@code linear}-th element of {@code shape}. */
    static int offset(int linear, int[] shape, View v) {
        int off = v.offset();
        int[] strides = v.strides();
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            int extent = shape[axis];
            off += (linear % extent) * strides[axis];
            linear /= extent;
        }
        return off;
    }
}
