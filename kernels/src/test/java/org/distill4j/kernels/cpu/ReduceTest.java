package org.distill4j.kernels.cpu;

import static org.distill4j.kernels.cpu.Fixtures.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.ReduceOp;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.kernels.View;
import org.distill4j.kernels.cpu.Fixtures.Layout;
import org.junit.jupiter.api.Test;

/** Reductions and argmax: fast paths against the references. */
class ReduceTest {
    static boolean[] simdModes() {
        return ElementwiseTest.simdModes();
    }

    static boolean[] flags(int mask, int rank) {
        boolean[] f = new boolean[rank];
        for (int a = 0; a < rank; a++) {
            f[a] = (mask >> a & 1) != 0;
        }
        return f;
    }

    static int outSize(int[] shape, boolean[] reduce) {
        int n = 1;
        for (int a = 0; a < shape.length; a++) {
            n *= reduce[a] ? 1 : shape[a];
        }
        return n;
    }

    /**
     * Checks the fast reduction against the reference: MAX and MIN bit for bit, SUM within
     * {@code tol} times the sum of magnitudes of the elements reduced into each output.
     */
    static void check(ReduceOp op, int[] shape, View x, boolean[] reduce, DType dtype, String what) {
        int n = outSize(shape, reduce);
        CpuBuffer expected = CpuBuffer.allocate(dtype, n + 2);
        Reduce.reduceReference(op, shape, x, reduce, expected, 2);
        CpuBuffer scale = CpuBuffer.allocate(DType.F64, n);
        CpuBuffer abs = CpuBuffer.allocate(DType.F64, Fixtures.size(shape));
        Elementwise.unaryReference(UnaryOp.ABS, 0, 0, shape, x, abs, 0);
        Reduce.reduceReference(ReduceOp.SUM, shape, View.contiguous(abs, 0, shape), reduce, scale, 0);
        double tol = dtype == DType.F32 ? 1e-6 : 1e-14;
        for (boolean simd : simdModes()) {
            CpuBuffer actual = CpuBuffer.allocate(dtype, n + 2);
            Reduce.reduce(op, shape, x, reduce, actual, 2, simd);
            String full = what + " " + op + " " + dtype + " " + Arrays.toString(shape) + " over " + Arrays.toString(reduce)
                    + " simd=" + simd;
            if (op != ReduceOp.SUM) {
                assertIdentical(expected, actual, 2, n, full);
                continue;
            }
            for (int o = 0; o < n; o++) {
                double e = Access.get(expected, 2 + o);
                double a = Access.get(actual, 2 + o);
                if (Math.abs(a - e) > tol * Access.get(scale, o) + 1e-30) {
                    fail(full + ": output " + o + " expected " + e + " but was " + a);
                }
            }
        }
    }

