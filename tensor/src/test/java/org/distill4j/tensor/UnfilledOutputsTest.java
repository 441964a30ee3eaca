package org.distill4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.BufferPool;
import org.distill4j.kernels.ConvGeometry;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.PoolGeometry;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.kernels.cpu.CpuBackend;
import org.distill4j.kernels.cpu.CpuBuffer;
import org.junit.jupiter.api.Test;

/**
 * The ops that allocate their output uninitialised ({@code Tensor.unfilled}: inside a
 * {@link BufferPool} step a reused buffer is not cleared) must write every element of it. Each op
 * runs twice: outside any step (fresh, zero-filled memory) and inside a step whose pool holds only
 * buffers of the outputs' sizes filled with NaN (F32, F64) or {@code Integer.MIN_VALUE} (I32). An
 * element the op does not write keeps the poison, and the two results differ.
 */
class UnfilledOutputsTest {
    private final Generator gen = new Generator(17);

    /** Runs {@code op} fresh and on poisoned pooled buffers; the outputs must agree bit for bit. */
    private static void writesEveryOutput(String name, Supplier<Tensor[]> op) {
        Tensor[] fresh = op.get();
        BufferPool pool = new BufferPool();
        int poisoned = 0;
        try (BufferPool.Step s = pool.step()) {
            for (Tensor t : fresh) {
                for (int copy = 0; copy < 4; copy++) {
                    CpuBuffer b = (CpuBuffer) CpuBackend.get().allocate(t.dtype(), t.size());
                    if (b.dtype() == DType.F32) {
                        java.util.Arrays.fill(b.floats(), Float.NaN);
                    } else if (b.dtype() == DType.F64) {
                        java.util.Arrays.fill(b.doubles(), Double.NaN);
                    } else {
                        java.util.Arrays.fill(b.ints(), Integer.MIN_VALUE);
                    }
                }
                poisoned += t.size() >= 1024 ? 1 : 0;
            }
        }
        try (BufferPool.Step s = pool.step()) {
            Tensor[] pooled = op.get();
            assertTrue(pool.counts()[0] >= poisoned, name + ": the outputs did not come from the poisoned pool");
            for (int i = 0; i < fresh.length; i++) {
                String what = name + ", output " + i;
                if (fresh[i].dtype() == DType.I32) {
                    int[] want = fresh[i].toIntArray();
                    int[] got = pooled[i].toIntArray();
                    for (int j = 0; j < want.length; j++) {
                        assertEquals(want[j], got[j], what + " element " + j);
                    }
                } else {
                    double[] want = fresh[i].toDoubleArray();
                    double[] got = pooled[i].toDoubleArray();
                    for (int j = 0; j < want.length; j++) {
                        assertEquals(Double.doubleToRawLongBits(want[j]), Double.doubleToRawLongBits(got[j]),
                                what + " element " + j + ": " + want[j] + " fresh, " + got[j] + " pooled");
                    }
                }
            }
        }
    }

    private void conv(String name, DType dt, int[] xShape, int[] wShape, int stride, int pad) {
        Tensor x = Tensor.randn(gen, dt, xShape);
        Tensor w = Tensor.randn(gen, dt, wShape);
        Tensor b = Tensor.randn(gen, dt, wShape[0]);
        ConvGeometry g = Conv.geometry(xShape, wShape, stride, stride, pad, pad);
        Tensor gy = Tensor.randn(gen, dt, g.n(), g.k(), g.outH(), g.outW());
        writesEveryOutput(name + " forward", () -> new Tensor[]{Conv.conv2d(g, x, w), Conv.conv2d(g, x, w, b)});
        writesEveryOutput(name + " input gradient", () -> new Tensor[]{Conv.backwardInput(g, gy, w)});
        writesEveryOutput(name + " weight gradient", () -> new Tensor[]{Conv.backwardWeight(g, x, gy)});
    }

    @Test
    void convolutionsDirectAndIm2colWriteEveryOutput() {
        conv("lenet conv1 (direct)", DType.F32, new int[]{4, 1, 28, 28}, new int[]{6, 1, 5, 5}, 1, 2);
        conv("lenet conv2 (direct)", DType.F32, new int[]{4, 6, 14, 14}, new int[]{16, 6, 5, 5}, 1, 0);
        conv("40 filters (im2col + GEMM)", DType.F32, new int[]{4, 8, 6, 6}, new int[]{40, 8, 3, 3}, 1, 1);
        conv("stride 2 (im2col + GEMM)", DType.F32, new int[]{4, 3, 12, 12}, new int[]{8, 3, 3, 3}, 2, 1);
        conv("F64", DType.F64, new int[]{4, 6, 14, 14}, new int[]{16, 6, 5, 5}, 1, 0);
    }

