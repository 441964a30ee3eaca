package org.distill4j.tensor;

import java.util.Arrays;
import org.distill4j.kernels.Backend;
import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.View;

/**
 * An n-dimensional array: a dtype, a shape and per-axis strides over a backend {@link Buffer}.
 * Views (reshape of contiguous data, permute, slice, expand, squeeze, unsqueeze) share the buffer;
 * everything that computes lives in the op classes ({@link Elementwise}, {@link Reduce},
 * {@link Gemm}, {@link Conv}, {@link Pool}, {@link Indexing}) and runs on the backend.
 *
 * <p>Tensors are values: no op writes into an existing tensor except the explicit {@code *Into}
 * methods that optimisers use.
 *
 * <p>Factories without a backend argument put the new tensor on the backend of the calling
 * thread's {@link ComputeContext}; every factory names its dtype (or takes it from the Java array
 * it copies), so none reads the context's dtype.
 */
public final class Tensor {
    private final Buffer buffer;
    private final int offset;
    private final int[] shape;
    private final int[] strides;

    Tensor(Buffer buffer, int offset, int[] shape, int[] strides) {
        this.buffer = buffer;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    /** A contiguous tensor of {@code shape} over the whole of {@code buffer}. */
    public static Tensor of(Buffer buffer, int... shape) {
        if (Shape.size(shape) != buffer.length()) {
            throw new IllegalArgumentException("shape " + Shape.str(shape) + " needs " + Shape.size(shape)
                    + " elements, buffer has " + buffer.length());
        }
        return new Tensor(buffer, 0, shape.clone(), View.rowMajorStrides(shape));
    }

    /**
     * A tensor over {@code data}, which the caller hands over and must not touch again: on the CPU
     * the array itself is used (no copy), on another backend it is copied ({@link Backend#adopt}).
     */
    public static Tensor adopt(float[] data, int... shape) {
        checkLength(data.length, shape);
        return of(contextBackend().adopt(data), shape);
    }

    /** The backend new tensors go to: the calling thread's {@link ComputeContext}'s. */
    private static Backend contextBackend() {
        return ComputeContext.current().backend();
    }

    // ---- factories ----------------------------------------------------------------------------

    public static Tensor zeros(DType dtype, int... shape) {
        return of(contextBackend().allocate(dtype, Shape.size(shape)), shape);
    }

    public static Tensor zeros(Backend backend, DType dtype, int... shape) {
        return of(backend.allocate(dtype, Shape.size(shape)), shape);
    }

    /**
     * A tensor whose contents are unspecified, for an op's output that its kernel overwrites whole
     * ({@link Backend#allocateUninitialized}): a reused buffer inside a
     * {@link org.distill4j.kernels.BufferPool} step is not cleared first.
     */
    static Tensor unfilled(Backend backend, DType dtype, int... shape) {
        return of(backend.allocateUninitialized(dtype, Shape.size(shape)), shape);
    }

    public static Tensor full(DType dtype, double value, int... shape) {
        Tensor t = zeros(dtype, shape);
        if (value != 0) {
            t.backend().fill(t.buffer, 0, t.size(), value);
        }
        return t;
    }

    public static Tensor ones(DType dtype, int... shape) {
        return full(dtype, 1.0, shape);
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(DType dtype, double value) {
        return full(dtype, value, new int[0]);
    }

    /** {@code [0, 1, ..., n-1]}. */
    public static Tensor arange(DType dtype, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return fromDoubles(v, n).to(dtype);
    }

    public static Tensor fromFloats(float[] data, int... shape) {
        checkLength(data.length, shape);
        return of(contextBackend().upload(data), shape);
    }

    public static Tensor fromDoubles(double[] data, int... shape) {
        checkLength(data.length, shape);
        return of(contextBackend().upload(data), shape);
    }

    public static Tensor fromInts(int[] data, int... shape) {
        checkLength(data.length, shape);
        return of(contextBackend().upload(data), shape);
    }

    /** {@code data} (given as doubles) in the requested dtype. */
    public static Tensor from(DType dtype, double[] data, int... shape) {
        return fromDoubles(data, shape).to(dtype);
    }

    private static void checkLength(int length, int[] shape) {
        if (length != Shape.size(shape)) {
            throw new IllegalArgumentException(length + " values cannot fill shape " + Shape.str(shape)
                    + " (" + Shape.size(shape) + " elements)");
        }
    }

    /** Uniform numbers in {@code [lo, hi)}. */
    public static Tensor uniform(Generator gen, DType dtype, double lo, double hi, int... shape) {
        Tensor t = zeros(dtype, shape);
        t.backend().uniform(gen.seed(), gen.reserve(t.size()), t.buffer, 0, t.size(), lo, hi);
        return t;
    }

    public static Tensor rand(Generator gen, DType dtype, int... shape) {
        return uniform(gen, dtype, 0, 1, shape);
    }

    /** Normal numbers with the given mean and standard deviation. */
    public static Tensor normal(Generator gen, DType dtype, double mean, double std, int... shape) {
        Tensor t = zeros(dtype, shape);
        t.backend().normal(gen.seed(), gen.reserve(t.size()), t.buffer, 0, t.size(), mean, std);
        return t;
    }

    public static Tensor randn(Generator gen, DType dtype, int... shape) {
        return normal(gen, dtype, 0, 1, shape);
    }

    // ---- accessors ----------------------------------------------------------------------------

    public Backend backend() {
        return buffer.backend();
    }

    public Buffer buffer() {
        return buffer;
    }

    public DType dtype() {
        return buffer.dtype();
    }

    public int offset() {
        return offset;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int[] strides() {
        return strides.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return shape[Shape.axis(axis, shape.length)];
    }

    /** Number of elements. */
    public int size() {
        return Shape.size(shape);
    }

    /** The strided read a kernel needs. */
    public View view() {
        return new View(buffer, offset, strides);
    }

    /** The read of this tensor broadcast to {@code target}. */
    public View viewAs(int[] target) {
        return new View(buffer, offset, Shape.broadcastStrides(shape, strides, target));
    }

    public boolean isContiguous() {
        return view().isContiguous(shape);
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    // ---- views --------------------------------------------------------------------------------

    /** The same elements in row-major order with a new shape (one size may be -1); a view when contiguous. */
    public Tensor reshape(int... newShape) {
        int[] target = Shape.resolveReshape(shape, newShape);
        Tensor src = isContiguous() ? this : contiguous();
        return new Tensor(src.buffer, src.offset, target, View.rowMajorStrides(target));
    }

    /** Axes reordered: axis {@code i} of the result is axis {@code order[i]} of this. */
    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute " + Arrays.toString(order) + " of a rank-" + shape.length + " tensor");
        }
        int[] s = new int[order.length];
        int[] st = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int a = Shape.axis(order[i], shape.length);
            if (seen[a]) {
                throw new IllegalArgumentException("permute " + Arrays.toString(order) + " repeats axis " + a);
            }
            seen[a] = true;
            s[i] = shape[a];
            st[i] = strides[a];
        }
        return new Tensor(buffer, offset, s, st);
    }

    public Tensor transpose(int a, int b) {
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int x = Shape.axis(a, shape.length);
        int y = Shape.axis(b, shape.length);
        order[x] = y;
        order[y] = x;
        return permute(order);
    }

    /** The transpose of the last two axes. */
    public Tensor mT() {
        return transpose(-2, -1);
    }

    /** Elements {@code start, start+step, ...} below {@code end} along {@code axis}. */
    public Tensor slice(int axis, int start, int end, int step) {
        int a = Shape.axis(axis, shape.length);
        if (step <= 0) {
            throw new IllegalArgumentException("slice step must be positive, got " + step);
        }
        if (start < 0 || end > shape[a] || start > end) {
            throw new IndexOutOfBoundsException("slice [" + start + ", " + end + ") out of bounds for axis "
                    + a + " of size " + shape[a]);
        }
        int[] s = shape.clone();
        int[] st = strides.clone();
        s[a] = (end - start + step - 1) / step;
        st[a] = strides[a] * step;
        return new Tensor(buffer, offset + start * strides[a], s, st);
    }

    public Tensor slice(int axis, int start, int end) {
        return slice(axis, start, end, 1);
    }

    /** The sub-tensor at {@code index} along {@code axis}, with that axis removed. */
    public Tensor select(int axis, int index) {
        int a = Shape.axis(axis, shape.length);
        if (index < 0 || index >= shape[a]) {
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for axis " + a + " of size " + shape[a]);
        }
        return slice(a, index, index + 1).squeeze(a);
    }

    /** Broadcast to {@code target} without copying (repeated elements have stride 0). */
    public Tensor expand(int... target) {
        return new Tensor(buffer, offset, target.clone(), Shape.broadcastStrides(shape, strides, target));
    }

    public Tensor unsqueeze(int axis) {
        int a = Shape.axis(axis, shape.length + 1);
        int[] s = new int[shape.length + 1];
        int[] st = new int[shape.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i == a) {
                s[i] = 1;
                st[i] = 0;
            } else {
                s[i] = shape[j];
                st[i] = strides[j];
                j++;
            }
        }
        return new Tensor(buffer, offset, s, st);
    }

