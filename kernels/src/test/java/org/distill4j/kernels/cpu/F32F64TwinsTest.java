package org.distill4j.kernels.cpu;

import static org.distill4j.kernels.cpu.TwinChecks.LENGTHS;
import static org.distill4j.kernels.cpu.TwinChecks.assertTwin;
import static org.distill4j.kernels.cpu.TwinChecks.assertWithin;
import static org.distill4j.kernels.cpu.TwinChecks.dyadic;
import static org.distill4j.kernels.cpu.TwinChecks.gaussian;
import static org.distill4j.kernels.cpu.TwinChecks.mixed;
import static org.distill4j.kernels.cpu.TwinChecks.sentinels;
import static org.distill4j.kernels.cpu.TwinChecks.widen;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.ReduceOp;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.kernels.View;
import org.distill4j.kernels.cpu.Fixtures.Layout;
import org.junit.jupiter.api.Test;

/**
 * The hand-written F32 twins of the F64 elementwise, reduction and normalisation kernels compute
 * the same thing, on every path. Each F32 kernel runs on floats and its twin on the same values
 * widened to double; the F32 result must equal the F64 result rounded to float:
 * <ul>
 *   <li>{@link VectorUnaryF32} / {@link VectorUnaryF64}, and the float / double overloads of
 *       {@link PlainElementwise#unary}: every {@link UnaryOp};</li>
 *   <li>{@link VectorBinaryF32} / {@link VectorBinaryF64} ({@code binary} and {@code where}), and
 *       {@link PlainElementwise#binary}: every {@link BinaryOp}, and where;</li>
 *   <li>{@link VectorReduceF32} / {@link VectorReduceF64}: sum, max, min, deviations; the F32-only
 *       {@code dot} against a sum of products in double; and {@link Reduce}'s float and double
 *       plain loops and {@link StridedReduce};</li>
 *   <li>{@link VectorNormF32} (which has no F64 twin) against {@link Norm}'s F64 path, and the
 *       moments of {@link Norm} in F32 and F64.</li>
 * </ul>
 * GEMM, packing, im2col and the weight-gradient fold are in {@link GemmF32F64TwinsTest}.
 *
 * <p>Paths: the Vector API loops called directly on every length in {@link TwinChecks#LENGTHS}
 * (0, 1, ..., 65, around 1024, 70 001), with inputs contiguous or repeated (stride 1 or 0) and
 * offsets that are not vector-aligned; then the public kernels over every {@link Layout}
 * (contiguous, offset, transposed, strided, sliced, broadcast) with the Vector API on and off.
 * "Off" runs the same plain-Java loops that a JVM without {@code jdk.incubator.vector} runs
 * ({@link GemmWithoutVectorModuleTest} shows that JVM picks them).
 *
 * <p>Tolerances, in floats between the two results (ulp):
 * <ul>
 *   <li>0 (same bits) for NEG, SQRT, RECIPROCAL, SQUARE, ABS, SIGN, RELU, STEP, LEAKY_RELU,
 *       LEAKY_STEP, CLAMP, INSIDE, every binary op but POW, where, max, min: each is one
 *       correctly rounded operation (or none), and rounding a double result of float inputs to
 *       float gives the float result for these (53 >= 2 * 24 + 2);</li>
 *   <li>1 for AFFINE: the float path rounds {@code p * x + q} once, the double path rounds it to
 *       double and the test again to float;</li>
 *   <li>2 for RSQRT, two roundings in float (sqrt, then divide);</li>
 *   <li>2 for EXP, LOG, TANH, SIGMOID, SOFTPLUS and POW: a transcendental function is faithful,
 *       not correctly rounded (today both twins call {@link Math} in double, so they agree to
 *       the bit, but the contract is the few ulp a float implementation may differ by);</li>
 *   <li>sums on inputs that are multiples of 1/4 ({@link TwinChecks#dyadic}): 0, since every
 *       partial sum is exact in float; sums of Gaussian inputs: {@link #SUM_RTOL} times the sum
 *       of magnitudes, above the worst case of the longest chain of float additions in
 *       {@link VectorReduceF32} (under 140 roundings of 2^-24 each);</li>
 *   <li>row standardisation: 3 ulp (a float subtract and multiply against one rounding); its
 *       backward and the variances: {@link #SUM_RTOL} relative to the magnitudes involved.</li>
 * </ul>
 */