    private void pool(String name, DType dt, int[] xShape, int k, int stride) {
        Tensor x = Tensor.randn(gen, dt, xShape);
        PoolGeometry g = Pool.geometry(xShape, k, k, stride, stride, 0, 0);
        Tensor gy = Tensor.randn(gen, dt, g.n(), g.c(), g.outH(), g.outW());
        Tensor argmax = Pool.maxPool2d(g, x).argmax();
        writesEveryOutput(name + " max", () -> {
            Pool.MaxPoolResult r = Pool.maxPool2d(g, x);
            return new Tensor[]{r.values(), r.argmax(), Pool.maxPool2dValues(g, x)};
        });
        writesEveryOutput(name + " max backward", () -> new Tensor[]{Pool.maxPool2dBackward(g, gy, argmax)});
        writesEveryOutput(name + " avg", () -> new Tensor[]{Pool.avgPool2d(g, x)});
        writesEveryOutput(name + " avg backward", () -> new Tensor[]{Pool.avgPool2dBackward(g, gy)});
    }

    @Test
    void poolingWritesEveryOutputIncludingCellsNoWindowCovers() {
        pool("2x2 on 28x28", DType.F32, new int[]{4, 6, 28, 28}, 2, 2);
        pool("2x2 on 10x10 (small planes)", DType.F32, new int[]{8, 16, 10, 10}, 2, 2);
        pool("2x2 on 11x11 (a row and a column in no window)", DType.F32, new int[]{8, 8, 11, 11}, 2, 2);
        pool("3x3 stride 2 (overlapping)", DType.F32, new int[]{8, 6, 13, 13}, 3, 2);
        pool("F64 2x2", DType.F64, new int[]{4, 6, 28, 28}, 2, 2);
    }

    @Test
    void indexSelectWritesEveryOutput() {
        int[] r = new int[40];
        int[] c = new int[20];
        for (int i = 0; i < r.length; i++) {
            r[i] = i * 7 % 50; // repeats and skips rows, out of order
        }
        for (int i = 0; i < c.length; i++) {
            c[i] = 27 - i;
        }
        Tensor rows = Tensor.fromInts(r, r.length);
        Tensor cols = Tensor.fromInts(c, c.length);
        for (DType dt : new DType[]{DType.F32, DType.F64, DType.I32}) {
            Tensor x = Tensor.randn(gen, DType.F64, 50, 28, 28).to(dt);
            writesEveryOutput(dt + " indexSelect axis 0", () -> new Tensor[]{Indexing.indexSelect(x, 0, rows)});
            writesEveryOutput(dt + " indexSelect axis 1", () -> new Tensor[]{Indexing.indexSelect(x, 1, cols)});
        }
    }

    @Test
    void matmulAndElementwiseWriteEveryOutput() {
        for (DType dt : new DType[]{DType.F32, DType.F64}) {
            Tensor a = Tensor.randn(gen, dt, 64, 100);
            Tensor b = Tensor.randn(gen, dt, 100, 48);
            Tensor batched = Tensor.randn(gen, dt, 3, 40, 30);
            Tensor c = Tensor.randn(gen, dt, 30, 20);
            Tensor at = Tensor.randn(gen, dt, 100, 64).mT();
            List<Supplier<Tensor>> ops = new ArrayList<>();
            ops.add(() -> Gemm.matmul(a, b));
            ops.add(() -> Gemm.matmul(at, b));
            ops.add(() -> Gemm.matmul(batched, c));
            ops.add(() -> Elementwise.unary(UnaryOp.RELU, a));
            ops.add(() -> Elementwise.binary(BinaryOp.MUL, a, Tensor.randn(new Generator(1), dt, 100)));
            for (int i = 0; i < ops.size(); i++) {
                Supplier<Tensor> op = ops.get(i);
                writesEveryOutput(dt + " op " + i, () -> new Tensor[]{op.get()});
            }
        }
    }
}