    public Tensor squeeze(int axis) {
        int a = Shape.axis(axis, shape.length);
        if (shape[a] != 1) {
            throw new IllegalArgumentException("cannot squeeze axis " + a + " of size " + shape[a] + " in " + Shape.str(shape));
        }
        int[] s = new int[shape.length - 1];
        int[] st = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != a) {
                s[j] = shape[i];
                st[j] = strides[i];
                j++;
            }
        }
        return new Tensor(buffer, offset, s, st);
    }

    /** This tensor, or a contiguous copy of it. */
    public Tensor contiguous() {
        return isContiguous() ? this : copy(dtype());
    }

    /** This tensor in {@code dtype} (itself if it already is). */
    public Tensor to(DType dtype) {
        return dtype == dtype() ? this : copy(dtype);
    }

    /** A fresh contiguous copy in {@code dtype}. */
    public Tensor copy(DType dtype) {
        Tensor out = zeros(backend(), dtype, shape);
        backend().copy(shape, view(), out.buffer, 0);
        return out;
    }

    /** A fresh contiguous copy. */
    public Tensor copy() {
        return copy(dtype());
    }

    // ---- reading values -----------------------------------------------------------------------

    public double[] toDoubleArray() {
        Tensor c = contiguous();
        return backend().downloadDoubles(c.buffer, c.offset, c.size());
    }

    public float[] toFloatArray() {
        Tensor c = contiguous();
        return backend().downloadFloats(c.buffer, c.offset, c.size());
    }

    public int[] toIntArray() {
        Tensor c = dtype() == DType.I32 ? contiguous() : copy(DType.I32);
        return backend().downloadInts(c.buffer, c.offset, c.size());
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (size() != 1) {
            throw new IllegalStateException("item() of a tensor of shape " + Shape.str(shape) + "; needs exactly one element");
        }
        return backend().downloadDoubles(buffer, offset, 1)[0];
    }

    /** The element at {@code index} (one index per axis). */
    public double get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(index.length + " indices for a rank-" + shape.length + " tensor");
        }
        int off = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + index[i] + " out of bounds for axis " + i
                        + " of size " + shape[i]);
            }
            off += index[i] * strides[i];
        }
        if (dtype() == DType.I32) {
            return backend().downloadInts(buffer, off, 1)[0];
        }
        return backend().downloadDoubles(buffer, off, 1)[0];
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor[").append(dtype()).append(' ').append(Shape.str(shape)).append("] [");
        int n = Math.min(size(), 8);
        double[] values = n == 0 ? new double[0] : (dtype() == DType.I32
                ? Arrays.stream(toIntArray()).asDoubleStream().toArray() : toDoubleArray());
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(dtype() == DType.I32 ? String.valueOf((int) values[i]) : String.format("%.4g", values[i]));
        }
        if (size() > n) {
            sb.append(", ...");
        }
        return sb.append(']').toString();
    }
}
