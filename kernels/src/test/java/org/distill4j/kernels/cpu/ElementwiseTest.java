package org.distill4j.kernels.cpu;

import static org.distill4j.kernels.cpu.Fixtures.assertClose;
import static org.distill4j.kernels.cpu.Fixtures.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.kernels.View;
import org.distill4j.kernels.cpu.Fixtures.Layout;
import org.junit.jupiter.api.Test;

/** The elementwise fast paths (plain and Vector API) against the scalar references. */
class ElementwiseTest {
    static final List<int[]> SHAPES = List.of(new int[0], new int[] {1}, new int[] {7}, new int[] {17}, new int[] {63},
            new int[] {129}, new int[] {3, 5}, new int[] {17, 9}, new int[] {9, 17}, new int[] {2, 3, 7, 5},
            new int[] {3, 6, 11, 13}, new int[] {70001});

    /** Ops whose fast forms round exactly like the reference (one correctly rounded operation). */
    static final Set<UnaryOp> EXACT_UNARY = EnumSet.of(UnaryOp.NEG, UnaryOp.SQRT, UnaryOp.RECIPROCAL, UnaryOp.SQUARE,
            UnaryOp.ABS, UnaryOp.SIGN, UnaryOp.RELU, UnaryOp.STEP, UnaryOp.LEAKY_STEP, UnaryOp.CLAMP);

    static boolean[] simdModes() {
        return VectorSupport.AVAILABLE ? new boolean[] {false, true} : new boolean[] {false};
    }

    static boolean needsPositive(UnaryOp op) {
        return op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.POW;
    }

