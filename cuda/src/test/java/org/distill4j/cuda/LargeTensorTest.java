package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.kernels.Backend;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.ConvGeometry;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.PoolGeometry;
import org.distill4j.kernels.ReduceOp;
import org.distill4j.kernels.View;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sizes that take the paths small tests never reach (review risk 4): more than 65,535 blocks of
 * work, so every grid-stride loop iterates, the warp and block kernels loop over their outputs,
 * gemm.cu splits rows and batches over several launches, and a convolution's im2col chunk holds
 * more than 16.7 million elements. Each compared with the CPU backend. On a GPU the sizes are the
 * real ones (20 to 50 million elements); on the emulated device they are a thousandth, and the grid
 * caps are lowered to match ({@link LaunchConfig#lowerLimits}), so the same paths run.
 */
@Tag("gpu")
class LargeTensorTest extends Conformance {
    private static AutoCloseable lowered;

    @BeforeAll
    static void lowerTheCapsOnTheEmulatedDevice() {
        if (GpuUnderTest.emulated()) {
            lowered = LaunchConfig.lowerLimits(16, 4);
        }
    }

    @AfterAll
    static void restoreTheCaps() throws Exception {
        if (lowered != null) {
            lowered.close();
        }
    }

    @Override
    Backend cuda() {
        return GpuUnderTest.probed();
    }

    /** True when {@code items} one-per-thread items need more blocks than one launch has: the kernel loops. */
    private static void assertGridStride(long itemsPerBlock, long items) {
        assertTrue(items > itemsPerBlock * LaunchConfig.maxBlocks(), items + " items fit one grid of "
                + LaunchConfig.maxBlocks() + " blocks: the grid-stride loop would not iterate");
    }

    @Test
    void elementwiseThroughATransposedRank4ViewPastTheGrid() {
        int d = GpuUnderTest.size(190_477, 191);
        int[] shape = {3, 5, 7, d};
        int n = 3 * 5 * 7 * d;
        assertGridStride(LaunchConfig.THREADS, n);
        int[] reversed = {1, 3, 15, 105};  // the contiguous [d, 7, 5, 3] read as [3, 5, 7, d]
        DType t = DType.F32;
        Pair x = pair(t, uniform(n + 3, -2, 2));
        Pair y = pair(t, uniform(n, -2, 2));
        Pair out = outputs(t, n);
        CPU.binary(BinaryOp.ADD, shape, x.cpuView(3, reversed), View.contiguous(y.cpu(), 0, shape), out.cpu(), 0);
        cuda().binary(BinaryOp.ADD, shape, x.view(3, reversed), View.contiguous(y.cuda(), 0, shape), out.cuda(), 0);
        assertClose("binary ADD over a transposed view, n = " + n, out, n, eps(t), 0);
        CPU.copy(shape, x.cpuView(3, reversed), out.cpu(), 0);
        cuda().copy(shape, x.view(3, reversed), out.cuda(), 0);
        assertClose("copy of a transposed view, n = " + n, out, n, 0, 0);
    }

    @Test
    void reductionsOverManyRowsManyColumnsAndOneHugeSum() {
        DType t = DType.F32;
        int rows = GpuUnderTest.size(300_001, 301);
        assertGridStride(CudaReduce.WARP_KERNEL_THREADS / 32, rows);  // reduce_warp: four rows a block
        Pair x = pair(t, uniform(rows * 33, -1, 1));
        for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MAX}) {
            Pair out = outputs(t, rows);
            CPU.reduce(op, new int[] {rows, 33}, View.contiguous(x.cpu(), 0, new int[] {rows, 33}), new boolean[] {false, true}, out.cpu(), 0);
            cuda().reduce(op, new int[] {rows, 33}, x.view(0, 33, 1), new boolean[] {false, true}, out.cuda(), 0);
            assertClose(op + " of " + rows + " rows", out, rows, 8 * eps(t), 8 * eps(t));
        }
        int cols = GpuUnderTest.size(17_000_000, 17_000);
        assertGridStride(LaunchConfig.THREADS, cols);  // reduce_thread: a thread per column
        Pair wide = pair(t, uniform(3 * cols, -1, 1));
        Pair colSums = outputs(t, cols);
        CPU.reduce(ReduceOp.SUM, new int[] {3, cols}, wide.cpuView(0, cols, 1), new boolean[] {true, false}, colSums.cpu(), 0);
        cuda().reduce(ReduceOp.SUM, new int[] {3, cols}, wide.view(0, cols, 1), new boolean[] {true, false}, colSums.cuda(), 0);
        assertClose("sum over 3 rows of " + cols + " columns", colSums, cols, 8 * eps(t), 8 * eps(t));
        int n = GpuUnderTest.size(50_000_000, 50_000);
        for (DType dt : FLOATING) {
            Pair big = pair(dt, uniform(n, 0, 1));
            Pair sum = outputs(dt, 1);
            CPU.reduce(ReduceOp.SUM, new int[] {n}, big.cpuView(0, 1), new boolean[] {true}, sum.cpu(), 0);
            cuda().reduce(ReduceOp.SUM, new int[] {n}, big.view(0, 1), new boolean[] {true}, sum.cuda(), 0);
            assertClose("sum of " + n + " " + dt, sum, 1, 1e-6, 0);
        }
    }

    @Test
    void softmaxMomentsAndArgmaxPastTheGrid() {
        for (DType t : FLOATING) {
            int rows = GpuUnderTest.size(300_001, 70);
            assertGridStride(CudaSoftmax.THREADS / 32, rows);  // softmax: four rows a block
            Pair x = pair(t, uniform(rows * 10, -5, 5));
            for (boolean log : new boolean[] {false, true}) {
                Pair y = outputs(t, rows * 10);
                CPU.softmax(log, rows, 10, x.cpu(), 0, y.cpu(), 0);
                cuda().softmax(log, rows, 10, x.cuda(), 0, y.cuda(), 0);
                assertClose((log ? "log-softmax " : "softmax ") + rows + " rows " + t, y, rows * 10, 16 * eps(t), 16 * eps(t));
            }
            int mRows = GpuUnderTest.size(70_000, 20);
            assertGridStride(1, mRows);  // row_moments: a block per row
            Pair r = pair(t, uniform(mRows * 64, -3, 3));
            Pair mean = outputs(t, mRows);
            Pair var = outputs(t, mRows);
            CPU.rowMoments(mRows, 64, r.cpu(), 0, mean.cpu(), 0, var.cpu(), 0);
            cuda().rowMoments(mRows, 64, r.cuda(), 0, mean.cuda(), 0, var.cuda(), 0);
            assertClose("row means " + t, mean, mRows, 16 * eps(t), 16 * eps(t));
            assertClose("row variances " + t, var, mRows, 16 * eps(t), 16 * eps(t));
            int inner = GpuUnderTest.size(128 * 128, 16);
            Pair c = pair(t, uniform(64 * 16 * inner, -3, 3));
            Pair cm = outputs(t, 16);
            Pair cv = outputs(t, 16);
            CPU.channelMoments(64, 16, inner, c.cpu(), 0, cm.cpu(), 0, cv.cpu(), 0);
            cuda().channelMoments(64, 16, inner, c.cuda(), 0, cm.cuda(), 0, cv.cuda(), 0);
            assertClose("channel means " + t, cm, 16, 1e-5, 1e-6);
            assertClose("channel variances " + t, cv, 16, 1e-5, 1e-6);
        }
        int inner = GpuUnderTest.size(20_000_000, 20_000);
        assertGridStride(LaunchConfig.THREADS, inner);
        Pair x = pair(DType.F32, integers(3 * inner, -20, 20));  // ties: the first index must win
        Pair arg = outputs(DType.I32, inner);
        CPU.argmax(1, 3, inner, x.cpu(), 0, arg.cpu(), 0);
        cuda().argmax(1, 3, inner, x.cuda(), 0, arg.cuda(), 0);
        assertClose("argmax over " + inner + " positions", arg, inner, 0, 0);
    }

    @Test
    void randomNumbersPastTheGridMatchTheCpuStream() {
        int n = GpuUnderTest.size(70_000_000, 70_000);
        assertGridStride(4L * LaunchConfig.THREADS, n);  // four numbers a thread
        Pair u = outputs(DType.F32, n);
        long counter = (1L << 32) - 5;  // the counter's high word changes along the way
        CPU.uniform(7, counter, u.cpu(), 0, n, -1, 1);
        cuda().uniform(7, counter, u.cuda(), 0, n, -1, 1);
        assertClose("uniform, " + n + " numbers", u, n, 0, 0);
        int m = GpuUnderTest.size(10_000_000, 10_000);
        Pair g = outputs(DType.F64, m);
        CPU.normal(9, 3, g.cpu(), 0, m, 0.5, 2);
        cuda().normal(9, 3, g.cuda(), 0, m, 0.5, 2);
        assertClose("normal, " + m + " numbers", g, m, 1e-12, 1e-12);
    }

    @Test
    void indexAddOfAMillionIntoOneSlotAndScatterOfManyRows() {
        int count = GpuUnderTest.size(1_000_000, 5_000);
        for (DType t : DType.values()) {
            Pair ones = pair(t, filled(count, 1));
            Pair idx = pair(DType.I32, new double[count]);  // every index 0: atomics on one address
            Pair acc = outputs(t, 2);
            cuda().indexAdd(1, 2, 1, ones.cuda(), 0, idx.cuda(), 0, count, acc.cuda(), 0);
            assertEquals(count, cuda().downloadDoubles(acc.cuda(), 0, 2)[0], "indexAdd of " + count + " ones " + t);
        }
        int rows = GpuUnderTest.size(5_000_000, 5_000);
        assertGridStride(LaunchConfig.THREADS, rows);
        Pair src = pair(DType.F32, integers(rows, -9, 9));
        Pair idx = pair(DType.I32, integers(rows, 0, 9));
        Pair out = outputs(DType.F32, rows * 10);
        CPU.scatterAddRows(rows, 10, src.cpu(), 0, idx.cpu(), 0, out.cpu(), 0);
        cuda().scatterAddRows(rows, 10, src.cuda(), 0, idx.cuda(), 0, out.cuda(), 0);
        assertClose("scatterAddRows of " + rows + " rows", out, rows * 10, 0, 0);
    }

    @Test
    void gemmOfAThousandOnBothEnginesAndEveryTranspose() {
        int m = GpuUnderTest.size(1027, 67);
        int n = GpuUnderTest.size(1029, 69);
        int k = GpuUnderTest.size(1031, 71);
        for (DType t : FLOATING) {
            Pair[] both = {null, null};
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    double[] av = uniform(m * k, -1, 1);
                    double[] bv = uniform(k * n, -1, 1);
                    Pair c = outputs(t, m * n);
                    org.distill4j.kernels.Buffer a = upload(CPU, t, av);
                    org.distill4j.kernels.Buffer b = upload(CPU, t, bv);
                    CPU.gemm(ta, tb, m, n, k, 1.0, a, 0, ta ? m : k, b, 0, tb ? k : n, 0.0, c.cpu(), 0, n);
                    double[] expected = CPU.downloadDoubles(c.cpu(), 0, m * n);
                    for (CudaBackend engine : new CudaBackend[] {GpuUnderTest.probed(), GpuUnderTest.kernelGemm()}) {
                        org.distill4j.kernels.Buffer ga = upload(engine, t, av);
                        org.distill4j.kernels.Buffer gb = upload(engine, t, bv);
                        org.distill4j.kernels.Buffer gc = engine.allocate(t, m * n);
                        engine.gemm(ta, tb, m, n, k, 1.0, ga, 0, ta ? m : k, gb, 0, tb ? k : n, 0.0, gc, 0, n);
                        assertClose("gemm " + m + "x" + n + "x" + k + " " + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + t + " on "
                                + engine.gemmEngine(), expected, engine.downloadDoubles(gc, 0, m * n), 8 * eps(t), 8 * k * eps(t));
                    }
                }
            }
        }
    }

    @Test
    void gemmDotCuSplitsTallMatricesAndLongBatches() {
        CudaBackend b = GpuUnderTest.kernelGemm();
        DType t = DType.F32;
        int m = LaunchConfig.gemmRowsPerLaunch() + 1;  // 4,194,241 on a GPU: one tile row past gridDim.y
        for (boolean ta : new boolean[] {false, true}) {
            double[] av = uniform(m * 2, -1, 1);
            double[] bv = uniform(2 * 3, -1, 1);
            org.distill4j.kernels.Buffer c = CPU.allocate(t, m * 3);
            CPU.gemm(ta, false, m, 3, 2, 1.0, upload(CPU, t, av), 0, ta ? m : 2, upload(CPU, t, bv), 0, 3, 0.0, c, 0, 3);
            org.distill4j.kernels.Buffer gc = b.allocate(t, m * 3);
            b.gemm(ta, false, m, 3, 2, 1.0, upload(b, t, av), 0, ta ? m : 2, upload(b, t, bv), 0, 3, 0.0, gc, 0, 3);
            assertClose("gemm.cu with m = " + m + (ta ? " (A transposed)" : ""), CPU.downloadDoubles(c, 0, m * 3),
                    b.downloadDoubles(gc, 0, m * 3), 8 * eps(t), 16 * eps(t));
        }
        int batch = GpuUnderTest.emulated() ? 2 * LaunchConfig.gemmBatchesPerLaunch() + 1 : 70_000;  // past gridDim.z
        double[] av = uniform(batch * 2 * 4, -1, 1);
        double[] bv = uniform(batch * 4 * 3, -1, 1);
        org.distill4j.kernels.Buffer c = CPU.allocate(t, batch * 6);
        CPU.gemmBatched(false, false, 2, 3, 4, 1.0, upload(CPU, t, av), 0, 4, 8, upload(CPU, t, bv), 0, 3, 12, 0.0, c, 0, 3, 6, batch);
        org.distill4j.kernels.Buffer gc = b.allocate(t, batch * 6);
        b.gemmBatched(false, false, 2, 3, 4, 1.0, upload(b, t, av), 0, 4, 8, upload(b, t, bv), 0, 3, 12, 0.0, gc, 0, 3, 6, batch);
        assertClose("gemmBatched of " + batch, CPU.downloadDoubles(c, 0, batch * 6), b.downloadDoubles(gc, 0, batch * 6),
                8 * eps(t), 16 * eps(t));
    }

    @Test
    void convolutionWithAChunkPastTheGridAndPoolingOfFiftyMillion() {
        boolean emulated = GpuUnderTest.emulated();
        ConvGeometry g = emulated ? new ConvGeometry(4, 4, 12, 12, 4, 3, 3, 1, 1, 1, 1)
                : new ConvGeometry(32, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1);
        DType t = DType.F32;
        Pair x = pair(t, uniform(g.inputSize(), -1, 1));
        Pair w = pair(t, uniform(g.weightSize(), -1, 1));
        Pair gy = pair(t, uniform(g.outputSize(), -1, 1));
        org.distill4j.kernels.Buffer y = CPU.allocate(t, g.outputSize());
        CPU.conv2d(g, x.cpu(), 0, w.cpu(), 0, y, 0);
        double[] expectedY = CPU.downloadDoubles(y, 0, g.outputSize());
        org.distill4j.kernels.Buffer gx = CPU.allocate(t, g.inputSize());
        CPU.conv2dBackwardInput(g, gy.cpu(), 0, w.cpu(), 0, gx, 0);
        double[] expectedGx = CPU.downloadDoubles(gx, 0, g.inputSize());
        org.distill4j.kernels.Buffer gw = CPU.allocate(t, g.weightSize());
        CPU.conv2dBackwardWeight(g, x.cpu(), 0, gy.cpu(), 0, gw, 0);
        double[] expectedGw = CPU.downloadDoubles(gw, 0, g.weightSize());
        for (CudaBackend engine : new CudaBackend[] {GpuUnderTest.probed(), GpuUnderTest.kernelGemm()}) {
            boolean probed = engine == GpuUnderTest.probed();
            ConvPlan plan = ConvPlan.of(g, probed ? CudaBackend.DEFAULT_CONV_WORKSPACE : GpuUnderTest.SMALL_CONV_WORKSPACE, t.bytes());
            if (probed) {
                assertGridStride(LaunchConfig.THREADS, plan.colRows() * plan.width(plan.imagesPerChunk()));
            } else if (!probed) {
                assertTrue(plan.imagesPerChunk() < g.n(), "one chunk: the accumulation over chunks would not run");
            }
            org.distill4j.kernels.Buffer ex = upload(engine, t, CPU.downloadDoubles(x.cpu(), 0, g.inputSize()));
            org.distill4j.kernels.Buffer ew = upload(engine, t, CPU.downloadDoubles(w.cpu(), 0, g.weightSize()));
            org.distill4j.kernels.Buffer egy = upload(engine, t, CPU.downloadDoubles(gy.cpu(), 0, g.outputSize()));
            String on = " " + g + " on " + engine.gemmEngine() + ", " + plan.imagesPerChunk() + " images a chunk";
            org.distill4j.kernels.Buffer ey = engine.allocate(t, g.outputSize());
            engine.conv2d(g, ex, 0, ew, 0, ey, 0);
            assertClose("conv2d" + on, expectedY, engine.downloadDoubles(ey, 0, g.outputSize()), 1e-3, 1e-4 * maxAbs(expectedY));
            org.distill4j.kernels.Buffer egx = engine.allocate(t, g.inputSize());
            engine.conv2dBackwardInput(g, egy, 0, ew, 0, egx, 0);
            assertClose("conv2d backward input" + on, expectedGx, engine.downloadDoubles(egx, 0, g.inputSize()), 1e-3,
                    1e-4 * maxAbs(expectedGx));
            org.distill4j.kernels.Buffer egw = engine.allocate(t, g.weightSize());
            engine.conv2dBackwardWeight(g, ex, 0, egy, 0, egw, 0);
            assertClose("conv2d backward weight" + on, expectedGw, engine.downloadDoubles(egw, 0, g.weightSize()), 1e-3,
                    1e-4 * maxAbs(expectedGw));
        }
        PoolGeometry p = emulated ? new PoolGeometry(2, 4, 28, 28, 2, 2, 2, 2, 0, 0)
                : new PoolGeometry(64, 64, 112, 112, 2, 2, 2, 2, 0, 0);
        Pair px = pair(t, uniform(p.inputSize(), -1, 1));
        Pair py = outputs(t, p.outputSize());
        Pair arg = outputs(DType.I32, p.outputSize());
        CPU.maxPool2d(p, px.cpu(), 0, py.cpu(), 0, arg.cpu(), 0);
        cuda().maxPool2d(p, px.cuda(), 0, py.cuda(), 0, arg.cuda(), 0);
        assertClose("maxPool2d " + p, py, p.outputSize(), 0, 0);
        Pair pgx = outputs(t, p.inputSize());
        CPU.avgPool2dBackward(p, py.cpu(), 0, pgx.cpu(), 0);
        cuda().avgPool2dBackward(p, py.cuda(), 0, pgx.cuda(), 0);
        assertClose("avgPool2d backward " + p, pgx, p.inputSize(), 4 * eps(t), 4 * eps(t));
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
