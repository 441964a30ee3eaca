package org.distill4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.UnaryOp;
import org.junit.jupiter.api.Test;

class TensorOpsTest {
    private final Generator gen = new Generator(42);

    private static double[][][] naiveMatmul(double[] a, double[] b, int batch, int m, int k, int n) {
        double[][][] c = new double[batch][m][n];
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    for (int p = 0; p < k; p++) {
                        c[t][i][j] += a[(t * m + i) * k + p] * b[(t * k + p) * n + j];
                    }
                }
            }
        }
        return c;
    }

    private static void assertMatmul(Tensor a, Tensor b, Tensor c) {
        int batch = c.rank() == 3 ? c.dim(0) : 1;
        int m = c.dim(-2);
        int n = c.dim(-1);
        int k = a.dim(-1);
        double[] ad = a.expand(batch == 1 && a.rank() == 2 ? a.shape() : new int[]{batch, m, k}).toDoubleArray();
        double[] bd = b.expand(batch == 1 && b.rank() == 2 ? b.shape() : new int[]{batch, k, n}).toDoubleArray();
        double[][][] expected = naiveMatmul(ad, bd, batch, m, k, n);
        double[] got = c.toDoubleArray();
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(expected[t][i][j], got[(t * m + i) * n + j], 1e-9);
                }
            }
        }
    }

    @Test
    void matmulHandlesTransposedViewsAndBroadcastBatches() {
        Tensor a = Tensor.randn(gen, DType.F64, 5, 7);
        Tensor b = Tensor.randn(gen, DType.F64, 7, 3);
        assertMatmul(a, b, Gemm.matmul(a, b));
        Tensor at = Tensor.randn(gen, DType.F64, 7, 5).mT();
        Tensor bt = Tensor.randn(gen, DType.F64, 3, 7).mT();
        assertMatmul(at, bt, Gemm.matmul(at, bt));
        Tensor batched = Tensor.randn(gen, DType.F64, 4, 5, 7);
        assertMatmul(batched, b, Gemm.matmul(batched, b));
        Tensor sliced = Tensor.randn(gen, DType.F64, 5, 14).slice(1, 0, 14, 2);
        assertMatmul(sliced, b, Gemm.matmul(sliced, b));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(Tensor.zeros(DType.F64, 2, 3), Tensor.zeros(DType.F64, 4, 5)));
        assertEquals("matmul: [2, 3] x [4, 5], inner sizes 3 != 4", e.getMessage());
    }

    @Test
    void binaryBroadcastsAndChecksDtypes() {
        Tensor a = Tensor.fromDoubles(new double[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.fromDoubles(new double[]{10, 20, 30}, 3);
        assertArrayEquals(new double[]{11, 22, 33, 14, 25, 36}, Elementwise.add(a, b).toDoubleArray());
        Tensor col = Tensor.fromDoubles(new double[]{2, 3}, 2, 1);
        assertArrayEquals(new double[]{2, 4, 6, 12, 15, 18}, Elementwise.mul(a, col).toDoubleArray());
        assertArrayEquals(new double[]{0, 0, 1, 1, 1, 1},
                Elementwise.binary(BinaryOp.GT, a, Elementwise.scalarLike(a, 2.5)).toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> Elementwise.add(a, a.to(DType.F32)));
        Tensor x = Tensor.fromDoubles(new double[]{-2, -0.5, 0, 3}, 4);
        assertArrayEquals(new double[]{0, 0, 0, 3}, Elementwise.unary(UnaryOp.RELU, x).toDoubleArray());
        assertArrayEquals(new double[]{-1, -0.5, 0, 1}, Elementwise.unary(UnaryOp.CLAMP, x, -1, 1).toDoubleArray());
        Tensor w = Elementwise.where(Elementwise.unary(UnaryOp.STEP, x), x, Elementwise.scalarLike(x, 9));
        assertArrayEquals(new double[]{9, 9, 9, 3}, w.toDoubleArray());
    }

    @Test
    void binaryIntoUpdatesInPlace() {
        Tensor p = Tensor.fromDoubles(new double[]{1, 2, 3}, 3);
        Elementwise.binaryInto(BinaryOp.SUB, p, Tensor.fromDoubles(new double[]{1, 1, 1}, 3), p);
        assertArrayEquals(new double[]{0, 1, 2}, p.toDoubleArray());
    }

    @Test
    void reductionsOverAxesAndSumToUndoesBroadcast() {
        Tensor t = Tensor.arange(DType.F64, 24).reshape(2, 3, 4);
        assertEquals(276, Reduce.sum(t).item());
        Tensor s = Reduce.sum(t, new int[]{0, 2}, false);
        assertArrayEquals(new double[]{0 + 1 + 2 + 3 + 12 + 13 + 14 + 15, 4 + 5 + 6 + 7 + 16 + 17 + 18 + 19,
                8 + 9 + 10 + 11 + 20 + 21 + 22 + 23}, s.toDoubleArray());
        assertArrayEquals(new int[]{1, 3, 1}, Reduce.sum(t, new int[]{0, -1}, true).shape());
        assertArrayEquals(new double[]{20, 21, 22, 23}, Reduce.max(t, new int[]{0, 1}, false).toDoubleArray());
        Tensor g = Reduce.sumTo(t, new int[]{3, 1});
        assertArrayEquals(new int[]{3, 1}, g.shape());
        assertEquals(s.get(1), g.get(1, 0));
        assertArrayEquals(new int[]{3, 3, 3, 3, 3, 3}, Reduce.argmax(t, -1).toIntArray());
        assertArrayEquals(new int[]{1, 0, 2}, Reduce.argmax(Tensor.fromDoubles(new double[]{1, 5, 5, 7, 2, 7, 0, 0, 9},
                3, 3), 1).toIntArray(), "first index wins ties");
        assertArrayEquals(new int[]{2, 2, 2, 2, 2, 2, 2, 2}, Reduce.argmax(t, 1).toIntArray());
    }

    @Test
    void softmaxRowsSumToOneAlongAnyAxis() {
        Tensor x = Tensor.randn(gen, DType.F64, 3, 5, 2);
        Tensor s = Softmax.softmax(x, 1);
        Tensor sums = Reduce.sum(s, new int[]{1}, false);
        for (double v : sums.toDoubleArray()) {
            assertEquals(1.0, v, 1e-12);
        }
        Tensor ls = Softmax.logSoftmax(Tensor.fromDoubles(new double[]{0, Math.log(2)}, 1, 2), -1);
        assertArrayEquals(new double[]{Math.log(1.0 / 3), Math.log(2.0 / 3)}, ls.toDoubleArray(), 1e-12);
    }

    @Test
    void indexSelectIndexAddConcatStack() {
        Tensor t = Tensor.arange(DType.F64, 12).reshape(3, 4);
        Tensor idx = Tensor.fromInts(new int[]{2, 0, 2}, 3);
        Tensor sel = Indexing.indexSelect(t, 0, idx);
        assertArrayEquals(new double[]{8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}, sel.toDoubleArray());
        Tensor back = Indexing.indexAdd(new int[]{3, 4}, 0, idx, sel);
        assertArrayEquals(new double[]{0, 1, 2, 3, 0, 0, 0, 0, 16, 18, 20, 22}, back.toDoubleArray());
        Tensor cat = Indexing.concat(1, t, t.slice(1, 0, 1));
        assertArrayEquals(new int[]{3, 5}, cat.shape());
        assertEquals(8, cat.get(2, 4));
        assertEquals(7, cat.get(1, 3));
        Tensor st = Indexing.stack(0, t, t);
        assertArrayEquals(new int[]{2, 3, 4}, st.shape());
        Tensor rows = Indexing.gatherRows(t, Tensor.fromInts(new int[]{3, 0, 1}, 3));
        assertArrayEquals(new double[]{3, 4, 9}, rows.toDoubleArray());
        Tensor sc = Indexing.scatterRows(rows, Tensor.fromInts(new int[]{3, 0, 1}, 3), 4);
        assertEquals(9, sc.get(2, 1));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> Indexing.indexSelect(t, 1, Tensor.fromInts(new int[]{4}, 1)));
        assertTrue(e.getMessage().contains("index 4"), e.getMessage());
    }

    @Test
    void convolutionAndPoolingOnAHandCase() {
        Tensor x = Tensor.arange(DType.F64, 9).reshape(1, 1, 3, 3);
        Tensor w = Tensor.ones(DType.F64, 1, 1, 2, 2);
        Tensor y = Conv.conv2d(Conv.geometry(x.shape(), w.shape(), 1, 1, 0, 0), x, w);
        assertArrayEquals(new double[]{8, 12, 20, 24}, y.toDoubleArray());
        Pool.MaxPoolResult mp = Pool.maxPool2d(Pool.geometry(x.shape(), 2, 2, 1, 1, 0, 0), x);
        assertArrayEquals(new double[]{4, 5, 7, 8}, mp.values().toDoubleArray());
        assertArrayEquals(new int[]{4, 5, 7, 8}, mp.argmax().toIntArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv.geometry(new int[]{1, 2, 3, 3}, new int[]{1, 3, 2, 2}, 1, 1, 0, 0));
        assertTrue(e.getMessage().contains("2 channels"), e.getMessage());
    }
}
