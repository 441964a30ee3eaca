package org.distill4j.kernels.cpu;

import static org.distill4j.kernels.cpu.Fixtures.assertClose;
import static org.distill4j.kernels.cpu.Fixtures.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.distill4j.kernels.DType;
import org.junit.jupiter.api.Test;

/** The normalisation moments, row standardisation and the per-channel affine against their references. */
class NormTest {
    @Test
    void momentsMatchReference() {
        Random rnd = new Random(42);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            double tol = dtype == DType.F32 ? 1e-6 : 1e-13;
            for (int[] rc : SoftmaxTest.ROWS_COLS) {
                int rows = rc[0];
                int len = rc[1];
                CpuBuffer x = Fixtures.random(dtype, rows * len + 3, rnd);
                // An offset mean, so the variance is small next to the square of the mean.
                for (int i = 0; i < x.length(); i++) {
                    Access.set(x, i, Access.get(x, i) + 50);
                }
                CpuBuffer m0 = CpuBuffer.allocate(dtype, rows);
                CpuBuffer v0 = CpuBuffer.allocate(dtype, rows);
                Norm.rowMomentsReference(rows, len, x, 3, m0, 0, v0, 0);
                for (boolean simd : ElementwiseTest.simdModes()) {
                    CpuBuffer m1 = CpuBuffer.allocate(dtype, rows);
                    CpuBuffer v1 = CpuBuffer.allocate(dtype, rows);
                    Norm.rowMoments(rows, len, x, 3, m1, 0, v1, 0, simd);
                    String what = "rowMoments " + dtype + " " + rows + "x" + len + " simd=" + simd;
                    assertClose(m0, m1, 0, rows, tol, 0, what + " mean");
                    assertClose(v0, v1, 0, rows, 100 * tol, 100 * tol, what + " variance");
                }
            }
            for (int[] nci : new int[][] {{1, 1, 1}, {256, 10, 1}, {7, 3, 5}, {4, 6, 28 * 28}, {3, 129, 17}, {2, 2, 70000}}) {
                int n = nci[0];
                int c = nci[1];
                int inner = nci[2];
                CpuBuffer x = Fixtures.random(dtype, n * c * inner + 1, rnd);
                CpuBuffer m0 = CpuBuffer.allocate(dtype, c + 1);
                CpuBuffer v0 = CpuBuffer.allocate(dtype, c + 2);
                Norm.channelMomentsReference(n, c, inner, x, 1, m0, 1, v0, 2);
                for (boolean simd : ElementwiseTest.simdModes()) {
                    CpuBuffer m1 = CpuBuffer.allocate(dtype, c + 1);
                    CpuBuffer v1 = CpuBuffer.allocate(dtype, c + 2);
                    Norm.channelMoments(n, c, inner, x, 1, m1, 1, v1, 2, simd);
                    String what = "channelMoments " + dtype + " [" + n + ", " + c + ", " + inner + "] simd=" + simd;
                    assertClose(m0, m1, 1, c, tol, tol, what + " mean");
                    assertClose(v0, v1, 2, c, 10 * tol, tol, what + " variance");
                }
            }
        }
    }

    /**
     * The CPU backend with the Backend SPI's own default methods (the composed ops) for the
     * methods whose names start with {@code prefix}, reached through a proxy.
     */
    private static org.distill4j.kernels.Backend composedDefaults(String prefix) {
        return (org.distill4j.kernels.Backend) java.lang.reflect.Proxy.newProxyInstance(NormTest.class.getClassLoader(),
                new Class<?>[]{org.distill4j.kernels.Backend.class}, (proxy, method, args) ->
                        method.getName().startsWith(prefix)
                                ? java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args)
                                : method.invoke(CpuBackend.get(), args));
    }

    /** The double-precision rule of row standardisation and its first-order backward. */
    private static double[][] standardizeByDefinition(int rows, int len, CpuBuffer x, CpuBuffer m, CpuBuffer r,
                                                       CpuBuffer g) {
        double[] y = new double[rows * len];
        double[] gx = new double[rows * len];
        for (int row = 0; row < rows; row++) {
            double sg = 0;
            double sgy = 0;
            for (int i = 0; i < len; i++) {
                int at = row * len + i;
                y[at] = (Access.get(x, at) - Access.get(m, row)) * Access.get(r, row);
                sg += Access.get(g, at);
                sgy += Access.get(g, at) * y[at];
            }
            for (int i = 0; i < len; i++) {
                int at = row * len + i;
                gx[at] = (Access.get(g, at) - sg / len - y[at] * sgy / len) * Access.get(r, row);
            }
        }
        return new double[][]{y, gx};
    }

    /**
     * Row standardisation and its fused backward (vector and plain loops, and the Backend SPI's
     * composed defaults, reached through a proxy) against the definition in double precision:
     * rows shorter than a vector, with a tail, and longer than one reduction block.
     */
    @Test
    void rowStandardizeAndItsBackwardMatchTheDefinition() {
        Random rnd = new Random(44);
        org.distill4j.kernels.Backend composed = composedDefaults("rowStandardize");
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            double tol = dtype == DType.F32 ? 2e-5 : 1e-12;
            for (int[] rc : new int[][] {{3, 5}, {2, 8}, {4, 13}, {3, 1024}, {2, 2500}}) {
                int rows = rc[0];
                int len = rc[1];
                CpuBuffer x = Fixtures.random(dtype, rows * len, rnd);
                CpuBuffer g = Fixtures.random(dtype, rows * len, rnd);
                CpuBuffer m = Fixtures.random(dtype, rows, rnd);
                CpuBuffer r = Fixtures.positive(dtype, rows, rnd);
                double[][] want = standardizeByDefinition(rows, len, x, m, r, g);
                CpuBuffer wantY = CpuBuffer.wrap(want[0]);
                CpuBuffer wantGx = CpuBuffer.wrap(want[1]);
                String what = dtype + " " + rows + "x" + len;
                for (boolean simd : ElementwiseTest.simdModes()) {
                    CpuBuffer y = CpuBuffer.allocate(dtype, rows * len);
                    Norm.rowStandardize(rows, len, x, 0, m, 0, r, 0, y, 0, simd);
                    assertClose(wantY, y, 0, rows * len, tol, tol, "standardize " + what + " simd=" + simd);
                    CpuBuffer gx = CpuBuffer.allocate(dtype, rows * len);
                    Norm.rowStandardizeBackward(rows, len, g, 0, y, 0, r, 0, gx, 0, simd);
                    assertClose(wantGx, gx, 0, rows * len, tol, tol, "backward " + what + " simd=" + simd);
                }
                CpuBuffer y = CpuBuffer.allocate(dtype, rows * len);
                composed.rowStandardize(rows, len, x, 0, m, 0, r, 0, y, 0);
                assertClose(wantY, y, 0, rows * len, tol, tol, "composed standardize " + what);
                CpuBuffer gx = CpuBuffer.allocate(dtype, rows * len);
                composed.rowStandardizeBackward(rows, len, g, 0, y, 0, r, 0, gx, 0);
                assertClose(wantGx, gx, 0, rows * len, tol, tol, "composed backward " + what);
            }
        }
    }

    /**
     * The per-channel affine (with and without the ReLU after it) and its one-pass backward give
     * the bits of the Backend SPI's composed defaults (broadcast multiply, add and ReLU;
     * MUL_STEP, multiplies and reductions), reached through a proxy: float and double, runs
     * shorter than a vector, with a tail, longer than a reduction block and than a reduction piece
     * ({@link Reduce#PIECE}), one and two channels, one image, offsets into every buffer, with and
     * without the parameters' gradients, on 1 and 2 threads. In double precision the values and
     * gradients also match their definition.
     */
    @Test
    void channelAffineAndItsBackwardGiveTheComposedBits() {
        Random rnd = new Random(45);
        org.distill4j.kernels.Backend composed = composedDefaults("channelAffine");
        CpuBackend fused = CpuBackend.get();
        int[][] shapes = {{2, 3, 784}, {3, 5, 196}, {1, 4, 49}, {4, 2, 7}, {2, 3, 16}, {2, 3, 1024}, {2, 3, 2053},
            {1, 2, 70001}, {2, 2, 2}, {3, 1, 30}, {5, 4, 1}, {256, 10, 1}};
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (int[] nci : shapes) {
                for (boolean relu : new boolean[] {false, true}) {
                    int n = nci[0];
                    int c = nci[1];
                    int inner = nci[2];
                    int size = n * c * inner;
                    CpuBuffer x = Fixtures.random(dtype, size + 1, rnd);
                    CpuBuffer g = Fixtures.random(dtype, size + 2, rnd);
                    CpuBuffer gamma = Fixtures.random(dtype, c + 3, rnd);
                    CpuBuffer beta = Fixtures.random(dtype, c + 1, rnd);
                    String what = dtype + " [" + n + ", " + c + ", " + inner + "] relu=" + relu;
                    CpuBuffer wantY = CpuBuffer.allocate(dtype, size + 2);
                    composed.channelAffine(n, c, inner, x, 1, gamma, 3, beta, 1, relu, wantY, 2);
                    CpuBuffer mask = relu ? wantY : null;
                    CpuBuffer wantGx = CpuBuffer.allocate(dtype, size + 1);
                    CpuBuffer wantGg = CpuBuffer.allocate(dtype, c + 2);
                    CpuBuffer wantGb = CpuBuffer.allocate(dtype, c + 1);
                    composed.channelAffineBackward(n, c, inner, g, 2, x, 1, gamma, 3, mask, 2, wantGx, 1, wantGg, 2, wantGb, 1);
                    for (int threads = 1; threads <= 2; threads++) {
                        String on = what + " on " + threads + " threads";
                        Fixtures.withThreads(threads, () -> {
                            CpuBuffer y = CpuBuffer.allocate(dtype, size + 2);
                            fused.channelAffine(n, c, inner, x, 1, gamma, 3, beta, 1, relu, y, 2);
                            assertIdentical(wantY, y, 2, size, "forward " + on);
                            CpuBuffer gx = CpuBuffer.allocate(dtype, size + 1);
                            CpuBuffer gg = CpuBuffer.allocate(dtype, c + 2);
                            CpuBuffer gb = CpuBuffer.allocate(dtype, c + 1);
                            fused.channelAffineBackward(n, c, inner, g, 2, x, 1, gamma, 3, mask, 2, gx, 1, gg, 2, gb, 1);
                            assertIdentical(wantGx, gx, 1, size, "input gradient " + on);
                            assertIdentical(wantGg, gg, 2, c, "gamma gradient " + on);
                            assertIdentical(wantGb, gb, 1, c, "beta gradient " + on);
                            CpuBuffer gxOnly = CpuBuffer.allocate(dtype, size + 1);
                            fused.channelAffineBackward(n, c, inner, g, 2, x, 1, gamma, 3, mask, 2, gxOnly, 1, null, 0, null, 0);
                            assertIdentical(wantGx, gxOnly, 1, size, "input gradient alone " + on);
                        });
                    }
                    for (boolean simd : ElementwiseTest.simdModes()) {
                        CpuBuffer y = CpuBuffer.allocate(dtype, size + 2);
                        Norm.channelAffine(n, c, inner, x, 1, gamma, 3, beta, 1, relu, y, 2, simd);
                        assertIdentical(wantY, y, 2, size, "forward " + what + " simd=" + simd);
                    }
                    if (dtype == DType.F64) {
                        for (int ch = 0; ch < c; ch++) {
                            double sgx = 0;
                            double sg = 0;
                            for (int b = 0; b < n; b++) {
                                for (int i = 0; i < inner; i++) {
                                    int at = (b * c + ch) * inner + i;
                                    double pre = Access.get(x, 1 + at) * Access.get(gamma, 3 + ch) + Access.get(beta, 1 + ch);
                                    double gi = relu && !(pre > 0) ? 0 * Access.get(g, 2 + at) : Access.get(g, 2 + at);
                                    sgx += gi * Access.get(x, 1 + at);
                                    sg += gi;
                                    assertEquals(gi * Access.get(gamma, 3 + ch), Access.get(wantGx, 1 + at));
                                    assertEquals(relu && !(pre > 0) ? 0.0 : pre, Access.get(wantY, 2 + at));
                                }
                            }
                            assertEquals(sgx, Access.get(wantGg, 2 + ch), 1e-12 * n * inner, "gamma gradient " + what);
                            assertEquals(sg, Access.get(wantGb, 1 + ch), 1e-12 * n * inner, "beta gradient " + what);
                        }
                    }
                }
            }
        }
    }

    /**
     * Instance norm's one-pass forward (standardise, then the per-channel affine, with the ReLU and
     * without) gives the bits of the SPI default's two calls, float and double, on the shapes of
     * the affine's test, offsets into every buffer, on 1 and 2 threads.
     */
    @Test
    void standardizeAffineGivesTheBitsOfItsTwoSteps() {
        Random rnd = new Random(46);
        org.distill4j.kernels.Backend composed = composedDefaults("standardizeAffine");
        int[][] shapes = {{2, 3, 784}, {3, 5, 196}, {1, 4, 49}, {4, 2, 7}, {2, 3, 16}, {2, 3, 1024}, {2, 3, 2053},
            {2, 2, 2}, {3, 1, 30}, {5, 4, 1}};
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (int[] nci : shapes) {
                for (boolean relu : new boolean[] {false, true}) {
                    int n = nci[0];
                    int c = nci[1];
                    int inner = nci[2];
                    int size = n * c * inner;
                    CpuBuffer x = Fixtures.random(dtype, size + 1, rnd);
                    CpuBuffer mean = Fixtures.random(dtype, n * c + 2, rnd);
                    CpuBuffer rstd = Fixtures.positive(dtype, n * c + 1, rnd);
                    CpuBuffer gamma = Fixtures.random(dtype, c + 3, rnd);
                    CpuBuffer beta = Fixtures.random(dtype, c + 1, rnd);
                    CpuBuffer want = CpuBuffer.allocate(dtype, size + 2);
                    composed.standardizeAffine(n, c, inner, x, 1, mean, 2, rstd, 1, gamma, 3, beta, 1, relu, want, 2);
                    String what = dtype + " [" + n + ", " + c + ", " + inner + "] relu=" + relu;
                    for (int threads = 1; threads <= 2; threads++) {
                        String on = what + " on " + threads + " threads";
                        Fixtures.withThreads(threads, () -> {
                            CpuBuffer y = CpuBuffer.allocate(dtype, size + 2);
                            CpuBackend.get().standardizeAffine(n, c, inner, x, 1, mean, 2, rstd, 1, gamma, 3, beta, 1, relu,
                                    y, 2);
                            assertIdentical(want, y, 2, size, on);
                        });
                    }
                    for (int r = 0; r < n * c; r++) {
                        int ch = r % c;
                        for (int i = 0; i < inner; i += Math.max(1, inner / 5)) {
                            double xhat = (Access.get(x, 1 + r * inner + i) - Access.get(mean, 2 + r)) * Access.get(rstd, 1 + r);
                            double v = xhat * Access.get(gamma, 3 + ch) + Access.get(beta, 1 + ch);
                            double expected = relu && !(v > 0) ? 0 : v;
                            assertEquals(expected, Access.get(want, 2 + r * inner + i), 1e-5 * (1 + Math.abs(expected)), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void handComputedMoments() {
        // Rows [1, 2, 3, 4] and [10, 10, 10, 10]: means 2.5 and 10, variances 1.25 and 0.
        float[] x = {1, 2, 3, 4, 10, 10, 10, 10};
        for (boolean simd : ElementwiseTest.simdModes()) {
            CpuBuffer mean = CpuBuffer.allocate(DType.F32, 2);
            CpuBuffer var = CpuBuffer.allocate(DType.F32, 2);
            Norm.rowMoments(2, 4, CpuBuffer.wrap(x), 0, mean, 0, var, 0, simd);
            assertEquals(2.5f, mean.f[0]);
            assertEquals(1.25f, var.f[0]);
            assertEquals(10f, mean.f[1]);
            assertEquals(0f, var.f[1]);
        }
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalMoments() {
        Random rnd = new Random(43);
        CpuBuffer x = Fixtures.random(DType.F32, 64 * 6 * 784, rnd);
        CpuBuffer[] out = new CpuBuffer[4];
        for (int t = 0; t < 2; t++) {
            int i = t;
            out[2 * i] = CpuBuffer.allocate(DType.F32, 6);
            out[2 * i + 1] = CpuBuffer.allocate(DType.F32, 6);
            Fixtures.withThreads(i + 1, () -> Norm.channelMoments(64, 6, 784, x, 0, out[2 * i], 0, out[2 * i + 1], 0,
                    VectorSupport.AVAILABLE));
        }
        assertIdentical(out[0], out[2], 0, 6, "channel means on 1 vs 2 threads");
        assertIdentical(out[1], out[3], 0, 6, "channel variances on 1 vs 2 threads");
    }
}