class F32F64TwinsTest {
    /** 168 float rounding errors (2^-24): above the longest float accumulation chain of any reduction. */
    static final double SUM_RTOL = 1e-5;
    /** Two settings of the op parameters p and q, both exact in float. */
    private static final float[][] PARAMS = {{0.25f, 1.5f}, {-0.75f, 0.5f}};
    /** Input and output offsets: aligned, and off by a few elements. */
    private static final int[][] OFFSETS = {{0, 0}, {3, 1}};

    static int ulps(UnaryOp op) {
        return switch (op) {
            case AFFINE -> 1;
            case RSQRT, EXP, LOG, TANH, SIGMOID, SOFTPLUS, POW -> 2;
            default -> 0;
        };
    }

    static int ulps(BinaryOp op) {
        return op == BinaryOp.POW ? 2 : 0;
    }

    private static void assumeVectorApi() {
        assumeTrue(VectorSupport.AVAILABLE, "the Vector API loops need jdk.incubator.vector");
    }

    // ---- elementwise --------------------------------------------------------------------------

    @Test
    void vectorUnaryLoopsAreTwins() {
        assumeVectorApi();
        Random rnd = new Random(1);
        for (UnaryOp op : UnaryOp.values()) {
            if (Elementwise.scalarOnly(op)) {
                continue; // no vector form: taken through Elementwise.unary below
            }
            for (float[] pq : PARAMS) {
                for (int len : LENGTHS) {
                    for (int xs = 0; xs <= 1; xs++) {
                        for (int[] off : OFFSETS) {
                            float[] x = mixed(rnd, off[0] + len + 1);
                            float[] y = sentinels(off[1] + len + 2);
                            double[] yd = widen(y);
                            VectorUnaryF32.unary(op, pq[0], pq[1], x, off[0], xs, y, off[1], len);
                            VectorUnaryF64.unary(op, pq[0], pq[1], widen(x), off[0], xs, yd, off[1], len);
                            assertTwin(y, yd, ulps(op), op + " p=" + pq[0] + " len=" + len + " xs=" + xs
                                    + " offsets=" + Arrays.toString(off));
                        }
                    }
                }
            }
        }
    }

    @Test
    void vectorBinaryLoopsAreTwins() {
        assumeVectorApi();
        Random rnd = new Random(2);
        for (BinaryOp op : BinaryOp.values()) {
            if (op == BinaryOp.POW) {
                continue; // no vector form: taken through Elementwise.binary below
            }
            for (int len : LENGTHS) {
                for (int strides = 0; strides < 4; strides++) {
                    int as = strides & 1;
                    int bs = strides >> 1;
                    for (int[] off : OFFSETS) {
                        float[] a = mixed(rnd, off[0] + len + 2);
                        float[] b = mixed(rnd, off[0] + len + 2);
                        for (int i = 0; i < b.length; i += 3) {
                            b[i] = a[i]; // ties, for the comparisons
                        }
                        float[] y = sentinels(off[1] + len + 2);
                        double[] yd = widen(y);
                        VectorBinaryF32.binary(op, a, off[0], as, b, off[0] + 1 - bs, bs, y, off[1], len);
                        VectorBinaryF64.binary(op, widen(a), off[0], as, widen(b), off[0] + 1 - bs, bs, yd, off[1], len);
                        assertTwin(y, yd, 0, op + " len=" + len + " strides=" + as + "," + bs
                                + " offsets=" + Arrays.toString(off));
                    }
                }
            }
        }
    }

    @Test
    void vectorWhereLoopsAreTwins() {
        assumeVectorApi();
        Random rnd = new Random(3);
        float[] conditions = {0f, -0f, 1f, -2.5f, Float.NaN};
        for (int len : LENGTHS) {
            for (int strides = 0; strides < 8; strides++) {
                int cs = strides & 1;
                int as = (strides >> 1) & 1;
                int bs = strides >> 2;
                for (int[] off : OFFSETS) {
                    float[] c = new float[off[0] + len + 1];
                    for (int i = 0; i < c.length; i++) {
                        c[i] = conditions[rnd.nextInt(conditions.length)];
                    }
                    float[] a = mixed(rnd, off[0] + len + 1);
                    float[] b = mixed(rnd, off[0] + len + 1);
                    float[] y = sentinels(off[1] + len + 2);
                    double[] yd = widen(y);
                    VectorBinaryF32.where(c, off[0], cs, a, off[0], as, b, off[0], bs, y, off[1], len);
                    VectorBinaryF64.where(widen(c), off[0], cs, widen(a), off[0], as, widen(b), off[0], bs, yd,
                            off[1], len);
                    assertTwin(y, yd, 0, "where len=" + len + " strides=" + cs + "," + as + "," + bs
                            + " offsets=" + Arrays.toString(off));
                }
            }
        }
    }

