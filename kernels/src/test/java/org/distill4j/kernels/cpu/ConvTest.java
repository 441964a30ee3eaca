package org.distill4j.kernels.cpu;

import static org.distill4j.kernels.cpu.Fixtures.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.distill4j.kernels.ConvGeometry;
import org.distill4j.kernels.DType;
import org.junit.jupiter.api.Test;

/** Convolution forward and backward: im2col + GEMM against the loop-by-loop references. */
class ConvTest {
    static final ConvGeometry[] GEOMETRIES = {
        new ConvGeometry(2, 3, 7, 7, 4, 3, 3, 1, 1, 1, 1),     // 3x3 same padding
        new ConvGeometry(3, 2, 9, 8, 5, 3, 3, 2, 2, 1, 1),     // stride 2
        new ConvGeometry(2, 3, 11, 13, 2, 2, 5, 1, 2, 0, 2),   // non-square kernel, mixed stride and padding
        new ConvGeometry(2, 5, 6, 7, 3, 1, 1, 1, 1, 0, 0),     // 1x1 stride 1: no unfolding
        new ConvGeometry(2, 4, 6, 6, 3, 1, 1, 2, 2, 0, 0),     // 1x1 stride 2
        new ConvGeometry(1, 1, 5, 5, 1, 5, 5, 1, 1, 0, 0),     // kernel as large as the input
        new ConvGeometry(3, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2),   // LeNet conv1
        new ConvGeometry(2, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0),  // LeNet conv2
        new ConvGeometry(17, 2, 4, 4, 3, 3, 3, 1, 1, 1, 1),    // more images than weight-gradient groups
        new ConvGeometry(1, 2, 3, 3, 2, 3, 2, 3, 1, 2, 1),     // padding wider than the stride
        new ConvGeometry(3, 2, 5, 6, 16, 3, 3, 1, 1, 1, 1),    // 16 filters, padded, 30 outputs: filter-vectorised forward
        new ConvGeometry(2, 3, 7, 7, 32, 3, 3, 1, 1, 0, 0),    // 32 filters on 25 outputs: filter-vectorised forward
    };

    /** |expected - actual| within {@code tol} times the same computation on absolute values. */
    static void assertCloseScaled(CpuBuffer expected, CpuBuffer actual, CpuBuffer magnitude, int offset, int n,
                                  double tol, String what) {
        for (int i = 0; i < n; i++) {
            double e = Access.get(expected, offset + i);
            double a = Access.get(actual, offset + i);
            if (!(Math.abs(a - e) <= tol * Access.get(magnitude, offset + i) + 1e-300)) {
                fail(what + ": element " + i + " expected " + e + " but was " + a);
            }
        }
    }

    static CpuBuffer abs(CpuBuffer b) {
        CpuBuffer out = CpuBuffer.allocate(DType.F64, b.length());
        for (int i = 0; i < b.length(); i++) {
            Access.set(out, i, Math.abs(Access.get(b, i)));
        }
        return out;
    }

    /** The paths to check: im2col + GEMM always, the direct kernel where it applies. */
    static String[] paths(ConvGeometry g, DType dtype) {
        boolean direct = VectorSupport.AVAILABLE && dtype == DType.F32 && DirectConv.supports(g);
        return direct ? new String[] {"gemm", "direct"} : new String[] {"gemm"};
    }

    static void forward(String path, ConvGeometry g, CpuBuffer x, int xo, CpuBuffer w, int wo, CpuBuffer y, int yo) {
        if (path.equals("direct")) {
            DirectConv.forward(g, x.f, xo, w.f, wo, y.f, yo);
        } else {
            Conv.forwardGemm(g, x, xo, w, wo, y, yo);
        }
    }

    static void backwardInput(String path, ConvGeometry g, CpuBuffer gy, int go, CpuBuffer w, int wo, CpuBuffer gx, int xo) {
        if (path.equals("direct")) {
            DirectConv.backwardInput(g, gy.f, go, w.f, wo, gx.f, xo);
        } else {
            Conv.backwardInputGemm(g, gy, go, w, wo, gx, xo);
        }
    }

