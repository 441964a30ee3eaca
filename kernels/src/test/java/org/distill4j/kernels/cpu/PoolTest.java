package org.distill4j.kernels.cpu;

import static org.distill4j.kernels.cpu.Fixtures.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.PoolGeometry;
import org.junit.jupiter.api.Test;

/** Max and average pooling: fast loops against the references, bit for bit. */
class PoolTest {
    static final PoolGeometry[] GEOMETRIES = {
        new PoolGeometry(2, 3, 8, 8, 2, 2, 2, 2, 0, 0),     // the common case
        new PoolGeometry(3, 2, 7, 9, 2, 2, 2, 2, 0, 0),     // odd sizes: the last row and column are dropped
        new PoolGeometry(2, 2, 7, 7, 3, 3, 2, 2, 1, 1),     // overlapping windows with padding
        new PoolGeometry(1, 3, 5, 6, 3, 2, 1, 1, 1, 1),     // stride 1, non-square window
        new PoolGeometry(2, 1, 9, 5, 4, 2, 3, 2, 2, 0),     // padding on one axis
        new PoolGeometry(1, 1, 1, 1, 1, 1, 1, 1, 0, 0),     // a single pixel
        new PoolGeometry(4, 6, 28, 28, 2, 2, 2, 2, 0, 0),   // LeNet
        new PoolGeometry(1, 2, 17, 13, 5, 3, 4, 2, 2, 1),   // stride below the window on one axis only
        new PoolGeometry(2, 3, 14, 14, 2, 2, 2, 2, 0, 0),   // rows of 7 outputs: shorter than a vector
        new PoolGeometry(2, 2, 35, 41, 2, 2, 2, 2, 0, 0),   // odd rows longer than a vector
        new PoolGeometry(3, 4, 10, 10, 2, 2, 2, 2, 0, 0),   // LeNet's second: groups of 8 small planes, 4 left over
        new PoolGeometry(1, 9, 7, 5, 2, 2, 2, 2, 0, 0),     // odd small planes: groups of 4, one left over
    };

