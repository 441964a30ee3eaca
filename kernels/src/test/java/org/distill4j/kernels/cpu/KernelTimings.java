package org.distill4j.kernels.cpu;

import java.util.Locale;
import java.util.Random;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.ConvGeometry;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.PoolGeometry;
import org.distill4j.kernels.ReduceOp;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.kernels.View;

/**
 * Hand-run timings of the CPU kernels against their scalar references, on the batch-256 shapes of
 * the LeNet / ConvNet runs. Not a test and not a benchmark suite (that is JMH in bench/): a quick
 * before/after table. Run after {@code mvn -pl kernels test-compile}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp kernels/target/classes:kernels/target/test-classes \
 *      org.distill4j.kernels.cpu.KernelTimings [group ...]
 * </pre>
 */
public final class KernelTimings {
    private KernelTimings() {
    }

    /**
     * Best (smallest) milliseconds per call of {@code body} over {@code reps} timed calls after a
     * warm-up: the build machine is shared, and the minimum is the figure least disturbed by others.
     */
    static double time(int reps, Runnable body) {
        long deadline = System.nanoTime() + 1_500_000_000L;
        do {
            body.run();
        } while (System.nanoTime() < deadline);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            body.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }

    static void row(String what, double reference, double fast) {
        System.out.printf(Locale.ROOT, "%-48s reference %9.3f ms   fast %8.3f ms   x%.1f%n", what, reference, fast, reference / fast);
    }

    static void row(String what, double fast) {
        System.out.printf(Locale.ROOT, "%-48s                          fast %8.3f ms%n", what, fast);
    }

    public static void main(String[] args) {
        java.util.Set<String> groups = new java.util.HashSet<>(java.util.List.of(args));
        boolean all = groups.isEmpty();
        System.out.println("threads " + org.distill4j.kernels.ComputeContext.current().threads() + ", vector " + VectorSupport.AVAILABLE);
        if (all || groups.contains("elementwise")) {
            elementwise();
        }
        if (all || groups.contains("reduce")) {
            reduce();
        }
        if (all || groups.contains("pool")) {
            pool(new PoolGeometry(256, 6, 28, 28, 2, 2, 2, 2, 0, 0), "LeNet pool1 2x2");
            pool(new PoolGeometry(256, 128, 28, 28, 2, 2, 2, 2, 0, 0), "ConvNet pool1 2x2");
            pool(new PoolGeometry(256, 16, 10, 10, 3, 3, 2, 2, 1, 1), "3x3 stride 2 pad 1");
        }
        if (all || groups.contains("conv")) {
            conv(new ConvGeometry(256, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2), "LeNet conv1", true);
            conv(new ConvGeometry(256, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0), "LeNet conv2", true);
            conv(new ConvGeometry(16, 1, 28, 28, 128, 3, 3, 1, 1, 1, 1), "ConvNet conv1 (batch 16)", true);
            conv(new ConvGeometry(16, 128, 14, 14, 128, 3, 3, 1, 1, 1, 1), "ConvNet conv2 (batch 16)", true);
            conv(new ConvGeometry(16, 128, 7, 7, 128, 3, 3, 1, 1, 1, 1), "ConvNet conv3 (batch 16)", true);
        }
    }

    static void elementwise() {
        Random rnd = new Random(1);
        boolean simd = VectorSupport.AVAILABLE;
        int[] shape = {256, 6, 28, 28};
        int n = Fixtures.size(shape);
        View x = View.contiguous(Fixtures.random(DType.F32, n, rnd), 0, shape);
        View y = View.contiguous(Fixtures.random(DType.F32, n, rnd), 0, shape);
        View bias = new View(Fixtures.random(DType.F32, 6, rnd), 0, new int[] {0, 1, 0, 0});
        CpuBuffer out = CpuBuffer.allocate(DType.F32, n);
        String s = " [256,6,28,28] F32";
        row("add" + s, time(10, () -> Elementwise.binaryReference(BinaryOp.ADD, shape, x, y, out, 0)),
                time(20, () -> Elementwise.binary(BinaryOp.ADD, shape, x, y, out, 0, simd)));
        row("add channel bias" + s, time(10, () -> Elementwise.binaryReference(BinaryOp.ADD, shape, x, bias, out, 0)),
                time(20, () -> Elementwise.binary(BinaryOp.ADD, shape, x, bias, out, 0, simd)));
        for (UnaryOp op : new UnaryOp[] {UnaryOp.RELU, UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SIGMOID}) {
            row(op.name().toLowerCase(Locale.ROOT) + s,
                    time(10, () -> Elementwise.unaryReference(op, 0, 0, shape, x, out, 0)),
                    time(20, () -> Elementwise.unary(op, 0, 0, shape, x, out, 0, simd)));
        }
        int[] t = {256, 784};
        View xt = new View(x.buffer(), 0, new int[] {1, 256});
        row("copy transpose [784,256]->[256,784] F32", time(10, () -> Elementwise.copyReference(t, xt, out, 0)),
                time(20, () -> Elementwise.copy(t, xt, out, 0)));
    }

