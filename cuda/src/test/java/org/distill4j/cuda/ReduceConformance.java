package org.distill4j.cuda;

import org.distill4j.kernels.DType;
import org.distill4j.kernels.ReduceOp;
import org.junit.jupiter.api.Test;

/** reduce.cu (sums, maxima, argmax; {@link CudaReduce}) against the CPU backend. */
abstract class ReduceConformance extends Conformance {

    @Test
    void reduceEverySubsetOfAxesOfATransposedView() {
        int[] shape = {3, 4, 5};
        int[] strides = {1, 15, 3};  // a [4, 5, 3] block read as [3, 4, 5]
        double[] v = uniform(60, -2, 2);
        for (DType t : FLOATING) {
            Pair x = pair(t, v);
            for (int mask = 0; mask < 8; mask++) {
                boolean[] axes = {(mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0};
                for (ReduceOp op : ReduceOp.values()) {
                    Pair out = outputs(t, 60);
                    CPU.reduce(op, shape, x.cpuView(0, strides), axes, out.cpu(), 0);
                    cuda().reduce(op, shape, x.view(0, strides), axes, out.cuda(), 0);
                    assertClose("reduce " + op + " mask " + mask + " " + t, out, 60, 4 * eps(t), 8 * eps(t));
                }
            }
        }
    }

    @Test
    void reduceTakesEachKernelShape() {
        // [rows, cols] reduced over the columns (warp per row), over the rows (thread per column),
        // and over everything of a long vector (block per output).
        int rows = 37;
        int cols = 129;
        for (DType t : FLOATING) {
            Pair x = pair(t, uniform(6000, -1, 1));
            check(t, "rows", new int[] {rows, cols}, new int[] {cols, 1}, new boolean[] {false, true}, x);
            check(t, "columns", new int[] {rows, cols}, new int[] {cols, 1}, new boolean[] {true, false}, x);
            check(t, "everything", new int[] {6000}, new int[] {1}, new boolean[] {true}, x);
            check(t, "two long rows", new int[] {2, 3000}, new int[] {3000, 1}, new boolean[] {false, true}, x);
        }
    }

    private void check(DType t, String what, int[] shape, int[] strides, boolean[] axes, Pair x) {
        for (ReduceOp op : ReduceOp.values()) {
            Pair out = outputs(t, 200);
            CPU.reduce(op, shape, x.cpuView(0, strides), axes, out.cpu(), 0);
            cuda().reduce(op, shape, x.view(0, strides), axes, out.cuda(), 0);
            assertClose("reduce " + op + " over " + what + " " + t, out, 200, 4 * eps(t), 64 * eps(t));
        }
    }

    @Test
    void reduceMaxPropagatesNaNAndEmptyAxesGiveTheIdentity() {
        double[] v = uniform(12, -1, 1);
        v[5] = Double.NaN;
        for (DType t : FLOATING) {
            Pair x = pair(t, v);
            for (ReduceOp op : ReduceOp.values()) {
                Pair out = outputs(t, 3);
                CPU.reduce(op, new int[] {3, 4}, x.cpuView(0, 4, 1), new boolean[] {false, true}, out.cpu(), 0);
                cuda().reduce(op, new int[] {3, 4}, x.view(0, 4, 1), new boolean[] {false, true}, out.cuda(), 0);
                assertClose("NaN " + op + " " + t, out, 3, 4 * eps(t), 4 * eps(t));
                Pair empty = outputs(t, 3);
                CPU.reduce(op, new int[] {3, 0}, x.cpuView(0, 4, 1), new boolean[] {false, true}, empty.cpu(), 0);
                cuda().reduce(op, new int[] {3, 0}, x.view(0, 4, 1), new boolean[] {false, true}, empty.cuda(), 0);
                assertClose("empty " + op + " " + t, empty, 3, 0, 0);
            }
        }
    }

    @Test
    void argmaxTakesTheFirstOfTies() {
        for (DType t : FLOATING) {
            double[] v = integers(3 * 7 * 4, -3, 3);
            v[0] = Double.NaN;  // a NaN in front is kept; elsewhere it never wins
            v[9] = Double.NaN;
            Pair x = pair(t, v);
            for (int[] dims : new int[][] {{3, 7, 4}, {21, 4, 1}, {1, 84, 1}}) {
                Pair out = outputs(DType.I32, 84);
                CPU.argmax(dims[0], dims[1], dims[2], x.cpu(), 0, out.cpu(), 0);
                cuda().argmax(dims[0], dims[1], dims[2], x.cuda(), 0, out.cuda(), 0);
                assertClose("argmax " + dims[0] + "x" + dims[1] + "x" + dims[2] + " " + t, out, 84, 0, 0);
            }
        }
    }
}