    /** An F32 view of {@code shape} in {@code layout}, with special values mixed in. */
    private static View mixedView(int[] shape, Layout layout, Random rnd) {
        View v = Fixtures.view(DType.F32, shape, layout, rnd, false);
        float[] f = Access.cpu(v.buffer()).f;
        System.arraycopy(mixed(rnd, f.length), 0, f, 0, f.length);
        return v;
    }

    /** The same view over the F32 buffer's values widened to double. */
    private static View widened(View v) {
        return new View(TwinChecks.widen(Access.cpu(v.buffer())), v.offset(), v.strides());
    }

    @Test
    void elementwiseKernelsAreTwinsOnEveryLayout() {
        Random rnd = new Random(4);
        for (int[] shape : ElementwiseTest.SHAPES) {
            int n = Fixtures.size(shape);
            for (Layout layout : Layout.values()) {
                for (boolean simd : ElementwiseTest.simdModes()) {
                    String where = Arrays.toString(shape) + " " + layout + " simd=" + simd;
                    View x = mixedView(shape, layout, rnd);
                    for (UnaryOp op : UnaryOp.values()) {
                        for (float[] pq : PARAMS) {
                            CpuBuffer y = CpuBuffer.wrap(sentinels(n + 5));
                            CpuBuffer yd = TwinChecks.widen(y);
                            Elementwise.unary(op, pq[0], pq[1], shape, x, y, 3, simd);
                            Elementwise.unary(op, pq[0], pq[1], shape, widened(x), yd, 3, simd);
                            assertTwin(y.f, yd.d, ulps(op), op + " p=" + pq[0] + " " + where);
                        }
                    }
                    // b in the same layout, and broadcast against a.
                    for (Layout bLayout : new Layout[] {layout, Layout.BROADCAST}) {
                        View b = mixedView(shape, bLayout, rnd);
                        for (BinaryOp op : BinaryOp.values()) {
                            CpuBuffer y = CpuBuffer.wrap(sentinels(n + 5));
                            CpuBuffer yd = TwinChecks.widen(y);
                            Elementwise.binary(op, shape, x, b, y, 3, simd);
                            Elementwise.binary(op, shape, widened(x), widened(b), yd, 3, simd);
                            assertTwin(y.f, yd.d, ulps(op), op + " " + where + " b " + bLayout);
                        }
                        View c = mixedView(shape, bLayout, rnd);
                        CpuBuffer y = CpuBuffer.wrap(sentinels(n + 5));
                        CpuBuffer yd = TwinChecks.widen(y);
                        Elementwise.where(shape, c, x, b, y, 3, simd);
                        Elementwise.where(shape, widened(c), widened(x), widened(b), yd, 3, simd);
                        assertTwin(y.f, yd.d, 0, "where " + where + " b " + bLayout);
                    }
                }
            }
        }
    }

    // ---- reductions ---------------------------------------------------------------------------