    static void reduce() {
        Random rnd = new Random(2);
        boolean simd = VectorSupport.AVAILABLE;
        int[] shape = {256, 6, 28, 28};
        int n = Fixtures.size(shape);
        View x = View.contiguous(Fixtures.random(DType.F32, n, rnd), 0, shape);
        CpuBuffer out = CpuBuffer.allocate(DType.F32, n);
        boolean[] all = {true, true, true, true};
        boolean[] channel = {true, false, true, true};
        boolean[] rows = {false, false, false, true};
        String s = " [256,6,28,28] F32";
        row("sum all" + s, time(10, () -> Reduce.reduceReference(ReduceOp.SUM, shape, x, all, out, 0)),
                time(20, () -> Reduce.reduce(ReduceOp.SUM, shape, x, all, out, 0, simd)));
        row("sum over N,H,W (conv bias grad)" + s, time(10, () -> Reduce.reduceReference(ReduceOp.SUM, shape, x, channel, out, 0)),
                time(20, () -> Reduce.reduce(ReduceOp.SUM, shape, x, channel, out, 0, simd)));
        row("max over W" + s, time(10, () -> Reduce.reduceReference(ReduceOp.MAX, shape, x, rows, out, 0)),
                time(20, () -> Reduce.reduce(ReduceOp.MAX, shape, x, rows, out, 0, simd)));
        int[] fc = {256, 120};
        View h = View.contiguous(Fixtures.random(DType.F32, 256 * 120, rnd), 0, fc);
        row("sum over batch (fc bias grad) [256,120] F32",
                time(10, () -> Reduce.reduceReference(ReduceOp.SUM, fc, h, new boolean[] {true, false}, out, 0)),
                time(20, () -> Reduce.reduce(ReduceOp.SUM, fc, h, new boolean[] {true, false}, out, 0, simd)));
    }

    static void conv(ConvGeometry g, String name, boolean withReference) {
        Random rnd = new Random(3);
        CpuBuffer x = Fixtures.random(DType.F32, g.inputSize(), rnd);
        CpuBuffer w = Fixtures.random(DType.F32, g.weightSize(), rnd);
        CpuBuffer y = CpuBuffer.allocate(DType.F32, g.outputSize());
        CpuBuffer gx = CpuBuffer.allocate(DType.F32, g.inputSize());
        CpuBuffer gw = CpuBuffer.allocate(DType.F32, g.weightSize());
        String s = " " + name + " F32";
        boolean direct = VectorSupport.AVAILABLE && DirectConv.supports(g);
        int perGroup = (g.n() + 15) / 16;
        int groups = (g.n() + perGroup - 1) / perGroup;
        String[] what = {"conv2d forward", "conv2d backward input", "conv2d backward weight"};
        Runnable[] reference = {
            () -> Conv.conv2dReference(g, x, 0, w, 0, y, 0),
            () -> Conv.backwardInputReference(g, y, 0, w, 0, gx, 0),
            () -> Conv.backwardWeightReference(g, x, 0, y, 0, gw, 0)};
        Runnable[] gemm = {
            () -> Conv.forwardGemm(g, x, 0, w, 0, y, 0),
            () -> Conv.backwardInputGemm(g, y, 0, w, 0, gx, 0),
            () -> Conv.backwardWeightGemm(g, x, 0, y, 0, gw, 0)};
        Runnable[] directRuns = {
            () -> DirectConv.forward(g, x.f, 0, w.f, 0, y.f, 0),
            () -> DirectConv.backwardInput(g, y.f, 0, w.f, 0, gx.f, 0),
            () -> DirectConv.backwardWeight(g, x.f, 0, y.f, 0, gw.f, 0, groups, perGroup)};
        for (int i = 0; i < 3; i++) {
            double fast = time(10, gemm[i]);
            if (withReference) {
                row(what[i] + s + " im2col+gemm", time(3, reference[i]), fast);
            } else {
                row(what[i] + s + " im2col+gemm", fast);
            }
            if (direct) {
                row(what[i] + s + " direct", time(10, directRuns[i]));
            }
        }
    }

    static void pool(PoolGeometry g, String name) {
        Random rnd = new Random(4);
        CpuBuffer x = Fixtures.random(DType.F32, g.inputSize(), rnd);
        CpuBuffer y = CpuBuffer.allocate(DType.F32, g.outputSize());
        CpuBuffer am = CpuBuffer.allocate(DType.I32, g.outputSize());
        CpuBuffer gx = CpuBuffer.allocate(DType.F32, g.inputSize());
        String s = " " + name + " [" + g.n() + "," + g.c() + "," + g.h() + "," + g.w() + "] F32";
        row("maxPool2d forward" + s, time(10, () -> Pool.maxPoolReference(g, x, 0, y, 0, am, 0)),
                time(20, () -> Pool.maxPool(g, x, 0, y, 0, am, 0, VectorSupport.AVAILABLE)));
        row("maxPool2d backward" + s, time(10, () -> Pool.maxPoolBackwardReference(g, y, 0, am, 0, gx, 0)),
                time(20, () -> Pool.maxPoolBackward(g, y, 0, am, 0, gx, 0)));
        row("avgPool2d forward" + s, time(10, () -> Pool.avgPoolReference(g, x, 0, y, 0)),
                time(20, () -> Pool.avgPool(g, x, 0, y, 0)));
        row("avgPool2d backward" + s, time(10, () -> Pool.avgPoolBackwardReference(g, y, 0, gx, 0)),
                time(20, () -> Pool.avgPoolBackward(g, y, 0, gx, 0)));
    }
}
