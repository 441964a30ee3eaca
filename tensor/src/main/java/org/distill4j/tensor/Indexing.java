package org.distill4j.tensor;

import org.distill4j.kernels.DType;

/** Selecting and accumulating along an axis by index, and concatenation. */
public final class Indexing {
    private Indexing() {
    }

    /** Sizes of the axes before and after {@code axis}: a contiguous tensor is {@code [outer, len, inner]}. */
    private static int[] outerInner(int[] shape, int axis) {
        int outer = 1;
        int inner = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        return new int[]{outer, inner};
    }

    private static Tensor indices(Tensor idx) {
        if (idx.dtype() != DType.I32 || idx.rank() != 1) {
            throw new IllegalArgumentException("indices must be a rank-1 I32 tensor, got " + idx.dtype() + " "
                    + Shape.str(idx.shape()));
        }
        return idx.contiguous();
    }

    /** {@code x} restricted to the positions {@code idx} (rank-1, I32) along {@code axis}, in that order. */
    public static Tensor indexSelect(Tensor x, int axis, Tensor idx) {
        int a = Shape.axis(axis, x.rank());
        Tensor ic = indices(idx);
        int[] shape = x.shape();
        int[] oi = outerInner(shape, a);
        int[] outShape = shape.clone();
        outShape[a] = ic.size();
        Tensor xc = x.contiguous();
        // Every element is copied from x (the training loop's batch assembly: no clearing first).
        Tensor out = Tensor.unfilled(x.backend(), x.dtype(), outShape);
        x.backend().indexSelect(oi[0], shape[a], oi[1], xc.buffer(), xc.offset(), ic.buffer(), ic.offset(),
                ic.size(), out.buffer(), 0);
        return out;
    }

    /**
     * A zero tensor of {@code shape} into which {@code src} is accumulated at positions {@code idx}
     * along {@code axis}: the adjoint of {@link #indexSelect}.
     */
    public static Tensor indexAdd(int[] shape, int axis, Tensor idx, Tensor src) {
        int a = Shape.axis(axis, shape.length);
        Tensor ic = indices(idx);
        int[] expected = shape.clone();
        expected[a] = ic.size();
        if (!java.util.Arrays.equals(src.shape(), expected)) {
            throw new IllegalArgumentException("indexAdd: source has shape " + Shape.str(src.shape()) + ", expected "
                    + Shape.str(expected));
        }
        int[] oi = outerInner(shape, a);
        Tensor sc = src.contiguous();
        Tensor out = Tensor.zeros(src.backend(), src.dtype(), shape);
        src.backend().indexAdd(oi[0], shape[a], oi[1], sc.buffer(), sc.offset(), ic.buffer(), ic.offset(),
                ic.size(), out.buffer(), 0);
        return out;
    }

    /** {@code out[r] = x[r, idx[r]]} for {@code x} of shape {@code [rows, cols]}. */
    public static Tensor gatherRows(Tensor x, Tensor idx) {
        Tensor ic = indices(idx);
        if (x.rank() != 2 || ic.size() != x.dim(0)) {
            throw new IllegalArgumentException("gatherRows: expected [rows, cols] and rows indices, got "
                    + Shape.str(x.shape()) + " and " + Shape.str(idx.shape()));
        }
        Tensor xc = x.contiguous();
        Tensor out = Tensor.zeros(x.backend(), x.dtype(), x.dim(0));
        x.backend().gatherRows(x.dim(0), x.dim(1), xc.buffer(), xc.offset(), ic.buffer(), ic.offset(), out.buffer(), 0);
        return out;
    }

    /** A zero {@code [rows, cols]} tensor with {@code src[r]} added at {@code [r, idx[r]]}. */
    public static Tensor scatterRows(Tensor src, Tensor idx, int cols) {
        Tensor ic = indices(idx);
        if (src.rank() != 1 || ic.size() != src.size()) {
            throw new IllegalArgumentException("scatterRows: expected [rows] values and rows indices, got "
                    + Shape.str(src.shape()) + " and " + Shape.str(idx.shape()));
        }
        Tensor sc = src.contiguous();
        Tensor out = Tensor.zeros(src.backend(), src.dtype(), src.size(), cols);
        src.backend().scatterAddRows(src.size(), cols, sc.buffer(), sc.offset(), ic.buffer(), ic.offset(), out.buffer(), 0);
        return out;
    }

    /** Joins tensors of equal shape but for {@code axis}. */
    public static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat of no tensors");
        }
        int a = Shape.axis(axis, parts[0].rank());
        int[] shape = parts[0].shape();
        int total = 0;
        for (Tensor p : parts) {
            int[] s = p.shape();
            s[a] = shape[a];
            if (!java.util.Arrays.equals(s, shape)) {
                throw new IllegalArgumentException("concat along axis " + a + ": shape " + Shape.str(p.shape())
                        + " does not match " + Shape.str(parts[0].shape()));
            }
            Elementwise.checkSameDType(parts[0], p, "concat");
            total += p.dim(a);
        }
        int[] outShape = shape.clone();
        outShape[a] = total;
        int[] oi = outerInner(outShape, a);
        Tensor out = Tensor.zeros(parts[0].backend(), parts[0].dtype(), outShape);
        int start = 0;
        for (Tensor p : parts) {
            int len = p.dim(a);
            int[] positions = new int[len];
            for (int j = 0; j < len; j++) {
                positions[j] = start + j;
            }
            Tensor idx = Tensor.of(p.backend().upload(positions), len);
            Tensor pc = p.contiguous();
            p.backend().indexAdd(oi[0], total, oi[1], pc.buffer(), pc.offset(), idx.buffer(), 0, len, out.buffer(), 0);
            start += len;
        }
        return out;
    }

    /** Joins tensors of equal shape along a new axis. */
    public static Tensor stack(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("stack of no tensors");
        }
        Tensor[] expanded = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            expanded[i] = parts[i].unsqueeze(axis);
        }
        return concat(axis, expanded);
    }
}