    @Test
    void everyAxisSubsetOnEveryLayout() {
        Random rnd = new Random(11);
        List<int[]> shapes = List.of(new int[] {7}, new int[] {17, 9}, new int[] {1, 63}, new int[] {5, 1, 3},
                new int[] {3, 4, 5, 6}, new int[] {2, 7, 17, 3}, new int[] {129, 10});
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (int[] shape : shapes) {
                for (Layout layout : Layout.values()) {
                    View x = Fixtures.view(dtype, shape, layout, rnd, false);
                    for (int mask = 0; mask < 1 << shape.length; mask++) {
                        for (ReduceOp op : ReduceOp.values()) {
                            check(op, shape, x, flags(mask, shape.length), dtype, layout.toString());
                        }
                    }
                }
            }
        }
    }

    @Test
    void largeRowsColumnsAndChannels() {
        Random rnd = new Random(12);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            int[] longRows = {3, 70_001};
            check(ReduceOp.SUM, longRows, Fixtures.view(dtype, longRows, Layout.OFFSET, rnd, false),
                    new boolean[] {false, true}, dtype, "long rows");
            int[] flat = {200_003};
            View x = Fixtures.view(dtype, flat, Layout.OFFSET, rnd, false);
            for (ReduceOp op : ReduceOp.values()) {
                check(op, flat, x, new boolean[] {true}, dtype, "full");
            }
            int[] wide = {300, 1000};
            View w = Fixtures.view(dtype, wide, Layout.CONTIGUOUS, rnd, false);
            for (ReduceOp op : ReduceOp.values()) {
                check(op, wide, w, new boolean[] {true, false}, dtype, "column");
            }
            int[] nchw = {16, 6, 28, 28};
            View c = Fixtures.view(dtype, nchw, Layout.CONTIGUOUS, rnd, false);
            check(ReduceOp.SUM, nchw, c, new boolean[] {true, false, true, true}, dtype, "channel");
            check(ReduceOp.MAX, nchw, c, new boolean[] {false, true, false, false}, dtype, "channel max");
        }
    }

    @Test
    void nanPropagatesThroughMaxAndMin() {
        for (boolean simd : simdModes()) {
            for (int n : new int[] {3, 8, 17, 100}) {
                float[] data = new float[n];
                for (int i = 0; i < n; i++) {
                    data[i] = i;
                }
                data[n / 2] = Float.NaN;
                int[] shape = {n};
                for (ReduceOp op : ReduceOp.values()) {
                    CpuBuffer out = CpuBuffer.allocate(DType.F32, 1);
                    Reduce.reduce(op, shape, View.contiguous(CpuBuffer.wrap(data), 0, shape), new boolean[] {true}, out, 0, simd);
                    assertEquals(Float.NaN, out.f[0], op + " of " + n + " with a NaN, simd=" + simd);
                }
            }
        }
    }

    @Test
    void handComputedSums() {
        float[] data = {1, 2, 3, 4, 5, 6};
        int[] shape = {2, 3};
        View x = View.contiguous(CpuBuffer.wrap(data), 0, shape);
        for (boolean simd : simdModes()) {
            CpuBuffer rows = CpuBuffer.allocate(DType.F32, 2);
            Reduce.reduce(ReduceOp.SUM, shape, x, new boolean[] {false, true}, rows, 0, simd);
            assertArrayEquals(new float[] {6, 15}, rows.f);
            CpuBuffer cols = CpuBuffer.allocate(DType.F32, 3);
            Reduce.reduce(ReduceOp.SUM, shape, x, new boolean[] {true, false}, cols, 0, simd);
            assertArrayEquals(new float[] {5, 7, 9}, cols.f);
            CpuBuffer max = CpuBuffer.allocate(DType.F32, 1);
            Reduce.reduce(ReduceOp.MAX, shape, x, new boolean[] {true, true}, max, 0, simd);
            assertEquals(6f, max.f[0]);
        }
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalSums() {
        Random rnd = new Random(13);
        List<int[]> shapes = List.of(new int[] {300_001}, new int[] {64, 6, 28, 28}, new int[] {2000, 300});
        List<boolean[]> reduces = List.of(new boolean[] {true}, new boolean[] {true, false, true, true},
                new boolean[] {true, false});
        for (int s = 0; s < shapes.size(); s++) {
            int[] shape = shapes.get(s);
            boolean[] reduce = reduces.get(s);
            View x = Fixtures.view(DType.F32, shape, Layout.OFFSET, rnd, false);
            int n = outSize(shape, reduce);
            for (boolean simd : simdModes()) {
                CpuBuffer one = CpuBuffer.allocate(DType.F32, n);
                CpuBuffer two = CpuBuffer.allocate(DType.F32, n);
                Fixtures.withThreads(1, () -> Reduce.reduce(ReduceOp.SUM, shape, x, reduce, one, 0, simd));
                Fixtures.withThreads(2, () -> Reduce.reduce(ReduceOp.SUM, shape, x, reduce, two, 0, simd));
                assertIdentical(one, two, 0, n, "sum " + Arrays.toString(shape) + " on 1 vs 2 threads, simd=" + simd);
            }
        }
    }

    @Test
    void argmaxMatchesReferenceAndPicksTheFirstOfTies() {
        Random rnd = new Random(14);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (int[] dims : new int[][] {{1, 1, 1}, {256, 10, 1}, {7, 17, 3}, {3, 1, 9}, {2, 129, 63}}) {
                int n = dims[0] * dims[1] * dims[2];
                CpuBuffer x = Fixtures.random(dtype, n + 1, rnd);
                for (int i = 0; i < n; i += 3) {
                    Access.set(x, i, 1.0); // plenty of ties
                }
                CpuBuffer expected = CpuBuffer.allocate(DType.I32, dims[0] * dims[2]);
                CpuBuffer actual = CpuBuffer.allocate(DType.I32, dims[0] * dims[2]);
                Reduce.argmaxReference(dims[0], dims[1], dims[2], x, 1, expected, 0);
                Reduce.argmax(dims[0], dims[1], dims[2], x, 1, actual, 0);
                assertArrayEquals(expected.i, actual.i, "argmax " + dtype + " " + Arrays.toString(dims));
            }
        }
        float[] ties = {3, 5, 5, 1};
        CpuBuffer out = CpuBuffer.allocate(DType.I32, 1);
        Reduce.argmax(1, 4, 1, CpuBuffer.wrap(ties), 0, out, 0);
        assertEquals(1, out.i[0]);
    }
}
