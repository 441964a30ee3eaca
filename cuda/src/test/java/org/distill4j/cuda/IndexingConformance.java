package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.kernels.DType;
import org.junit.jupiter.api.Test;

/** indexing.cu ({@link CudaIndexing}) against the CPU backend. */
abstract class IndexingConformance extends Conformance {

    @Test
    void indexSelectAndIndexAddWithRepeatedIndices() {
        int outer = 3;
        int len = 5;
        int inner = 4;
        double[] idx = {4, 0, 4, 2, 4, 1};  // repeats: index_add must add, not overwrite
        for (DType t : DType.values()) {
            Pair x = pair(t, integers(outer * len * inner + 1, -50, 50));
            Pair ix = pair(DType.I32, idx);
            Pair sel = outputs(t, outer * idx.length * inner);
            CPU.indexSelect(outer, len, inner, x.cpu(), 1, ix.cpu(), 0, idx.length, sel.cpu(), 0);
            cuda().indexSelect(outer, len, inner, x.cuda(), 1, ix.cuda(), 0, idx.length, sel.cuda(), 0);
            assertClose("indexSelect " + t, sel, outer * idx.length * inner, 0, 0);

            Pair acc = pair(t, integers(outer * len * inner, -5, 5));
            CPU.indexAdd(outer, len, inner, sel.cpu(), 0, ix.cpu(), 1, idx.length - 1, acc.cpu(), 0);
            cuda().indexAdd(outer, len, inner, sel.cuda(), 0, ix.cuda(), 1, idx.length - 1, acc.cuda(), 0);
            assertClose("indexAdd " + t, acc, outer * len * inner, 0, 0);  // integer-valued sums are exact
        }
    }

    @Test
    void gatherRowsAndScatterAddRows() {
        int rows = 300;
        int cols = 10;
        double[] labels = integers(rows, 0, cols - 1);
        for (DType t : DType.values()) {
            Pair x = pair(t, integers(rows * cols, -100, 100));
            Pair ix = pair(DType.I32, labels);
            Pair picked = outputs(t, rows);
            CPU.gatherRows(rows, cols, x.cpu(), 0, ix.cpu(), 0, picked.cpu(), 0);
            cuda().gatherRows(rows, cols, x.cuda(), 0, ix.cuda(), 0, picked.cuda(), 0);
            assertClose("gatherRows " + t, picked, rows, 0, 0);
            CPU.scatterAddRows(rows, cols, picked.cpu(), 0, ix.cpu(), 0, x.cpu(), 0);
            cuda().scatterAddRows(rows, cols, picked.cuda(), 0, ix.cuda(), 0, x.cuda(), 0);
            assertClose("scatterAddRows " + t, x, rows * cols, 0, 0);
        }
    }

    @Test
    void aBadIndexIsReportedAtTheNextDownload() {
        Pair x = pair(DType.F32, uniform(20, -1, 1));
        Pair ix = pair(DType.I32, new double[] {1, 7, 0, 3});
        Pair out = outputs(DType.F32, 4);
        cuda().gatherRows(4, 5, x.cuda(), 0, ix.cuda(), 0, out.cuda(), 0);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> cuda().downloadFloats(out.cuda(), 0, 4));
        assertTrue(e.getMessage().contains("index 7 out of bounds for axis of size 5"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> CPU.gatherRows(4, 5, x.cpu(), 0, ix.cpu(), 0, out.cpu(), 0));
        // Reported once: the backend works on afterwards.
        cuda().downloadFloats(out.cuda(), 0, 4);
    }
}