    @Test
    void forwardAndBackwardMatchReferences() {
        Random rnd = new Random(31);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (PoolGeometry g : GEOMETRIES) {
                String what = dtype + " " + g;
                CpuBuffer x = Fixtures.random(dtype, g.inputSize() + 2, rnd);
                // Ties, to check that the first is chosen, and a NaN or two.
                for (int i = 0; i < x.length(); i += 5) {
                    Access.set(x, i, 0.5);
                }
                for (int i = 7; i < x.length(); i += 97) {
                    Access.set(x, i, Double.NaN);
                }
                int out = g.outputSize();
                CpuBuffer y0 = CpuBuffer.allocate(dtype, out + 1);
                CpuBuffer y1 = CpuBuffer.allocate(dtype, out + 1);
                CpuBuffer a0 = CpuBuffer.allocate(DType.I32, out + 3);
                CpuBuffer a1 = CpuBuffer.allocate(DType.I32, out + 3);
                Pool.maxPoolReference(g, x, 2, y0, 1, a0, 3);
                for (boolean simd : ElementwiseTest.simdModes()) {
                    java.util.Arrays.fill(a1.i, 0);
                    Pool.maxPool(g, x, 2, y1, 1, a1, 3, simd);
                    assertIdentical(y0, y1, 1, out, "max forward " + what + " simd=" + simd);
                    assertArrayEquals(a0.i, a1.i, "max argmax " + what + " simd=" + simd);
                    // Inference: the values alone, without the arg-max, are the same values.
                    CpuBuffer y2 = CpuBuffer.allocate(dtype, out + 1);
                    Pool.maxPool(g, x, 2, y2, 1, null, 0, simd);
                    assertIdentical(y0, y2, 1, out, "max forward without arg-max " + what + " simd=" + simd);
                }
                CpuBuffer y3 = CpuBuffer.allocate(dtype, out + 1);
                Pool.maxPoolReference(g, x, 2, y3, 1, null, 0);
                assertIdentical(y0, y3, 1, out, "max reference without arg-max " + what);

                CpuBuffer gy = Fixtures.random(dtype, out + 1, rnd);
                CpuBuffer gx0 = CpuBuffer.allocate(dtype, g.inputSize() + 4);
                CpuBuffer gx1 = CpuBuffer.allocate(dtype, g.inputSize() + 4);
                Pool.maxPoolBackwardReference(g, gy, 1, a0, 3, gx0, 4);
                Pool.maxPoolBackward(g, gy, 1, a0, 3, gx1, 4);
                assertIdentical(gx0, gx1, 4, g.inputSize(), "max backward " + what);

                Pool.avgPoolReference(g, x, 2, y0, 1);
                Pool.avgPool(g, x, 2, y1, 1);
                assertIdentical(y0, y1, 1, out, "avg forward " + what);
                Pool.avgPoolBackwardReference(g, gy, 1, gx0, 4);
                Pool.avgPoolBackward(g, gy, 1, gx1, 4);
                assertIdentical(gx0, gx1, 4, g.inputSize(), "avg backward " + what);
            }
        }
    }

    @Test
    void paddedCellsAreNeverChosen() {
        // All values negative: a padded zero would win if padding were read.
        PoolGeometry g = new PoolGeometry(1, 1, 3, 3, 3, 3, 2, 2, 1, 1);
        float[] x = {-9, -8, -7, -6, -5, -4, -3, -2, -1};
        CpuBuffer y = CpuBuffer.allocate(DType.F32, 4);
        CpuBuffer am = CpuBuffer.allocate(DType.I32, 4);
        Pool.maxPool(g, CpuBuffer.wrap(x), 0, y, 0, am, 0, VectorSupport.AVAILABLE);
        assertArrayEquals(new float[] {-5, -4, -2, -1}, y.f);
        assertArrayEquals(new int[] {4, 5, 7, 8}, am.i);
        // Average pooling counts the padding: the top-left window holds -9, -8, -6, -5 of nine cells.
        Pool.avgPool(g, CpuBuffer.wrap(x), 0, y, 0);
        assertTrue(Math.abs(y.f[0] - (-28f / 9)) < 1e-6, "avg with count_include_pad, got " + y.f[0]);
    }

    @Test
    void badArgmaxIsRejectedWithItsValue() {
        PoolGeometry g = new PoolGeometry(1, 1, 2, 2, 2, 2, 2, 2, 0, 0);
        CpuBuffer gy = CpuBuffer.wrap(new float[] {1});
        CpuBuffer gx = CpuBuffer.allocate(DType.F32, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pool.maxPoolBackward(g, gy, 0, CpuBuffer.wrap(new int[] {7}), 0, gx, 0));
        assertTrue(e.getMessage().contains("7"), e.getMessage());
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalResults() {
        Random rnd = new Random(32);
        PoolGeometry g = new PoolGeometry(16, 6, 28, 28, 3, 3, 2, 2, 1, 1);
        CpuBuffer x = Fixtures.random(DType.F32, g.inputSize(), rnd);
        CpuBuffer gy = Fixtures.random(DType.F32, g.outputSize(), rnd);
        CpuBuffer[] gx = {CpuBuffer.allocate(DType.F32, g.inputSize()), CpuBuffer.allocate(DType.F32, g.inputSize())};
        CpuBuffer am = CpuBuffer.allocate(DType.I32, g.outputSize());
        CpuBuffer y = CpuBuffer.allocate(DType.F32, g.outputSize());
        for (int t = 0; t < 2; t++) {
            int i = t;
            Fixtures.withThreads(i + 1, () -> {
                Pool.maxPool(g, x, 0, y, 0, am, 0, VectorSupport.AVAILABLE);
                Pool.maxPoolBackward(g, gy, 0, am, 0, gx[i], 0);
            });
        }
        assertIdentical(gx[0], gx[1], 0, g.inputSize(), "max backward on 1 vs 2 threads");
    }
}