    private static double sumOfMagnitudes(float[] x, int off, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += Math.abs(x[off + i]);
        }
        return s;
    }

    @Test
    void vectorReductionsAreTwins() {
        assumeVectorApi();
        Random rnd = new Random(5);
        for (int len : LENGTHS) {
            for (int off : new int[] {0, 3}) {
                String what = "len=" + len + " offset=" + off;
                // Exact data: the sums must agree to the bit; Gaussian data: within the rounding bound.
                float[] x = dyadic(rnd, off + len);
                float[] y = dyadic(rnd, off + len);
                double[] xd = widen(x);
                float m = (rnd.nextInt(9) - 4) / 4f;
                assertTwin(new float[] {(float) VectorReduceF32.sum(x, off, len)},
                        new double[] {VectorReduceF64.sum(xd, off, len)}, 0, "sum " + what);
                assertTwin(new float[] {(float) VectorReduceF32.dot(x, off, y, off, len)},
                        new double[] {dot(xd, widen(y), off, len)}, 0, "dot " + what);
                double[] acc = {0.5, 0.25};
                double[] accd = acc.clone();
                VectorReduceF32.deviations(x, off, len, m, acc);
                VectorReduceF64.deviations(xd, off, len, m, accd);
                assertTwin(new float[] {(float) acc[0], (float) acc[1]}, accd, 0, "deviations " + what);

                float[] g = gaussian(rnd, off + len);
                double tol = SUM_RTOL * sumOfMagnitudes(g, off, len);
                assertWithin(VectorReduceF32.sum(g, off, len), VectorReduceF64.sum(widen(g), off, len), tol,
                        "sum of Gaussians " + what);

                float[] s = mixed(rnd, off + len);
                double[] sd = widen(s);
                assertTwin(new float[] {(float) VectorReduceF32.max(s, off, len), (float) VectorReduceF32.min(s, off, len)},
                        new double[] {VectorReduceF64.max(sd, off, len), VectorReduceF64.min(sd, off, len)}, 0,
                        "max, min " + what);
            }
        }
    }

    private static double dot(double[] a, double[] b, int off, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += a[off + i] * b[off + i];
        }
        return s;
    }

    @Test
    void reduceKernelIsATwinOnEveryLayoutAndAxis() {
        Random rnd = new Random(6);
        int[][] shapes = {{0}, {1}, {7}, {33}, {70_001}, {140_001}, {3, 70_001}, {7, 37}, {37, 7}, {5, 6, 9},
            {300, 100}};
        for (int[] shape : shapes) {
            for (Layout layout : Layout.values()) {
                View x = Fixtures.view(DType.F32, shape, layout, rnd, false);
                TwinChecks.makeDyadic(Access.cpu(x.buffer()), rnd);
                View special = mixedView(shape, layout, rnd);
                for (int mask = 1; mask < 1 << shape.length; mask++) {
                    boolean[] reduce = new boolean[shape.length];
                    int[] outShape = shape.clone();
                    for (int a = 0; a < shape.length; a++) {
                        reduce[a] = (mask >> a & 1) != 0;
                        outShape[a] = reduce[a] ? 1 : shape[a];
                    }
                    int n = Fixtures.size(outShape);
                    for (boolean simd : ElementwiseTest.simdModes()) {
                        for (ReduceOp op : ReduceOp.values()) {
                            String what = op + " " + Arrays.toString(shape) + " " + layout + " mask=" + mask
                                    + " simd=" + simd;
                            for (View in : new View[] {x, special}) {
                                if (in == special && op == ReduceOp.SUM) {
                                    continue; // sums of infinities and huge values: only exact data is summed
                                }
                                CpuBuffer y = CpuBuffer.wrap(sentinels(n + 4));
                                CpuBuffer yd = TwinChecks.widen(y);
                                Reduce.reduce(op, shape, in, reduce, y, 2, simd);
                                Reduce.reduce(op, shape, widened(in), reduce, yd, 2, simd);
                                assertTwin(y.f, yd.d, 0, what);
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- normalisation ------------------------------------------------------------------------

    @Test
    void rowStandardizeForwardAndBackwardAreTwins() {
        Random rnd = new Random(7);
        for (int len : LENGTHS) {
            int rows = len > 2000 ? 2 : 3;
            int off = 3;
            float[] x = gaussian(rnd, off + rows * len);
            float[] g = gaussian(rnd, off + rows * len);
            float[] mean = gaussian(rnd, rows);
            float[] rstd = new float[rows];
            for (int r = 0; r < rows; r++) {
                rstd[r] = (float) (0.5 + rnd.nextDouble());
            }
            for (boolean simd : ElementwiseTest.simdModes()) {
                String what = "len=" + len + " simd=" + simd;
                CpuBuffer y = CpuBuffer.wrap(sentinels(off + rows * len + 2));
                CpuBuffer yd = TwinChecks.widen(y);
                Norm.rowStandardize(rows, len, CpuBuffer.wrap(x), off, CpuBuffer.wrap(mean), 0, CpuBuffer.wrap(rstd), 0,
                        y, off, simd);
                Norm.rowStandardize(rows, len, CpuBuffer.wrap(widen(x)), off, CpuBuffer.wrap(widen(mean)), 0,
                        CpuBuffer.wrap(widen(rstd)), 0, yd, off, simd);
                assertTwin(y.f, yd.d, 3, "rowStandardize " + what);

                // The backward reads y: give both twins the F32 forward's output.
                CpuBuffer gx = CpuBuffer.wrap(sentinels(off + rows * len + 2));
                CpuBuffer gxd = TwinChecks.widen(gx);
                Norm.rowStandardizeBackward(rows, len, CpuBuffer.wrap(g), off, y, off, CpuBuffer.wrap(rstd), 0, gx, off, simd);
                Norm.rowStandardizeBackward(rows, len, CpuBuffer.wrap(widen(g)), off, TwinChecks.widen(y), off,
                        CpuBuffer.wrap(widen(rstd)), 0, gxd, off, simd);
                for (int r = 0; r < rows; r++) {
                    // The row means of g and g*y are float sums in the F32 twin: their error scales with
                    // the means of |g| and |g*y|, which cancellation can make far larger than the means.
                    double mg = 0;
                    double mgy = 0;
                    double mAbsG = 0;
                    double mAbsGy = 0;
                    for (int i = off + r * len; i < off + (r + 1) * len; i++) {
                        mg += g[i];
                        mgy += (double) g[i] * y.f[i];
                        mAbsG += Math.abs(g[i]);
                        mAbsGy += Math.abs((double) g[i] * y.f[i]);
                    }
                    mg /= len;
                    mgy /= len;
                    mAbsG /= len;
                    mAbsGy /= len;
                    for (int i = off + r * len; i < off + (r + 1) * len; i++) {
                        double scale = (Math.abs(g[i]) + Math.abs(mg) + mAbsG
                                + Math.abs(y.f[i]) * (Math.abs(mgy) + mAbsGy)) * rstd[r];
                        assertWithin(gx.f[i], gxd.d[i], SUM_RTOL * scale + Float.MIN_NORMAL,
                                "rowStandardizeBackward " + what + " row " + r + " element " + i);
                    }
                }
                assertTwin(Arrays.copyOfRange(gx.f, 0, off), Arrays.copyOfRange(gxd.d, 0, off), 0, "before the rows");
                assertTwin(Arrays.copyOfRange(gx.f, off + rows * len, gx.f.length),
                        Arrays.copyOfRange(gxd.d, off + rows * len, gxd.d.length), 0, "after the rows");
            }
        }
    }

    @Test
    void momentsAreTwins() {
        Random rnd = new Random(8);
        for (int len : LENGTHS) {
            int rows = 3;
            float[] x = dyadic(rnd, 2 + rows * len);
            for (boolean simd : ElementwiseTest.simdModes()) {
                checkMoments(x, rows, false, 0, len, simd, "rowMoments len=" + len + " simd=" + simd);
            }
        }
        // Runs shorter than 16 take the batch-norm loop over rows of the batch, longer ones the run sums.
        for (int inner : new int[] {1, 5, 15, 16, 17, 33, 100, 1025}) {
            int n = 3;
            int c = 5;
            float[] x = dyadic(rnd, 2 + n * c * inner);
            for (boolean simd : ElementwiseTest.simdModes()) {
                checkMoments(x, n, true, c, inner, simd, "channelMoments inner=" + inner + " simd=" + simd);
            }
        }
    }

    /** Means of exact data must agree to the bit; variances (two-pass, around a float mean) within SUM_RTOL. */
    private static void checkMoments(float[] x, int n, boolean channels, int c, int len, boolean simd, String what) {
        int count = channels ? c : n;
        CpuBuffer mean = CpuBuffer.wrap(sentinels(count + 1));
        CpuBuffer var = CpuBuffer.wrap(sentinels(count + 1));
        CpuBuffer meand = TwinChecks.widen(mean);
        CpuBuffer vard = TwinChecks.widen(var);
        CpuBuffer xf = CpuBuffer.wrap(x);
        CpuBuffer xd = CpuBuffer.wrap(widen(x));
        if (channels) {
            Norm.channelMoments(n, c, len, xf, 2, mean, 1, var, 1, simd);
            Norm.channelMoments(n, c, len, xd, 2, meand, 1, vard, 1, simd);
        } else {
            Norm.rowMoments(n, len, xf, 2, mean, 1, var, 1, simd);
            Norm.rowMoments(n, len, xd, 2, meand, 1, vard, 1, simd);
        }
        assertTwin(mean.f, meand.d, 0, what + " mean");
        assertTwin(new float[] {var.f[0]}, new double[] {vard.d[0]}, 0, what + " variance: before the output");
        for (int i = 1; i <= count; i++) {
            if (len == 0) {
                assertTwin(new float[] {var.f[i]}, new double[] {vard.d[i]}, 0, what + " variance of nothing");
                continue;
            }
            // Deviations from a mean rounded to float: the float run sums see the same values up to 2^-24 * |x|.
            assertWithin(var.f[i], vard.d[i], SUM_RTOL * (vard.d[i] + meand.d[i] * meand.d[i]) + Float.MIN_NORMAL,
                    what + " variance " + (i - 1));
        }
    }
}
