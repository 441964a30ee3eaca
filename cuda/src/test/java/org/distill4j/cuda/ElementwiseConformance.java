package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.kernels.View;
import org.junit.jupiter.api.Test;

/** Memory (upload, download, allocate) and elementwise.cu against the CPU backend. */
abstract class ElementwiseConformance extends Conformance {

    @Test
    void uploadsAndDownloadsConvertLikeTheCpu() {
        double[] v = {1.5, -2.25, 3e9, -7, 0.1, Double.NaN, 42};
        for (DType t : DType.values()) {
            Pair p = pair(t, v);
            assertExact(t + " doubles", CPU.downloadDoubles(p.cpu(), 1, 5), cuda().downloadDoubles(p.cuda(), 1, 5));
            float[] f = cuda().downloadFloats(p.cuda(), 2, 4);
            float[] g = CPU.downloadFloats(p.cpu(), 2, 4);
            assertArrayEquals(g, f, t + " floats");
        }
        Pair ints = pair(DType.I32, integers(9, -100, 100));
        assertArrayEquals(CPU.downloadInts(ints.cpu(), 3, 6), cuda().downloadInts(ints.cuda(), 3, 6));
        assertArrayEquals(new float[0], cuda().downloadFloats(cuda().upload(new float[0]), 0, 0));
    }

    @Test
    void allocateZeroFills() {
        for (DType t : DType.values()) {
            Buffer b = cuda().allocate(t, 1001);
            assertExact(t + " allocate", new double[1001], cuda().downloadDoubles(b, 0, 1001));
        }
    }

