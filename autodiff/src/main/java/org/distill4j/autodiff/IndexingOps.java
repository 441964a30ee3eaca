package org.distill4j.autodiff;

import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Tensor;

/**
 * Ops that pick or accumulate elements at integer positions, and their adjoints:
 *
 * <pre>
 *   indexSelect(x, axis, i) d/dx = indexAdd(zeros, axis, i, g)
 *   indexAdd(s, axis, i, y) d/dy = indexSelect(g, axis, i)
 *   gatherRows(x, i)        d/dx = scatterRows(g, i)
 *   scatterRows(y, i, c)    d/dy = gatherRows(g, i)
 * </pre>
 */
public final class IndexingOps {
    private IndexingOps() {
    }

    public static Var indexSelect(Var x, int axis, Tensor idx) {
        int[] from = x.shape();
        return Var.record("indexSelect", Indexing.indexSelect(x.value(), axis, idx),
                g -> new Var[]{indexAdd(from, axis, idx, g)}, x);
    }

    /** Zeros of {@code shape} with {@code src} accumulated at positions {@code idx} along {@code axis}. */
    public static Var indexAdd(int[] shape, int axis, Tensor idx, Var src) {
        return Var.record("indexAdd", Indexing.indexAdd(shape, axis, idx, src.value()),
                g -> new Var[]{indexSelect(g, axis, idx)}, src);
    }

    /** {@code out[r] = x[r, idx[r]]}. */
    public static Var gatherRows(Var x, Tensor idx) {
        int cols = x.dim(1);
        return Var.record("gatherRows", Indexing.gatherRows(x.value(), idx),
                g -> new Var[]{scatterRows(g, idx, cols)}, x);
    }

    /** A zero {@code [rows, cols]} value with {@code src[r]} at {@code [r, idx[r]]}. */
    public static Var scatterRows(Var src, Tensor idx, int cols) {
        return Var.record("scatterRows", Indexing.scatterRows(src.value(), idx, cols),
                g -> new Var[]{gatherRows(g, idx)}, src);
    }
}
