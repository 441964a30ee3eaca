package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.kernels.DType;
import org.distill4j.kernels.PoolGeometry;
import org.distill4j.kernels.SampleGeometry;
import org.junit.jupiter.api.Test;

/** pool.cu, indexing.cu and rng.cu against the CPU backend. */
abstract class PoolIndexRngConformance extends Conformance {

    static final PoolGeometry[] POOLS = {
        new PoolGeometry(2, 3, 6, 6, 2, 2, 2, 2, 0, 0),  // the usual 2x2 / 2
        new PoolGeometry(1, 2, 7, 5, 3, 3, 2, 2, 1, 1),  // overlapping windows with padding
        new PoolGeometry(3, 1, 5, 8, 3, 2, 1, 3, 0, 1),  // stride 1 x 3, uneven window
    };

    @Test
    void maxAndAveragePoolingForwardAndBackward() {
        for (DType t : FLOATING) {
            for (PoolGeometry g : POOLS) {
                Pair x = pair(t, integers(g.inputSize(), -3, 3));  // ties: the first must win
                Pair gy = pair(t, uniform(g.outputSize(), -1, 1));
                Pair y = outputs(t, g.outputSize());
                Pair arg = outputs(DType.I32, g.outputSize());
                CPU.maxPool2d(g, x.cpu(), 0, y.cpu(), 0, arg.cpu(), 0);
                cuda().maxPool2d(g, x.cuda(), 0, y.cuda(), 0, arg.cuda(), 0);
                assertClose("maxPool2d " + g + " " + t, y, g.outputSize(), 0, 0);
                assertClose("maxPool2d argmax " + g + " " + t, arg, g.outputSize(), 0, 0);

                Pair gx = outputs(t, g.inputSize());
                CPU.maxPool2dBackward(g, gy.cpu(), 0, arg.cpu(), 0, gx.cpu(), 0);
                cuda().maxPool2dBackward(g, gy.cuda(), 0, arg.cuda(), 0, gx.cuda(), 0);
                assertClose("maxPool2d backward " + g + " " + t, gx, g.inputSize(), 4 * eps(t), 4 * eps(t));

                CPU.avgPool2d(g, x.cpu(), 0, y.cpu(), 0);
                cuda().avgPool2d(g, x.cuda(), 0, y.cuda(), 0);
                assertClose("avgPool2d " + g + " " + t, y, g.outputSize(), 4 * eps(t), 4 * eps(t));
                CPU.avgPool2dBackward(g, gy.cpu(), 0, gx.cpu(), 0);
                cuda().avgPool2dBackward(g, gy.cuda(), 0, gx.cuda(), 0);
                assertClose("avgPool2d backward " + g + " " + t, gx, g.inputSize(), 4 * eps(t), 4 * eps(t));
            }
        }
    }

    static final SampleGeometry[] SAMPLES = {
        new SampleGeometry(2, 3, 5, 6, 5, 6, 2),   // one grid per image
        new SampleGeometry(3, 2, 7, 4, 7, 4, 1),   // one grid shared by the batch (Siamese)
        new SampleGeometry(2, 1, 6, 6, 3, 8, 2),   // output of another size
    };

    @Test
    void gridSampleForwardAndBackward() {
        for (DType t : FLOATING) {
            for (SampleGeometry g : SAMPLES) {
                Pair x = pair(t, uniform(g.inputSize(), -1, 1));
                double[] points = new double[g.gridSize()];
                for (int i = 0; i < points.length; i += 2) {
                    points[i] = -1.5 + (g.w() + 2) * random.nextDouble();
                    points[i + 1] = -1.5 + (g.h() + 2) * random.nextDouble();
                    if (i % 6 == 0) {  // whole pixels: a shift, a flip
                        points[i] = Math.rint(points[i]);
                        points[i + 1] = Math.rint(points[i + 1]);
                    }
                }
                Pair grid = pair(t, points);
                Pair y = outputs(t, g.outputSize());
                CPU.gridSample(g, x.cpu(), 0, grid.cpu(), 0, y.cpu(), 0);
                cuda().gridSample(g, x.cuda(), 0, grid.cuda(), 0, y.cuda(), 0);
                assertClose("gridSample " + g + " " + t, y, g.outputSize(), 4 * eps(t), 4 * eps(t));
                Pair gy = pair(t, uniform(g.outputSize(), -1, 1));
                Pair gx = pair(t, uniform(g.inputSize(), 5, 6));  // overwritten
                CPU.gridSampleBackward(g, gy.cpu(), 0, grid.cpu(), 0, gx.cpu(), 0);
                cuda().gridSampleBackward(g, gy.cuda(), 0, grid.cuda(), 0, gx.cuda(), 0);
                assertClose("gridSample backward " + g + " " + t, gx, g.inputSize(), 16 * eps(t), 16 * eps(t));
            }
        }
    }

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

    @Test
    void uniformNumbersAreTheCpuStreamBitForBit() {
        for (DType t : FLOATING) {
            for (int n : new int[] {1, 7, 1001}) {
                Pair out = outputs(t, n + 3);
                CPU.uniform(0xDEADBEEFCAFEL, 123_456_789_012L, out.cpu(), 3, n, -2.5, 4.0);
                cuda().uniform(0xDEADBEEFCAFEL, 123_456_789_012L, out.cuda(), 3, n, -2.5, 4.0);
                assertClose("uniform n=" + n + " " + t, out, n + 3, 0, 0);
            }
        }
    }

    @Test
    void normalNumbersAreTheCpuStreamToTheLastBits() {
        for (DType t : FLOATING) {
            Pair out = outputs(t, 1003);
            // Counter near 2^32: the stream crosses into the counter's high word.
            CPU.normal(42, 0xFFFFFF00L, out.cpu(), 0, 1003, 1.5, 0.25);
            cuda().normal(42, 0xFFFFFF00L, out.cuda(), 0, 1003, 1.5, 0.25);
            // log, cos and sin may differ in the last bit between libdevice/glibc and Java.
            assertClose("normal " + t, out, 1003, t == DType.F32 ? 2.5e-7 : 1e-14, 1e-15);
        }
    }
}
