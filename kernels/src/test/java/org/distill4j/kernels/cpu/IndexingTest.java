package org.distill4j.kernels.cpu;

import static org.distill4j.kernels.cpu.Fixtures.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.distill4j.kernels.DType;
import org.junit.jupiter.api.Test;

/** Indexing kernels against their references. */
class IndexingTest {
    @Test
    void indexSelectAndAddMatchReferences() {
        Random rnd = new Random(51);
        for (DType dtype : DType.values()) {
            for (int[] oli : new int[][] {{1, 10, 1}, {3, 7, 5}, {1, 60, 784}, {4, 17, 9000}, {2, 1, 3}}) {
                int outer = oli[0];
                int len = oli[1];
                int inner = oli[2];
                int count = 13;
                int[] idx = new int[count + 1];
                for (int j = 0; j <= count; j++) {
                    idx[j] = rnd.nextInt(len); // repeats on purpose
                }
                CpuBuffer ib = CpuBuffer.wrap(idx);
                CpuBuffer x = Fixtures.random(dtype, outer * len * inner + 2, rnd);
                int outSize = outer * count * inner;
                CpuBuffer e = CpuBuffer.allocate(dtype, outSize + 1);
                CpuBuffer a = CpuBuffer.allocate(dtype, outSize + 1);
                Indexing.indexSelectReference(outer, len, inner, x, 2, ib, 1, count, e, 1);
                Indexing.indexSelect(outer, len, inner, x, 2, ib, 1, count, a, 1);
                String what = dtype + " [" + outer + ", " + len + ", " + inner + "]";
                assertIdentical(e, a, 0, outSize + 1, "indexSelect " + what);

                CpuBuffer src = Fixtures.random(dtype, outSize, rnd);
                CpuBuffer e2 = Fixtures.random(dtype, outer * len * inner, new Random(1));
                CpuBuffer a2 = Fixtures.random(dtype, outer * len * inner, new Random(1));
                Indexing.indexAddReference(outer, len, inner, src, 0, ib, 1, count, e2, 0);
                Indexing.indexAdd(outer, len, inner, src, 0, ib, 1, count, a2, 0);
                // The reference adds in double and rounds once per addition: the same as float addition.
                assertIdentical(e2, a2, 0, outer * len * inner, "indexAdd " + what);
            }
        }
    }

    @Test
    void gatherAndScatterRowsMatchReferences() {
        Random rnd = new Random(52);
        int rows = 37;
        int cols = 10;
        int[] idx = new int[rows];
        for (int r = 0; r < rows; r++) {
            idx[r] = rnd.nextInt(cols);
        }
        CpuBuffer x = Fixtures.random(DType.F32, rows * cols, rnd);
        CpuBuffer e = CpuBuffer.allocate(DType.F32, rows);
        CpuBuffer a = CpuBuffer.allocate(DType.F32, rows);
        Indexing.gatherRowsReference(rows, cols, x, 0, CpuBuffer.wrap(idx), 0, e, 0);
        Indexing.gatherRows(rows, cols, x, 0, CpuBuffer.wrap(idx), 0, a, 0);
        assertIdentical(e, a, 0, rows, "gatherRows");
        CpuBuffer se = Fixtures.random(DType.F32, rows * cols, new Random(2));
        CpuBuffer sa = Fixtures.random(DType.F32, rows * cols, new Random(2));
        Indexing.scatterAddRowsReference(rows, cols, e, 0, CpuBuffer.wrap(idx), 0, se, 0);
        Indexing.scatterAddRows(rows, cols, e, 0, CpuBuffer.wrap(idx), 0, sa, 0);
        assertIdentical(se, sa, 0, rows * cols, "scatterAddRows");
    }

    @Test
    void badIndicesAreNamedAndNothingIsWritten() {
        CpuBuffer x = CpuBuffer.wrap(new float[] {1, 2, 3, 4, 5, 6});
        CpuBuffer out = CpuBuffer.allocate(DType.F32, 6);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> Indexing.indexSelect(1, 3, 2, x, 0, CpuBuffer.wrap(new int[] {0, 2, 3}), 0, 3, out, 0));
        assertTrue(e.getMessage().contains("index 3") && e.getMessage().contains("size 3"), e.getMessage());
        assertArrayEquals(new float[6], out.f, "nothing written before the bad index was found");
        e = assertThrows(IndexOutOfBoundsException.class,
                () -> Indexing.indexAdd(1, 3, 2, x, 0, CpuBuffer.wrap(new int[] {-1}), 0, 1, out, 0));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class,
                () -> Indexing.gatherRows(2, 3, x, 0, CpuBuffer.wrap(new int[] {1, 5}), 0, out, 0));
        assertTrue(e.getMessage().contains("index 5"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class,
                () -> Indexing.scatterAddRows(2, 3, x, 0, CpuBuffer.wrap(new int[] {7, 0}), 0, out, 0));
        assertTrue(e.getMessage().contains("index 7"), e.getMessage());
        assertArrayEquals(new float[6], out.f, "nothing written by the failed calls");
    }
}