    @Test
    void rejectsBadRangesAndForeignBuffers() {
        Buffer b = cuda().allocate(DType.F32, 10);
        assertThrows(IndexOutOfBoundsException.class, () -> cuda().downloadDoubles(b, 8, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> cuda().fill(b, -1, 2, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> cuda().unary(UnaryOp.NEG, 0, 0, new int[] {4, 4}, View.contiguous(b, 0, new int[] {4, 4}), b, 0));
        assertThrows(IllegalArgumentException.class, () -> cuda().fill(CPU.allocate(DType.F32, 3), 0, 3, 1));
        Buffer d = cuda().allocate(DType.F64, 10);
        assertThrows(IllegalArgumentException.class,
                () -> cuda().unary(UnaryOp.NEG, 0, 0, new int[] {10}, View.contiguous(d, 0, new int[] {10}), b, 0));
    }

    @Test
    void fill() {
        for (DType t : DType.values()) {
            Pair p = outputs(t, 700);
            CPU.fill(p.cpu(), 3, 650, -2.75e10);
            cuda().fill(p.cuda(), 3, 650, -2.75e10);  // saturates in I32, as Java's cast does
            assertClose("fill " + t, p, 700, 0, 0);
        }
    }

    @Test
    void copyConvertsEveryDtypePairThroughStridedViews() {
        int[] shape = {3, 1, 4, 5};
        double[] v = uniform(70, -5, 5);
        v[7] = Double.NaN;
        v[11] = 1e12;
        v[12] = -1e12;
        for (DType from : DType.values()) {
            Pair x = pair(from, v);
            for (DType to : DType.values()) {
                Pair out = outputs(to, 61);
                // A transposed read of a [4, 3, 5] block at offset 2, plus a size-1 axis.
                int[] strides = {5, 99, 15, 1};
                CPU.copy(shape, x.cpuView(2, strides), out.cpu(), 1);
                cuda().copy(shape, x.view(2, strides), out.cuda(), 1);
                assertClose("copy " + from + " -> " + to, out, 61, 0, 0);
            }
        }
    }

    @Test
    void unaryEveryOpOnBroadcastViews() {
        int[] shape = {6, 7, 11};
        double[] v = uniform(6 * 11 + 3, -3, 3);
        v[3] = 0;
        v[4] = -0.0;
        v[5] = Double.NaN;
        v[6] = 40;
        v[7] = -40;
        for (DType t : FLOATING) {
            Pair x = pair(t, v);
            for (UnaryOp op : UnaryOp.values()) {
                double p = op == UnaryOp.POW ? 1.7 : op == UnaryOp.AFFINE ? 2.5 : op == UnaryOp.CLAMP || op == UnaryOp.INSIDE ? -0.5 : 0.1;
                double q = op == UnaryOp.CLAMP || op == UnaryOp.INSIDE ? 0.7 : -1.25;
                Pair out = outputs(t, 6 * 7 * 11 + 2);
                int[] strides = {11, 0, 1};  // the middle axis broadcasts
                CPU.unary(op, p, q, shape, x.cpuView(3, strides), out.cpu(), 2);
                cuda().unary(op, p, q, shape, x.view(3, strides), out.cuda(), 2);
                assertClose("unary " + op + " " + t, out, 6 * 7 * 11 + 2, 4 * eps(t), 4 * eps(t));
            }
        }
    }

    @Test
    void binaryEveryOpWithBroadcasting() {
        int[] shape = {4, 3, 5};
        for (DType t : FLOATING) {
            double[] av = integers(20, -4, 4);  // [4, 1, 5]
            double[] bv = uniform(15, -2, 2);   // [1, 3, 5]
            for (int i = 0; i < 15; i += 3) {
                bv[i] = Math.rint(bv[i]);  // some exact ties for EQ, GE, LE, MAX, MIN
            }
            bv[4] = 0;
            Pair a = pair(t, av);
            Pair b = pair(t, bv);
            for (BinaryOp op : BinaryOp.values()) {
                Pair out = outputs(t, 60);
                CPU.binary(op, shape, a.cpuView(0, 5, 0, 1), b.cpuView(0, 0, 5, 1), out.cpu(), 0);
                cuda().binary(op, shape, a.view(0, 5, 0, 1), b.view(0, 0, 5, 1), out.cuda(), 0);
                assertClose("binary " + op + " " + t, out, 60, 4 * eps(t), 0);
            }
        }
    }

    @Test
    void whereWithEveryConditionDtype() {
        int[] shape = {5, 9};
        double[] c = integers(9, 0, 1);
        c[2] = Double.NaN;  // NaN counts as true
        for (DType t : FLOATING) {
            Pair a = pair(t, uniform(45, -1, 1));
            Pair b = pair(t, uniform(5, -1, 1));
            for (DType ct : DType.values()) {
                Pair cond = pair(ct, c);
                Pair out = outputs(t, 45);
                CPU.where(shape, cond.cpuView(0, 0, 1), a.cpuView(0, 9, 1), b.cpuView(0, 1, 0), out.cpu(), 0);
                cuda().where(shape, cond.view(0, 0, 1), a.view(0, 9, 1), b.view(0, 1, 0), out.cuda(), 0);
                assertClose("where " + t + " cond " + ct, out, 45, 0, 0);
            }
        }
    }

    @Test
    void scalarsHighRankAndEmptyShapes() {
        for (DType t : FLOATING) {
            Pair x = pair(t, uniform(450, -1, 1));
            // Rank 0: one element.
            Pair one = outputs(t, 1);
            CPU.unary(UnaryOp.EXP, 0, 0, new int[0], x.cpuView(5), one.cpu(), 0);
            cuda().unary(UnaryOp.EXP, 0, 0, new int[0], x.view(5), one.cuda(), 0);
            assertClose("rank 0 " + t, one, 1, 4 * eps(t), 0);
            // Rank 7 with strides no two neighbours of which merge: layout_offset's full loop.
            int[] shape = {2, 2, 3, 2, 2, 2, 2};
            int[] strides = {200, 7, 50, 3, 90, 1, 20};
            Pair out = outputs(t, 192);
            CPU.unary(UnaryOp.SQUARE, 0, 0, shape, x.cpuView(0, strides), out.cpu(), 0);
            cuda().unary(UnaryOp.SQUARE, 0, 0, shape, x.view(0, strides), out.cuda(), 0);
            assertClose("rank 7 " + t, out, 192, 4 * eps(t), 0);
            // No elements: nothing to do, nothing launched.
            cuda().unary(UnaryOp.EXP, 0, 0, new int[] {3, 0}, x.view(0, 1, 1), out.cuda(), 0);
        }
    }
}
