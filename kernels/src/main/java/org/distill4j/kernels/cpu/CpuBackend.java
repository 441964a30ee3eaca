package org.distill4j.kernels.cpu;

import org.distill4j.kernels.Backend;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.BufferPool;
import org.distill4j.kernels.ConvGeometry;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.PoolGeometry;
import org.distill4j.kernels.ReduceOp;
import org.distill4j.kernels.SampleGeometry;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.kernels.View;

/**
 * The CPU backend: Java arrays, the kernel families of this package, one shared thread pool
 * ({@link Parallel}). Stateless apart from the pool, so a single instance serves everyone.
 */
public final class CpuBackend implements Backend {
    private static final CpuBackend INSTANCE = new CpuBackend();
    /** Whether kernels may use their Vector API loops; the plain-Java loops otherwise. */
    private static final boolean SIMD = VectorSupport.AVAILABLE;

    private CpuBackend() {
    }

    public static CpuBackend get() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "cpu";
    }

    private static CpuBuffer cpu(Buffer b) {
        return Access.cpu(b);
    }

    private static CpuBuffer floating(Buffer b, String what) {
        CpuBuffer c = cpu(b);
        if (!c.dtype().isFloating()) {
            throw new IllegalArgumentException(what + ": expected an F32 or F64 buffer, got " + c.dtype());
        }
        return c;
    }

    private static CpuBuffer ints(Buffer b, String what) {
        CpuBuffer c = cpu(b);
        if (c.dtype() != DType.I32) {
            throw new IllegalArgumentException(what + ": expected an I32 index buffer, got " + c.dtype());
        }
        return c;
    }

    // ---- memory -------------------------------------------------------------------------------

    /**
     * Buffers at least this long come from the current {@link BufferPool} step, if any; smaller ones
     * are cheaper to allocate afresh (a bump of the thread's allocation pointer) than to look up.
     */
    static final int POOLED_LENGTH = 1024;

    @Override
    public Buffer allocate(DType dtype, int length) {
        return allocate(dtype, length, true);
    }

    @Override
    public Buffer allocateUninitialized(DType dtype, int length) {
        return allocate(dtype, length, false);
    }

    private static Buffer allocate(DType dtype, int length, boolean zero) {
        BufferPool.Step step = length >= POOLED_LENGTH ? BufferPool.current() : null;
        if (step == null) {
            return CpuBuffer.allocate(dtype, length);
        }
        Buffer reused = step.take(dtype, length);
        if (reused == null) {
            CpuBuffer fresh = CpuBuffer.allocate(dtype, length);
            step.adopt(fresh);
            return fresh;
        }
        if (zero) {
            CpuBuffer c = (CpuBuffer) reused;
            if (c.f != null) {
                java.util.Arrays.fill(c.f, 0f);
            } else if (c.d != null) {
                java.util.Arrays.fill(c.d, 0d);
            } else {
                java.util.Arrays.fill(c.i, 0);
            }
        }
        return reused;
    }

    @Override
    public Buffer upload(float[] data) {
        return CpuBuffer.wrap(data.clone());
    }

    @Override
    public Buffer upload(double[] data) {
        return CpuBuffer.wrap(data.clone());
    }

    @Override
    public Buffer upload(int[] data) {
        return CpuBuffer.wrap(data.clone());
    }

    @Override
    public Buffer adopt(float[] data) {
        return CpuBuffer.wrap(data);
    }

    @Override
    public Buffer adopt(double[] data) {
        return CpuBuffer.wrap(data);
    }

    @Override
    public Buffer adopt(int[] data) {
        return CpuBuffer.wrap(data);
    }

    @Override
    public double[] downloadDoubles(Buffer src, int offset, int n) {
        CpuBuffer b = cpu(src);
        double[] out = new double[n];
        if (b.d != null) {
            System.arraycopy(b.d, offset, out, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = Access.get(b, offset + i);
            }
        }
        return out;
    }

    @Override
    public float[] downloadFloats(Buffer src, int offset, int n) {
        CpuBuffer b = cpu(src);
        float[] out = new float[n];
        if (b.f != null) {
            System.arraycopy(b.f, offset, out, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = (float) Access.get(b, offset + i);
            }
        }
        return out;
    }

    @Override
    public int[] downloadInts(Buffer src, int offset, int n) {
        CpuBuffer b = ints(src, "downloadInts");
        int[] out = new int[n];
        System.arraycopy(b.i, offset, out, 0, n);
        return out;
    }

    // ---- elementwise --------------------------------------------------------------------------

    @Override
    public void fill(Buffer out, int offset, int n, double value) {
        Elementwise.fill(cpu(out), offset, n, value);
    }

    @Override
    public void copy(int[] shape, View x, Buffer out, int outOffset) {
        Elementwise.copy(shape, x, cpu(out), outOffset);
    }

    @Override
    public void unary(UnaryOp op, double p, double q, int[] shape, View x, Buffer out, int outOffset) {
        Elementwise.unary(op, p, q, shape, x, floating(out, "unary " + op), outOffset, SIMD);
    }

    @Override
    public void binary(BinaryOp op, int[] shape, View a, View b, Buffer out, int outOffset) {
        Elementwise.binary(op, shape, a, b, floating(out, "binary " + op), outOffset, SIMD);
    }

    @Override
    public void where(int[] shape, View cond, View a, View b, Buffer out, int outOffset) {
        Elementwise.where(shape, cond, a, b, floating(out, "where"), outOffset, SIMD);
    }

    // ---- reductions ---------------------------------------------------------------------------

    @Override
    public void reduce(ReduceOp op, int[] shape, View x, boolean[] reduce, Buffer out, int outOffset) {
        if (reduce.length != shape.length) {
            throw new IllegalArgumentException("reduce: " + reduce.length + " axis flags for a rank-" + shape.length + " input");
        }
        Reduce.reduce(op, shape, x, reduce, floating(out, "reduce " + op), outOffset, SIMD);
    }

    @Override
    public void argmax(int outer, int len, int inner, Buffer x, int xOffset, Buffer out, int outOffset) {
        Reduce.argmax(outer, len, inner, floating(x, "argmax"), xOffset, ints(out, "argmax"), outOffset);
    }

    // ---- matrix products ----------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     Buffer a, int aOffset, int lda, Buffer b, int bOffset, int ldb,
                     double beta, Buffer c, int cOffset, int ldc) {
        CpuBuffer cc = floating(c, "gemm");
        CpuBuffer ca = cpu(a);
        CpuBuffer cb = cpu(b);
        if (ca.dtype() != cc.dtype() || cb.dtype() != cc.dtype()) {
            throw new IllegalArgumentException("gemm: A, B and C must have one dtype, got A " + ca.dtype()
                    + ", B " + cb.dtype() + ", C " + cc.dtype());
        }
        if (cc.f != null) {
            Gemm.sgemm(transA, transB, m, n, k, (float) alpha, ca.f, aOffset, lda,
                    cb.f, bOffset, ldb, (float) beta, cc.f, cOffset, ldc);
        } else {
            Gemm.dgemm(transA, transB, m, n, k, alpha, ca.d, aOffset, lda,
                    cb.d, bOffset, ldb, beta, cc.d, cOffset, ldc);
        }
    }

    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, double alpha,
                            Buffer a, int aOffset, int lda, int strideA,
                            Buffer b, int bOffset, int ldb, int strideB,
                            double beta, Buffer c, int cOffset, int ldc, int strideC, int batch) {
        if (batch < 0) {
            throw new IllegalArgumentException("gemmBatched: batch must be >= 0, got " + batch);
        }
        Parallel.Range body = (from, to) -> {
            for (int i = from; i < to; i++) {
                gemm(transA, transB, m, n, k, alpha, a, aOffset + i * strideA, lda, b, bOffset + i * strideB, ldb,
                        beta, c, cOffset + i * strideC, ldc);
            }
        };
        // Large products run one after another, each split across the threads; smaller ones run side
        // by side, one whole product per task (computed exactly as when alone, so the result does not
        // depend on the choice), provided no two of them write the same elements of C.
        long madds = (long) m * n * k;
        boolean disjoint = m == 0 || n == 0 || Math.abs((long) strideC) >= (long) (m - 1) * ldc + n;
        if (batch < 2 || !disjoint || madds >= GemmBlocking.BATCH_ALONE_MADDS) {
            body.run(0, batch);
        } else {
            int grain = (int) Math.min(batch, Math.max(1, GemmBlocking.PARALLEL_MIN_MADDS / Math.max(1, madds)));
            Parallel.forRange(batch, grain, body);
        }
    }

    // ---- convolution and pooling --------------------------------------------------------------

    @Override
    public void conv2d(ConvGeometry g, Buffer x, int xOffset, Buffer w, int wOffset, Buffer y, int yOffset) {
        Conv.conv2d(g, floating(x, "conv2d"), xOffset, floating(w, "conv2d"), wOffset, floating(y, "conv2d"), yOffset,
                SIMD);
    }

    @Override
    public void conv2dBias(ConvGeometry g, Buffer x, int xOffset, Buffer w, int wOffset, Buffer b, int bOffset,
                           Buffer y, int yOffset) {
        Conv.conv2d(g, floating(x, "conv2d"), xOffset, floating(w, "conv2d"), wOffset, floating(b, "conv2d"), bOffset,
                floating(y, "conv2d"), yOffset, SIMD);
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, Buffer gy, int gyOffset, Buffer w, int wOffset, Buffer gx, int gxOffset) {
        Conv.backwardInput(g, floating(gy, "conv2d backward"), gyOffset, floating(w, "conv2d backward"), wOffset,
                floating(gx, "conv2d backward"), gxOffset, SIMD);
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, Buffer x, int xOffset, Buffer gy, int gyOffset, Buffer gw, int gwOffset) {
        Conv.backwardWeight(g, floating(x, "conv2d backward"), xOffset, floating(gy, "conv2d backward"), gyOffset,
                floating(gw, "conv2d backward"), gwOffset, SIMD);
    }

    @Override
    public void maxPool2d(PoolGeometry g, Buffer x, int xOffset, Buffer y, int yOffset, Buffer argmax, int argmaxOffset) {
        Pool.maxPool(g, floating(x, "maxPool2d"), xOffset, floating(y, "maxPool2d"), yOffset,
                ints(argmax, "maxPool2d"), argmaxOffset, SIMD);
    }

    @Override
    public void maxPool2dValues(PoolGeometry g, Buffer x, int xOffset, Buffer y, int yOffset) {
        Pool.maxPool(g, floating(x, "maxPool2d"), xOffset, floating(y, "maxPool2d"), yOffset, null, 0, SIMD);
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, Buffer gy, int gyOffset, Buffer argmax, int argmaxOffset,
                                  Buffer gx, int gxOffset) {
        Pool.maxPoolBackward(g, floating(gy, "maxPool2d backward"), gyOffset, ints(argmax, "maxPool2d backward"),
                argmaxOffset, floating(gx, "maxPool2d backward"), gxOffset);
    }

    @Override
    public void avgPool2d(PoolGeometry g, Buffer x, int xOffset, Buffer y, int yOffset) {
        Pool.avgPool(g, floating(x, "avgPool2d"), xOffset, floating(y, "avgPool2d"), yOffset);
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, Buffer gy, int gyOffset, Buffer gx, int gxOffset) {
        Pool.avgPoolBackward(g, floating(gy, "avgPool2d backward"), gyOffset, floating(gx, "avgPool2d backward"),
                gxOffset);
    }

    // ---- resampling ---------------------------------------------------------------------------

    @Override
    public void gridSample(SampleGeometry g, Buffer x, int xOffset, Buffer grid, int gridOffset, Buffer y, int yOffset) {
        CpuBuffer xb = floating(x, "gridSample");
        CpuBuffer gb = floating(grid, "gridSample");
        CpuBuffer yb = floating(y, "gridSample");
        checkRange(xb, xOffset, g.inputSize(), "gridSample input");
        checkRange(gb, gridOffset, g.gridSize(), "gridSample grid");
        checkRange(yb, yOffset, g.outputSize(), "gridSample output");
        Resample.forward(g, xb, xOffset, gb, gridOffset, yb, yOffset);
    }

    @Override
    public void gridSampleBackward(SampleGeometry g, Buffer gy, int gyOffset, Buffer grid, int gridOffset, Buffer gx,
                                   int gxOffset) {
        CpuBuffer gyb = floating(gy, "gridSample backward");
        CpuBuffer gb = floating(grid, "gridSample backward");
        CpuBuffer gxb = floating(gx, "gridSample backward");
        checkRange(gyb, gyOffset, g.outputSize(), "gridSample backward output gradient");
        checkRange(gb, gridOffset, g.gridSize(), "gridSample backward grid");
        checkRange(gxb, gxOffset, g.inputSize(), "gridSample backward input gradient");
        Resample.backward(g, gyb, gyOffset, gb, gridOffset, gxb, gxOffset);
    }

    private static void checkRange(CpuBuffer b, int offset, int n, String what) {
        if (offset < 0 || (long) offset + n > b.length()) {
            throw new IndexOutOfBoundsException(what + ": " + n + " elements from " + offset + " in a buffer of "
                    + b.length());
        }
    }

    // ---- softmax and normalisation helpers ----------------------------------------------------

    @Override
    public void softmax(boolean log, int rows, int cols, Buffer x, int xOffset, Buffer y, int yOffset) {
        Softmax.softmax(log, rows, cols, floating(x, "softmax"), xOffset, floating(y, "softmax"), yOffset, SIMD);
    }

    @Override
    public void rowMoments(int rows, int len, Buffer x, int xOffset, Buffer mean, int meanOffset, Buffer var, int varOffset) {
        Norm.rowMoments(rows, len, floating(x, "rowMoments"), xOffset, floating(mean, "rowMoments"), meanOffset,
                floating(var, "rowMoments"), varOffset, SIMD);
    }

    @Override
    public void rowStandardize(int rows, int len, Buffer x, int xOffset, Buffer mean, int meanOffset, Buffer rstd,
                               int rstdOffset, Buffer y, int yOffset) {
        Norm.rowStandardize(rows, len, floating(x, "rowStandardize"), xOffset, floating(mean, "rowStandardize"), meanOffset,
                floating(rstd, "rowStandardize"), rstdOffset, floating(y, "rowStandardize"), yOffset, SIMD);
    }

    @Override
    public void rowStandardizeBackward(int rows, int len, Buffer g, int gOffset, Buffer y, int yOffset, Buffer rstd,
                                       int rstdOffset, Buffer gx, int gxOffset) {
        String op = "rowStandardize backward";
        Norm.rowStandardizeBackward(rows, len, floating(g, op), gOffset, floating(y, op), yOffset, floating(rstd, op),
                rstdOffset, floating(gx, op), gxOffset, SIMD);
    }

    @Override
    public void channelAffine(int n, int c, int inner, Buffer x, int xOffset, Buffer gamma, int gammaOffset,
                              Buffer beta, int betaOffset, boolean relu, Buffer y, int yOffset) {
        String op = "channelAffine";
        Norm.channelAffine(n, c, inner, floating(x, op), xOffset, floating(gamma, op), gammaOffset, floating(beta, op),
                betaOffset, relu, floating(y, op), yOffset, SIMD);
    }

    @Override
    public void standardizeAffine(int n, int c, int inner, Buffer x, int xOffset, Buffer mean, int meanOffset,
                                  Buffer rstd, int rstdOffset, Buffer gamma, int gammaOffset, Buffer beta, int betaOffset,
                                  boolean relu, Buffer y, int yOffset) {
        String op = "standardizeAffine";
        CpuBuffer xb = floating(x, op);
        CpuBuffer mb = floating(mean, op);
        CpuBuffer rb = floating(rstd, op);
        CpuBuffer gb = floating(gamma, op);
        CpuBuffer bb = floating(beta, op);
        CpuBuffer yb = floating(y, op);
        if (!(SIMD && xb.f != null && mb.f != null && rb.f != null && gb.f != null && bb.f != null && yb.f != null)) {
            // Doubles and the plain-Java kernels: the two calls, whose scalar loops round differently.
            Backend.super.standardizeAffine(n, c, inner, x, xOffset, mean, meanOffset, rstd, rstdOffset, gamma, gammaOffset,
                    beta, betaOffset, relu, y, yOffset);
            return;
        }
        Norm.standardizeAffine(n, c, inner, xb, xOffset, mb, meanOffset, rb, rstdOffset, gb, gammaOffset, bb, betaOffset,
                relu, yb, yOffset);
    }

    @Override
    public void channelAffineBackward(int n, int c, int inner, Buffer g, int gOffset, Buffer x, int xOffset,
                                      Buffer gamma, int gammaOffset, Buffer reluOut, int reluOutOffset,
                                      Buffer gx, int gxOffset, Buffer ggamma, int ggammaOffset,
                                      Buffer gbeta, int gbetaOffset) {
        String op = "channelAffine backward";
        CpuBuffer gb = floating(g, op);
        CpuBuffer xb = floating(x, op);
        CpuBuffer gammab = floating(gamma, op);
        CpuBuffer maskb = reluOut == null ? null : floating(reluOut, op);
        CpuBuffer gxb = floating(gx, op);
        CpuBuffer ggb = ggamma == null ? null : floating(ggamma, op);
        CpuBuffer gbb = gbeta == null ? null : floating(gbeta, op);
        if (!Norm.fusedAffineBackward(c, inner, gb, xb, gammab, maskb, gxb, ggb, gbb, SIMD)) {
            // Doubles, the plain-Java kernels, and blocks that reduce() folds otherwise: the composed ops.
            Backend.super.channelAffineBackward(n, c, inner, g, gOffset, x, xOffset, gamma, gammaOffset, reluOut,
                    reluOutOffset, gx, gxOffset, ggamma, ggammaOffset, gbeta, gbetaOffset);
            return;
        }
        Norm.channelAffineBackward(n, c, inner, gb, gOffset, xb, xOffset, gammab, gammaOffset, maskb, reluOutOffset,
                gxb, gxOffset, ggb, ggammaOffset, gbb, gbetaOffset);
    }

    @Override
    public void channelMoments(int n, int c, int inner, Buffer x, int xOffset, Buffer mean, int meanOffset,
                               Buffer var, int varOffset) {
        Norm.channelMoments(n, c, inner, floating(x, "channelMoments"), xOffset, floating(mean, "channelMoments"),
                meanOffset, floating(var, "channelMoments"), varOffset, SIMD);
    }

    // ---- indexing -----------------------------------------------------------------------------

    @Override
    public void indexSelect(int outer, int len, int inner, Buffer x, int xOffset, Buffer idx, int idxOffset, int count,
                            Buffer out, int outOffset) {
        Indexing.indexSelect(outer, len, inner, cpu(x), xOffset, ints(idx, "indexSelect"), idxOffset, count,
                cpu(out), outOffset);
    }

    @Override
    public void indexAdd(int outer, int len, int inner, Buffer src, int srcOffset, Buffer idx, int idxOffset, int count,
                         Buffer out, int outOffset) {
        Indexing.indexAdd(outer, len, inner, cpu(src), srcOffset, ints(idx, "indexAdd"), idxOffset, count,
                cpu(out), outOffset);
    }

    @Override
    public void gatherRows(int rows, int cols, Buffer x, int xOffset, Buffer idx, int idxOffset, Buffer out, int outOffset) {
        Indexing.gatherRows(rows, cols, cpu(x), xOffset, ints(idx, "gatherRows"), idxOffset, cpu(out), outOffset);
    }

    @Override
    public void scatterAddRows(int rows, int cols, Buffer src, int srcOffset, Buffer idx, int idxOffset, Buffer out,
                               int outOffset) {
        Indexing.scatterAddRows(rows, cols, cpu(src), srcOffset, ints(idx, "scatterAddRows"), idxOffset,
                cpu(out), outOffset);
    }

    // ---- random numbers -----------------------------------------------------------------------

    @Override
    public void uniform(long seed, long counter, Buffer out, int offset, int n, double lo, double hi) {
        Rng.uniform(seed, counter, floating(out, "uniform"), offset, n, lo, hi);
    }

    @Override
    public void normal(long seed, long counter, Buffer out, int offset, int n, double mean, double std) {
        Rng.normal(seed, counter, floating(out, "normal"), offset, n, mean, std);
    }
}