    static void backwardWeight(String path, ConvGeometry g, CpuBuffer x, int xo, CpuBuffer gy, int go, CpuBuffer gw, int wo) {
        if (path.equals("direct")) {
            int perGroup = (g.n() + 15) / 16;
            DirectConv.backwardWeight(g, x.f, xo, gy.f, go, gw.f, wo, (g.n() + perGroup - 1) / perGroup, perGroup);
        } else {
            Conv.backwardWeightGemm(g, x, xo, gy, go, gw, wo);
        }
    }

    @Test
    void forwardAndBackwardMatchReferences() {
        Random rnd = new Random(21);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            double tol = dtype == DType.F32 ? 1e-5 : 1e-13;
            for (ConvGeometry g : GEOMETRIES) {
                CpuBuffer x = Fixtures.random(dtype, g.inputSize() + 3, rnd);
                CpuBuffer w = Fixtures.random(dtype, g.weightSize() + 1, rnd);
                CpuBuffer gy = Fixtures.random(dtype, g.outputSize() + 2, rnd);
                CpuBuffer y0 = CpuBuffer.allocate(dtype, g.outputSize() + 4);
                CpuBuffer ym = CpuBuffer.allocate(DType.F64, g.outputSize() + 4);
                Conv.conv2dReference(g, x, 3, w, 1, y0, 4);
                Conv.conv2dReference(g, abs(x), 3, abs(w), 1, ym, 4);
                CpuBuffer gx0 = CpuBuffer.allocate(dtype, g.inputSize() + 1);
                CpuBuffer gxm = CpuBuffer.allocate(DType.F64, g.inputSize() + 1);
                Conv.backwardInputReference(g, gy, 2, w, 1, gx0, 1);
                Conv.backwardInputReference(g, abs(gy), 2, abs(w), 1, gxm, 1);
                CpuBuffer gw0 = CpuBuffer.allocate(dtype, g.weightSize() + 5);
                CpuBuffer gwm = CpuBuffer.allocate(DType.F64, g.weightSize() + 5);
                Conv.backwardWeightReference(g, x, 3, gy, 2, gw0, 5);
                Conv.backwardWeightReference(g, abs(x), 3, abs(gy), 2, gwm, 5);
                for (String path : paths(g, dtype)) {
                    String what = path + " " + dtype + " " + g;
                    CpuBuffer y1 = CpuBuffer.allocate(dtype, g.outputSize() + 4);
                    forward(path, g, x, 3, w, 1, y1, 4);
                    assertCloseScaled(y0, y1, ym, 4, g.outputSize(), tol, "forward " + what);
                    CpuBuffer gx1 = CpuBuffer.allocate(dtype, g.inputSize() + 1);
                    if (gx1.f != null) {
                        java.util.Arrays.fill(gx1.f, Float.NaN); // must be overwritten, not accumulated into
                    }
                    backwardInput(path, g, gy, 2, w, 1, gx1, 1);
                    assertCloseScaled(gx0, gx1, gxm, 1, g.inputSize(), tol, "backward input " + what);
                    CpuBuffer gw1 = CpuBuffer.allocate(dtype, g.weightSize() + 5);
                    backwardWeight(path, g, x, 3, gy, 2, gw1, 5);
                    assertCloseScaled(gw0, gw1, gwm, 5, g.weightSize(), tol, "backward weight " + what);
                }
            }
        }
    }

    /**
     * The bias added while the outputs are written (direct and GEMM paths, and the mixed-dtype
     * reference) gives, bit for bit, the convolution followed by a separate bias pass.
     */
    @Test
    void fusedBiasEqualsASeparateAdd() {
        Random rnd = new Random(22);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (ConvGeometry g : GEOMETRIES) {
                CpuBuffer x = Fixtures.random(dtype, g.inputSize() + 3, rnd);
                CpuBuffer w = Fixtures.random(dtype, g.weightSize() + 1, rnd);
                CpuBuffer b = Fixtures.random(dtype, g.k() + 2, rnd);
                for (boolean simd : new boolean[] {false, VectorSupport.AVAILABLE}) {
                    String what = dtype + " " + g + " simd=" + simd;
                    CpuBuffer expected = CpuBuffer.allocate(dtype, g.outputSize() + 4);
                    Conv.conv2d(g, x, 3, w, 1, expected, 4, simd);
                    int plane = g.outH() * g.outW();
                    for (int i = 0; i < g.outputSize(); i++) {
                        int k = (i / plane) % g.k();
                        double sum = dtype == DType.F32
                                ? (double) (expected.f[4 + i] + b.f[2 + k])
                                : expected.d[4 + i] + b.d[2 + k];
                        Access.set(expected, 4 + i, sum);
                    }
                    CpuBuffer actual = CpuBuffer.allocate(dtype, g.outputSize() + 4);
                    Conv.conv2d(g, x, 3, w, 1, b, 2, actual, 4, simd);
                    assertIdentical(expected, actual, 4, g.outputSize(), "conv2d with bias " + what);
                }
                // An output of the other dtype takes the reference loops, then the bias pass.
                DType other = dtype == DType.F32 ? DType.F64 : DType.F32;
                CpuBuffer mixed = CpuBuffer.allocate(other, g.outputSize());
                CpuBuffer bo = Fixtures.random(other, g.k(), rnd);
                Conv.conv2d(g, x, 3, w, 1, bo, 0, mixed, 0, false);
                CpuBuffer ref = CpuBuffer.allocate(other, g.outputSize());
                Conv.conv2dReference(g, x, 3, w, 1, ref, 0);
                for (int i = 0; i < g.outputSize(); i++) {
                    Access.set(ref, i, Access.get(ref, i) + Access.get(bo, (i / (g.outH() * g.outW())) % g.k()));
                }
                assertIdentical(ref, mixed, 0, g.outputSize(), "conv2d with bias into " + other + ", " + dtype + " " + g);
            }
        }
    }

    @Test
    void handComputedThreeByThree() {
        // x = 1..9 in a 3x3 image, w = [[1, 0], [0, -1]]: y[p, q] = x[p, q] - x[p+1, q+1] = -4 everywhere.
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] w = {1, 0, 0, -1};
        ConvGeometry g = new ConvGeometry(1, 1, 3, 3, 1, 2, 2, 1, 1, 0, 0);
        CpuBuffer y = CpuBuffer.allocate(DType.F32, 4);
        Conv.conv2d(g, CpuBuffer.wrap(x), 0, CpuBuffer.wrap(w), 0, y, 0, VectorSupport.AVAILABLE);
        assertArrayEquals(new float[] {-4, -4, -4, -4}, y.f);
        // With padding 1 and a 3x3 box of ones, the centre sums all nine (45), a corner its 2x2 block.
        float[] box = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        ConvGeometry same = new ConvGeometry(1, 1, 3, 3, 1, 3, 3, 1, 1, 1, 1);
        CpuBuffer ys = CpuBuffer.allocate(DType.F32, 9);
        Conv.conv2d(same, CpuBuffer.wrap(x), 0, CpuBuffer.wrap(box), 0, ys, 0, VectorSupport.AVAILABLE);
        assertArrayEquals(new float[] {12, 21, 16, 27, 45, 33, 24, 39, 28}, ys.f);
        // Backward input of the box with all-one gradients counts how many windows see each pixel.
        float[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        CpuBuffer gx = CpuBuffer.allocate(DType.F32, 9);
        Conv.backwardInput(same, CpuBuffer.wrap(ones), 0, CpuBuffer.wrap(box), 0, gx, 0, VectorSupport.AVAILABLE);
        assertArrayEquals(new float[] {4, 6, 4, 6, 9, 6, 4, 6, 4}, gx.f);
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalResults() {
        Random rnd = new Random(22);
        ConvGeometry g = new ConvGeometry(40, 3, 12, 12, 8, 3, 3, 1, 1, 1, 1);
        CpuBuffer x = Fixtures.random(DType.F32, g.inputSize(), rnd);
        CpuBuffer w = Fixtures.random(DType.F32, g.weightSize(), rnd);
        CpuBuffer gy = Fixtures.random(DType.F32, g.outputSize(), rnd);
        for (String path : paths(g, DType.F32)) {
            CpuBuffer[] y = new CpuBuffer[2];
            CpuBuffer[] gx = new CpuBuffer[2];
            CpuBuffer[] gw = new CpuBuffer[2];
            for (int t = 0; t < 2; t++) {
                int i = t;
                y[i] = CpuBuffer.allocate(DType.F32, g.outputSize());
                gx[i] = CpuBuffer.allocate(DType.F32, g.inputSize());
                gw[i] = CpuBuffer.allocate(DType.F32, g.weightSize());
                Fixtures.withThreads(i + 1, () -> {
                    forward(path, g, x, 0, w, 0, y[i], 0);
                    backwardInput(path, g, gy, 0, w, 0, gx[i], 0);
                    backwardWeight(path, g, x, 0, gy, 0, gw[i], 0);
                });
            }
            assertIdentical(y[0], y[1], 0, g.outputSize(), path + " forward on 1 vs 2 threads");
            assertIdentical(gx[0], gx[1], 0, g.inputSize(), path + " backward input on 1 vs 2 threads");
            assertIdentical(gw[0], gw[1], 0, g.weightSize(), path + " backward weight on 1 vs 2 threads");
        }
    }

    /**
     * The forward pass vectorised over filters ({@link VectorConv#forwardFilters}) gives, bit for
     * bit, the outputs of the one vectorised over positions on the padded grid ({@link VectorConv#forward}
     * and {@link VectorConv#crop}), with and without bias, on the shapes it serves.
     */
    @Test
    void filterVectorisedForwardEqualsTheGrid() {
        if (!VectorSupport.AVAILABLE) {
            return;
        }
        Random rnd = new Random(23);
        int[][] shapes = { // c, h, w, k, r, s, padH, padW
            {6, 14, 14, 16, 5, 5, 0, 0}, {2, 5, 6, 16, 3, 3, 1, 1}, {3, 7, 7, 32, 3, 3, 0, 0}, {1, 7, 9, 16, 2, 4, 1, 2}};
        int checked = 0;
        for (int[] sh : shapes) {
            int c = sh[0], h = sh[1], w = sh[2], k = sh[3], r = sh[4], s = sh[5], padH = sh[6], padW = sh[7];
            int hp = h + 2 * padH;
            int wp = w + padW;
            int oh = hp - r + 1;
            int ow = w + 2 * padW - s + 1;
            if (!VectorConv.filterVectorised(k, oh, ow)) {
                continue;
            }
            checked++;
            float[] x = Fixtures.random(DType.F32, c * h * w, rnd).f;
            float[] wt = Fixtures.random(DType.F32, k * c * r * s + 3, rnd).f;
            float[] b = Fixtures.random(DType.F32, k + 1, rnd).f;
            int plane = VectorConv.paddedPlane(hp, wp, s);
            int grid = VectorConv.gridLength(oh, wp);
            int[] tap = VectorConv.tapOffsets(c, r, s, plane, wp);
            float[] xp = new float[c * plane];
            VectorConv.pad(x, 0, c, h, w, padH, padW, wp, plane, xp);
            float[] yp = new float[k * grid];
            VectorConv.forward(xp, tap, wt, 3, k, yp, grid);
            float[] wT = new float[k * tap.length];
            VectorConv.transposeWeights(wt, 3, k, tap.length, wT);
            float[] yt = new float[k * oh * ow];
            VectorConv.forwardFilters(xp, tap, wT, k, VectorConv.positionOffsets(oh, ow, wp), ow, yt);
            for (float[] bias : new float[][] {null, b}) {
                float[] expected = new float[k * oh * ow];
                float[] actual = new float[k * oh * ow];
                java.util.Arrays.fill(actual, Float.NaN);
                for (int kk = 0; kk < k; kk++) {
                    VectorConv.crop(yp, kk * grid, wp, oh, ow, bias, 1 + kk, expected, kk * oh * ow);
                }
                VectorConv.untranspose(yt, k, oh * ow, bias, 1, actual, 0);
                assertIdentical(CpuBuffer.wrap(expected), CpuBuffer.wrap(actual), 0, expected.length,
                        "filter-vectorised forward, bias " + (bias != null) + ", shape " + java.util.Arrays.toString(sh));
            }
        }
        if (checked == 0) {
            fail("no shape took the filter-vectorised forward");
        }
    }
}
