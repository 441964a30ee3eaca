package org.distill4j.kernels.cpu;

import org.distill4j.kernels.Backend;
import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.DType;

/** A buffer in the Java heap: exactly one of {@code f}, {@code d}, {@code i} is non-null. */
public final class CpuBuffer implements Buffer {
    final float[] f;
    final double[] d;
    final int[] i;
    private final DType dtype;

    private CpuBuffer(DType dtype, float[] f, double[] d, int[] i) {
        this.dtype = dtype;
        this.f = f;
        this.d = d;
        this.i = i;
    }

    static CpuBuffer allocate(DType dtype, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("buffer length must be >= 0, got " + length);
        }
        return switch (dtype) {
            case F32 -> new CpuBuffer(dtype, new float[length], null, null);
            case F64 -> new CpuBuffer(dtype, null, new double[length], null);
            case I32 -> new CpuBuffer(dtype, null, null, new int[length]);
        };
    }

    /** Wraps (does not copy) an array; for kernels and tests in this package. */
    public static CpuBuffer wrap(float[] data) {
        return new CpuBuffer(DType.F32, data, null, null);
    }

    public static CpuBuffer wrap(double[] data) {
        return new CpuBuffer(DType.F64, null, data, null);
    }

    public static CpuBuffer wrap(int[] data) {
        return new CpuBuffer(DType.I32, null, null, data);
    }

    /** The backing array of an F32 buffer (no copy). */
    public float[] floats() {
        if (f == null) {
            throw new IllegalStateException("buffer holds " + dtype + ", not F32");
        }
        return f;
    }

    public double[] doubles() {
        if (d == null) {
            throw new IllegalStateException("buffer holds " + dtype + ", not F64");
        }
        return d;
    }

    public int[] ints() {
        if (i == null) {
            throw new IllegalStateException("buffer holds " + dtype + ", not I32");
        }
        return i;
    }

    @Override
    public Backend backend() {
        return CpuBackend.get();
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int length() {
        return f != null ? f.length : d != null ? d.length : i.length;
    }

    @Override
    public String toString() {
        return "CpuBuffer[" + dtype + " x " + length() + "]";
    }
}