    @Test
    void unaryMatchesReferenceOnEveryLayout() {
        Random rnd = new Random(1);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (int[] shape : SHAPES) {
                for (Layout layout : Layout.values()) {
                    for (UnaryOp op : UnaryOp.values()) {
                        View x = Fixtures.view(dtype, shape, layout, rnd, needsPositive(op));
                        int n = Fixtures.size(shape);
                        CpuBuffer expected = CpuBuffer.allocate(dtype, n + 3);
                        Elementwise.unaryReference(op, 0.25, 1.5, shape, x, expected, 3);
                        for (boolean simd : simdModes()) {
                            CpuBuffer actual = CpuBuffer.allocate(dtype, n + 3);
                            Elementwise.unary(op, 0.25, 1.5, shape, x, actual, 3, simd);
                            String what = op + " " + dtype + " " + java.util.Arrays.toString(shape) + " " + layout + " simd=" + simd;
                            if (!simd || EXACT_UNARY.contains(op)) {
                                assertIdentical(expected, actual, 3, n, what);
                            } else {
                                assertClose(expected, actual, 3, n, dtype == DType.F32 ? 3e-6 : 1e-14, 1e-30, what);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void unaryHandlesSpecialValues() {
        double[] special = {0.0, -0.0, 1e-3, -1e-3, 30, -30, 100, -100, 1e30, -1e30,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 0.25, 1.5, -0.25, 2, 3};
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            CpuBuffer x = CpuBuffer.allocate(dtype, special.length);
            for (int i = 0; i < special.length; i++) {
                Access.set(x, i, special[i]);
            }
            int[] shape = {special.length};
            for (UnaryOp op : UnaryOp.values()) {
                CpuBuffer expected = CpuBuffer.allocate(dtype, special.length);
                Elementwise.unaryReference(op, 0.25, 1.5, shape, View.contiguous(x, 0, shape), expected, 0);
                for (boolean simd : simdModes()) {
                    CpuBuffer actual = CpuBuffer.allocate(dtype, special.length);
                    Elementwise.unary(op, 0.25, 1.5, shape, View.contiguous(x, 0, shape), actual, 0, simd);
                    // Float results may underflow where the double reference keeps a subnormal: atol covers that.
                    assertClose(expected, actual, 0, special.length, dtype == DType.F32 ? 3e-6 : 1e-14, 1e-37,
                            op + " " + dtype + " special values, simd=" + simd);
                }
            }
        }
    }

    @Test
    void binaryMatchesReferenceOnEveryLayoutPair() {
        Random rnd = new Random(2);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (int[] shape : SHAPES) {
                for (Layout la : Layout.values()) {
                    for (Layout lb : new Layout[] {Layout.OFFSET, Layout.REVERSED, Layout.BROADCAST, Layout.SLICED}) {
                        for (BinaryOp op : BinaryOp.values()) {
                            View a = Fixtures.view(dtype, shape, la, rnd, op == BinaryOp.POW);
                            View b = Fixtures.view(dtype, shape, lb, rnd, false);
                            checkBinary(op, shape, a, b, dtype, op + " " + dtype + " " + java.util.Arrays.toString(shape)
                                    + " " + la + "/" + lb);
                        }
                    }
                }
            }
        }
    }

    @Test
    void binaryBroadcastPatterns() {
        Random rnd = new Random(3);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (int n : new int[] {1, 7, 17, 63, 129}) {
                for (int c : new int[] {1, 3, 8, 10, 17}) {
                    int[] shape = {n, c};
                    View x = Fixtures.view(dtype, shape, Layout.OFFSET, rnd, false);
                    View bias = Fixtures.view(dtype, shape, new int[] {0, 1}, 2, rnd);
                    View rowScale = Fixtures.view(dtype, shape, new int[] {1, 0}, 1, rnd);
                    View scalar = Fixtures.view(dtype, shape, new int[] {0, 0}, 3, rnd);
                    for (BinaryOp op : new BinaryOp[] {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.GT}) {
                        String what = op + " " + dtype + " [" + n + ", " + c + "]";
                        checkBinary(op, shape, x, bias, dtype, what + " + [c]");
                        checkBinary(op, shape, bias, x, dtype, what + " [c] + x");
                        checkBinary(op, shape, x, rowScale, dtype, what + " * [n, 1]");
                        checkBinary(op, shape, scalar, x, dtype, what + " scalar first");
                        checkBinary(op, shape, x, scalar, dtype, what + " scalar second");
                        checkBinary(op, shape, scalar, scalar, dtype, what + " both scalar");
                    }
                }
            }
            // NCHW plus a per-channel [1, C, 1, 1] bias.
            int[] nchw = {3, 6, 7, 9};
            View x = Fixtures.view(dtype, nchw, Layout.CONTIGUOUS, rnd, false);
            View channel = Fixtures.view(dtype, nchw, new int[] {0, 1, 0, 0}, 0, rnd);
            checkBinary(BinaryOp.ADD, nchw, x, channel, dtype, "NCHW + channel bias " + dtype);
            checkBinary(BinaryOp.MUL, nchw, channel, x, dtype, "channel scale * NCHW " + dtype);
        }
    }

    static void checkBinary(BinaryOp op, int[] shape, View a, View b, DType dtype, String what) {
        int n = Fixtures.size(shape);
        CpuBuffer expected = CpuBuffer.allocate(dtype, n + 1);
        Elementwise.binaryReference(op, shape, a, b, expected, 1);
        for (boolean simd : simdModes()) {
            CpuBuffer actual = CpuBuffer.allocate(dtype, n + 1);
            Elementwise.binary(op, shape, a, b, actual, 1, simd);
            assertIdentical(expected, actual, 1, n, what + " simd=" + simd);
        }
    }

    @Test
    void binaryInPlaceWithOutputAliasingAnInput() {
        for (boolean simd : simdModes()) {
            for (int n : new int[] {5, 13, 100}) {
                float[] a = new float[n];
                float[] b = new float[n];
                float[] expected = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = i;
                    b[i] = 2 * i + 1;
                    expected[i] = a[i] + b[i];
                }
                CpuBuffer ab = CpuBuffer.wrap(a);
                int[] shape = {n};
                Elementwise.binary(BinaryOp.ADD, shape, View.contiguous(ab, 0, shape),
                        View.contiguous(CpuBuffer.wrap(b), 0, shape), ab, 0, simd);
                assertArrayEquals(expected, a, "a += b, n=" + n + " simd=" + simd);
                Elementwise.unary(UnaryOp.AFFINE, 2, 1, shape, View.contiguous(ab, 0, shape), ab, 0, simd);
                for (int i = 0; i < n; i++) {
                    assertEquals(2 * expected[i] + 1, a[i], "a = 2a + 1 in place, element " + i + " simd=" + simd);
                }
            }
        }
    }

    @Test
    void whereMatchesReference() {
        Random rnd = new Random(4);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (int[] shape : SHAPES) {
                for (Layout lc : new Layout[] {Layout.CONTIGUOUS, Layout.BROADCAST, Layout.REVERSED}) {
                    for (Layout la : new Layout[] {Layout.OFFSET, Layout.BROADCAST, Layout.STRIDED}) {
                        View c = Fixtures.view(dtype, shape, lc, rnd, false);
                        // Zero out about half of the condition values.
                        CpuBuffer cb = (CpuBuffer) c.buffer();
                        for (int i = 0; i < cb.length(); i += 2) {
                            Access.set(cb, i, 0);
                        }
                        View a = Fixtures.view(dtype, shape, la, rnd, false);
                        View b = Fixtures.view(dtype, shape, Layout.OFFSET, rnd, false);
                        int n = Fixtures.size(shape);
                        CpuBuffer expected = CpuBuffer.allocate(dtype, n);
                        Elementwise.whereReference(shape, c, a, b, expected, 0);
                        for (boolean simd : simdModes()) {
                            CpuBuffer actual = CpuBuffer.allocate(dtype, n);
                            Elementwise.where(shape, c, a, b, actual, 0, simd);
                            assertIdentical(expected, actual, 0, n, "where " + dtype + " " + java.util.Arrays.toString(shape)
                                    + " " + lc + "/" + la + " simd=" + simd);
                        }
                    }
                }
            }
        }
    }

    @Test
    void copyConvertsBetweenEveryDtypePair() {
        Random rnd = new Random(5);
        for (DType from : DType.values()) {
            for (DType to : DType.values()) {
                for (int[] shape : SHAPES) {
                    for (Layout layout : Layout.values()) {
                        View x = Fixtures.view(from, shape, layout, rnd, false);
                        int n = Fixtures.size(shape);
                        CpuBuffer expected = CpuBuffer.allocate(to, n + 2);
                        CpuBuffer actual = CpuBuffer.allocate(to, n + 2);
                        Elementwise.copyReference(shape, x, expected, 2);
                        Elementwise.copy(shape, x, actual, 2);
                        assertIdentical(expected, actual, 2, n, "copy " + from + "->" + to + " "
                                + java.util.Arrays.toString(shape) + " " + layout);
                    }
                }
            }
        }
    }

    @Test
    void fillWritesOnlyItsRange() {
        for (DType dtype : DType.values()) {
            CpuBuffer b = CpuBuffer.allocate(dtype, 100_000);
            Elementwise.fill(b, 3, 99_990, 7);
            assertEquals(0.0, Access.get(b, 2));
            assertEquals(7.0, Access.get(b, 3));
            assertEquals(7.0, Access.get(b, 99_992));
            assertEquals(0.0, Access.get(b, 99_993));
        }
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalResults() {
        Random rnd = new Random(6);
        int[] shape = {4, 6, 28, 28 * 3};
        View x = Fixtures.view(DType.F32, shape, Layout.OFFSET, rnd, false);
        View y = Fixtures.view(DType.F32, shape, Layout.BROADCAST, rnd, false);
        int n = Fixtures.size(shape);
        for (boolean simd : simdModes()) {
            CpuBuffer one = CpuBuffer.allocate(DType.F32, n);
            CpuBuffer two = CpuBuffer.allocate(DType.F32, n);
            Fixtures.withThreads(1, () -> Elementwise.unary(UnaryOp.TANH, 0, 0, shape, x, one, 0, simd));
            Fixtures.withThreads(2, () -> Elementwise.unary(UnaryOp.TANH, 0, 0, shape, x, two, 0, simd));
            assertIdentical(one, two, 0, n, "tanh on 1 vs 2 threads, simd=" + simd);
            Fixtures.withThreads(1, () -> Elementwise.binary(BinaryOp.DIV, shape, x, y, one, 0, simd));
            Fixtures.withThreads(2, () -> Elementwise.binary(BinaryOp.DIV, shape, x, y, two, 0, simd));
            assertIdentical(one, two, 0, n, "div on 1 vs 2 threads, simd=" + simd);
        }
    }
}
