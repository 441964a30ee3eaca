package org.distill4j.kernels.cpu;

import static org.distill4j.kernels.cpu.Fixtures.assertClose;
import static org.distill4j.kernels.cpu.Fixtures.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.distill4j.kernels.Backend;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.ConvGeometry;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.PoolGeometry;
import org.distill4j.kernels.ReduceOp;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.kernels.View;
import org.junit.jupiter.api.Test;

/** The backend's wiring: each SPI method reaches a kernel that agrees with its reference. */
class CpuBackendTest {
    final Backend cpu = CpuBackend.get();
    final Random rnd = new Random(61);

    @Test
    void elementwiseAndReductionsGoThroughTheFastPaths() {
        int[] shape = {5, 17};
        View a = View.contiguous(Fixtures.random(DType.F32, 85, rnd), 0, shape);
        View b = new View(Fixtures.random(DType.F32, 17, rnd), 0, new int[] {0, 1});
        CpuBuffer e = CpuBuffer.allocate(DType.F32, 85);
        CpuBuffer y = (CpuBuffer) cpu.allocate(DType.F32, 85);
        Elementwise.binaryReference(BinaryOp.MUL, shape, a, b, e, 0);
        cpu.binary(BinaryOp.MUL, shape, a, b, y, 0);
        assertIdentical(e, y, 0, 85, "binary");
        Elementwise.unaryReference(UnaryOp.RELU, 0, 0, shape, a, e, 0);
        cpu.unary(UnaryOp.RELU, 0, 0, shape, a, y, 0);
        assertIdentical(e, y, 0, 85, "unary");
        Elementwise.whereReference(shape, a, a, b, e, 0);
        cpu.where(shape, a, a, b, y, 0);
        assertIdentical(e, y, 0, 85, "where");
        CpuBuffer d = (CpuBuffer) cpu.allocate(DType.F64, 85);
        cpu.copy(shape, a, d, 0);
        assertArrayEquals(cpu.downloadDoubles(a.buffer(), 0, 85), d.d, "copy F32 -> F64");
        cpu.fill(y, 2, 3, 4.5);
        assertArrayEquals(new float[] {4.5f, 4.5f, 4.5f}, cpu.downloadFloats(y, 2, 3));
        boolean[] rows = {false, true};
        CpuBuffer re = CpuBuffer.allocate(DType.F32, 5);
        CpuBuffer ry = (CpuBuffer) cpu.allocate(DType.F32, 5);
        Reduce.reduceReference(ReduceOp.MAX, shape, a, rows, re, 0);
        cpu.reduce(ReduceOp.MAX, shape, a, rows, ry, 0);
        assertIdentical(re, ry, 0, 5, "reduce");
        CpuBuffer am = (CpuBuffer) cpu.allocate(DType.I32, 5);
        CpuBuffer ae = CpuBuffer.allocate(DType.I32, 5);
        Reduce.argmaxReference(5, 17, 1, (CpuBuffer) a.buffer(), 0, ae, 0);
        cpu.argmax(5, 17, 1, a.buffer(), 0, am, 0);
        assertArrayEquals(ae.i, am.i, "argmax");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> cpu.reduce(ReduceOp.SUM, shape, a, new boolean[] {true}, ry, 0));
        assertTrue(bad.getMessage().contains("1 axis flags for a rank-2"), bad.getMessage());
    }

    @Test
    void convPoolSoftmaxMomentsIndexingAndRandomNumbers() {
        ConvGeometry g = new ConvGeometry(3, 2, 9, 9, 4, 3, 3, 1, 1, 1, 1);
        CpuBuffer x = Fixtures.random(DType.F32, g.inputSize(), rnd);
        CpuBuffer w = Fixtures.random(DType.F32, g.weightSize(), rnd);
        CpuBuffer e = CpuBuffer.allocate(DType.F32, g.outputSize());
        CpuBuffer y = (CpuBuffer) cpu.allocate(DType.F32, g.outputSize());
        Conv.conv2dReference(g, x, 0, w, 0, e, 0);
        cpu.conv2d(g, x, 0, w, 0, y, 0);
        assertClose(e, y, 0, g.outputSize(), 1e-4, 1e-4, "conv2d");
        CpuBuffer gx = (CpuBuffer) cpu.allocate(DType.F32, g.inputSize());
        CpuBuffer gxe = CpuBuffer.allocate(DType.F32, g.inputSize());
        Conv.backwardInputReference(g, y, 0, w, 0, gxe, 0);
        cpu.conv2dBackwardInput(g, y, 0, w, 0, gx, 0);
        assertClose(gxe, gx, 0, g.inputSize(), 1e-4, 1e-4, "conv2d backward input");
        CpuBuffer gw = (CpuBuffer) cpu.allocate(DType.F32, g.weightSize());
        CpuBuffer gwe = CpuBuffer.allocate(DType.F32, g.weightSize());
        Conv.backwardWeightReference(g, x, 0, y, 0, gwe, 0);
        cpu.conv2dBackwardWeight(g, x, 0, y, 0, gw, 0);
        assertClose(gwe, gw, 0, g.weightSize(), 1e-4, 1e-3, "conv2d backward weight");

        PoolGeometry p = new PoolGeometry(3, 4, 9, 9, 2, 2, 2, 2, 0, 0);
        CpuBuffer py = (CpuBuffer) cpu.allocate(DType.F32, p.outputSize());
        CpuBuffer pe = CpuBuffer.allocate(DType.F32, p.outputSize());
        CpuBuffer pa = (CpuBuffer) cpu.allocate(DType.I32, p.outputSize());
        CpuBuffer pae = CpuBuffer.allocate(DType.I32, p.outputSize());
        Pool.maxPoolReference(p, y, 0, pe, 0, pae, 0);
        cpu.maxPool2d(p, y, 0, py, 0, pa, 0);
        assertIdentical(pe, py, 0, p.outputSize(), "maxPool2d");
        assertArrayEquals(pae.i, pa.i, "maxPool2d argmax");
        CpuBuffer pgx = (CpuBuffer) cpu.allocate(DType.F32, p.inputSize());
        CpuBuffer pgxe = CpuBuffer.allocate(DType.F32, p.inputSize());
        Pool.maxPoolBackwardReference(p, py, 0, pa, 0, pgxe, 0);
        cpu.maxPool2dBackward(p, py, 0, pa, 0, pgx, 0);
        assertIdentical(pgxe, pgx, 0, p.inputSize(), "maxPool2d backward");
        Pool.avgPoolReference(p, y, 0, pe, 0);
        cpu.avgPool2d(p, y, 0, py, 0);
        assertIdentical(pe, py, 0, p.outputSize(), "avgPool2d");
        Pool.avgPoolBackwardReference(p, py, 0, pgxe, 0);
        cpu.avgPool2dBackward(p, py, 0, pgx, 0);
        assertIdentical(pgxe, pgx, 0, p.inputSize(), "avgPool2d backward");

        CpuBuffer s = (CpuBuffer) cpu.allocate(DType.F32, 30);
        CpuBuffer se = CpuBuffer.allocate(DType.F32, 30);
        Softmax.softmaxReference(true, 3, 10, x, 0, se, 0);
        cpu.softmax(true, 3, 10, x, 0, s, 0);
        assertClose(se, s, 0, 30, 1e-6, 1e-6, "log-softmax");
        CpuBuffer m = (CpuBuffer) cpu.allocate(DType.F32, 4);
        CpuBuffer v = (CpuBuffer) cpu.allocate(DType.F32, 4);
        CpuBuffer me = CpuBuffer.allocate(DType.F32, 4);
        CpuBuffer ve = CpuBuffer.allocate(DType.F32, 4);
        Norm.channelMomentsReference(3, 4, 81, y, 0, me, 0, ve, 0);
        cpu.channelMoments(3, 4, 81, y, 0, m, 0, v, 0);
        assertClose(me, m, 0, 4, 1e-5, 1e-5, "channel mean");
        assertClose(ve, v, 0, 4, 1e-5, 1e-5, "channel variance");
        CpuBuffer rm = (CpuBuffer) cpu.allocate(DType.F32, 12);
        CpuBuffer rv = (CpuBuffer) cpu.allocate(DType.F32, 12);
        CpuBuffer rme = CpuBuffer.allocate(DType.F32, 12);
        CpuBuffer rve = CpuBuffer.allocate(DType.F32, 12);
        Norm.rowMomentsReference(12, 81, y, 0, rme, 0, rve, 0);
        cpu.rowMoments(12, 81, y, 0, rm, 0, rv, 0);
        assertClose(rme, rm, 0, 12, 1e-5, 1e-5, "row mean");
        assertClose(rve, rv, 0, 12, 1e-5, 1e-5, "row variance");

        CpuBuffer idx = (CpuBuffer) cpu.upload(new int[] {2, 0, 2});
        CpuBuffer sel = (CpuBuffer) cpu.allocate(DType.F32, 3 * 81);
        CpuBuffer sele = CpuBuffer.allocate(DType.F32, 3 * 81);
        Indexing.indexSelectReference(1, 12, 81, y, 0, idx, 0, 3, sele, 0);
        cpu.indexSelect(1, 12, 81, y, 0, idx, 0, 3, sel, 0);
        assertIdentical(sele, sel, 0, 3 * 81, "indexSelect");

        CpuBuffer u = (CpuBuffer) cpu.allocate(DType.F64, 10);
        CpuBuffer ue = CpuBuffer.allocate(DType.F64, 10);
        Rng.normalReference(5, 1, ue, 0, 10, 0, 1);
        cpu.normal(5, 1, u, 0, 10, 0, 1);
        assertIdentical(ue, u, 0, 10, "normal");
    }
}
