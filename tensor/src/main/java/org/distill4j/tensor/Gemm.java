package org.distill4j.tensor;

/**
 * Matrix products with NumPy's matmul rules: {@code [..., m, k] x [..., k, n] -> [..., m, n]}, batch
 * axes broadcast. A transposed view is passed to GEMM as a transpose flag instead of being copied,
 * which is what autodiff's backward rules ({@code gA = gC x B^T}) produce.
 */
public final class Gemm {
    private Gemm() {
    }

    /** How GEMM should read the last two axes of a tensor: row-major, or transposed, with its row stride. */
    private record Operand(Tensor t, boolean trans, int ld) {
    }

    private static Operand operand(Tensor t) {
        int[] st = t.strides();
        int[] sh = t.shape();
        int r = sh.length;
        int rows = sh[r - 2];
        int cols = sh[r - 1];
        if ((st[r - 1] == 1 || cols == 1) && st[r - 2] >= Math.max(1, cols)) {
            return new Operand(t, false, st[r - 2]);
        }
        if ((st[r - 2] == 1 || rows == 1) && st[r - 1] >= Math.max(1, rows)) {
            return new Operand(t, true, st[r - 1]);
        }
        Tensor c = t.contiguous();
        return new Operand(c, false, Math.max(1, cols));
    }

    public static Tensor matmul(Tensor a, Tensor b) {
        Elementwise.checkFloating(a, "matmul");
        Elementwise.checkSameDType(a, b, "matmul");
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("matmul needs rank >= 2 operands, got " + Shape.str(a.shape())
                    + " x " + Shape.str(b.shape()));
        }
        int m = a.dim(-2);
        int k = a.dim(-1);
        int n = b.dim(-1);
        if (b.dim(-2) != k) {
            throw new IllegalArgumentException("matmul: " + Shape.str(a.shape()) + " x " + Shape.str(b.shape())
                    + ", inner sizes " + k + " != " + b.dim(-2));
        }
        int[] aBatch = java.util.Arrays.copyOf(a.shape(), a.rank() - 2);
        int[] bBatch = java.util.Arrays.copyOf(b.shape(), b.rank() - 2);
        int[] batch = Shape.broadcast(aBatch, bBatch);
        int batchSize = Shape.size(batch);
        int[] outShape = java.util.Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        // beta = 0 below: the product overwrites every output without reading it, unless k == 0.
        Tensor out = k == 0 ? Tensor.zeros(a.backend(), a.dtype(), outShape) : Tensor.unfilled(a.backend(), a.dtype(), outShape);
        if (batchSize == 0 || m == 0 || n == 0) {
            return out;
        }
        if (k == 0) {
            return out;
        }
        Tensor a3 = flattenBatch(a, batch, m, k);
        Tensor b3 = flattenBatch(b, batch, k, n);
        Operand oa = operand(a3);
        Operand ob = operand(b3);
        int strideA = oa.t.strides()[0];
        int strideB = ob.t.strides()[0];
        a.backend().gemmBatched(oa.trans, ob.trans, m, n, k, 1.0,
                oa.t.buffer(), oa.t.offset(), oa.ld, strideA,
                ob.t.buffer(), ob.t.offset(), ob.ld, strideB,
                0.0, out.buffer(), 0, n, m * n, batchSize);
        return out;
    }

    /**
     * Broadcasts {@code t} to {@code batch + [rows, cols]} and folds the batch axes into one, as a view
     * when their strides allow it (always for broadcast-by-0 or contiguous batches), else a copy.
     */
    private static Tensor flattenBatch(Tensor t, int[] batch, int rows, int cols) {
        int[] full = java.util.Arrays.copyOf(batch, batch.length + 2);
        full[batch.length] = rows;
        full[batch.length + 1] = cols;
        Tensor e = t.expand(full);
        int[] st = e.strides();
        int batchSize = Shape.size(batch);
        int stride = batch.length == 0 ? 0 : st[batch.length - 1];
        boolean foldable = true;
        for (int i = batch.length - 2; i >= 0; i--) {
            int expected = st[i + 1] * batch[i + 1];
            if (batch[i] != 1 && st[i] != expected) {
                foldable = false;
            }
        }
        if (!foldable) {
            e = e.contiguous();
            st = e.strides();
            stride = rows * cols;
        }
        if (batchSize == 1) {
            stride = 0;
        }
        return new Tensor(e.buffer(), e.offset(), new int[]{batchSize, rows, cols},
                new int[]{stride, st[st.length - 2], st[st.length - 1]});
    }
}
