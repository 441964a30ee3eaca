package org.distill4j.cuda;

import java.lang.ref.Cleaner;
import java.util.function.Function;
import org.distill4j.kernels.Backend;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.ConvGeometry;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.PoolGeometry;
import org.distill4j.kernels.SampleGeometry;
import org.distill4j.kernels.ReduceOp;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.kernels.View;

/**
 * The CUDA backend: buffers in device memory, every {@link Backend} method a kernel of
 * {@code src/main/cuda} (or a few, for GEMM-based convolution), all queued in order on one stream.
 * Data crosses between host and device only in {@code upload} and the {@code download} methods.
 * Results match the CPU backend's up to floating-point rounding; uniform random numbers match it
 * bit for bit.
 *
 * <p>Get one through {@link org.distill4j.kernels.Devices#resolve}. The kernel families live in
 * {@link CudaElementwise}, {@link CudaGemm}, {@link CudaConv}, {@link CudaPool}, {@link CudaReduce},
 * {@link CudaSoftmax}, {@link CudaNorm}, {@link CudaResample}, {@link CudaIndexing} and {@link CudaRng},
 * mirroring the CPU backend's files.
 */
public final class CudaBackend implements Backend {
    /** Workspace for one chunk of convolution im2col columns. */
    static final long DEFAULT_CONV_WORKSPACE = 128L << 20;

    final Device device;
    final CachingAllocator allocator;
    /** cuBLAS or gemm.cu: what {@link CudaGemm} and {@link CudaConv} multiply with. */
    final GemmEngine engine;
    /** gemm.cu, for what cuBLAS does not take (an empty inner dimension). */
    final GemmEngine kernelEngine;
    final Cleaner cleaner = Cleaner.create();
    final CudaElementwise elementwise = new CudaElementwise(this);
    final CudaGemm gemm = new CudaGemm(this);
    final CudaReduce reduce = new CudaReduce(this);
    final CudaSoftmax softmax = new CudaSoftmax(this);
    final CudaNorm norm = new CudaNorm(this);
    final CudaConv conv;
    final CudaPool pool = new CudaPool(this);
    final CudaResample resample = new CudaResample(this);
    final CudaIndexing indexing;
    final CudaRng rng = new CudaRng(this);
    final DebugOptions debug;

    /**
     * @param gemm           makes the GEMM engine for this device (cuBLAS or our kernel)
     * @param softLimit      see {@link CachingAllocator}
     * @param convWorkspace  bytes of im2col workspace per convolution chunk (the tests make it small)
     */
    CudaBackend(Device device, Function<Device, GemmEngine> gemm, long softLimit, Runnable collectGarbage,
                long convWorkspace) {
        this(device, gemm, softLimit, collectGarbage, convWorkspace, DebugOptions.fromSystemProperties());
    }

    /** @param debug the checks of a first run on a new machine ({@link DebugOptions}) */
    CudaBackend(Device device, Function<Device, GemmEngine> gemm, long softLimit, Runnable collectGarbage,
                long convWorkspace, DebugOptions debug) {
        Device checked = CheckedDevice.wrap(device, debug);
        this.device = checked;
        this.debug = debug;
        this.allocator = new CachingAllocator(new CachingAllocator.Memory() {
            @Override
            public long malloc(long bytes) {
                return checked.malloc(bytes);
            }

            @Override
            public void free(long address) {
                checked.free(address);
            }

            @Override
            public void synchronize() {
                checked.synchronize();
            }

            @Override
            public void poison(long address, long bytes) {
                checked.poison(address, bytes);
            }
        }, softLimit, collectGarbage, debug.exactAlloc());
        this.engine = CheckedDevice.wrap(gemm.apply(checked), checked, debug);
        this.kernelEngine = this.engine instanceof KernelGemm ? this.engine : new KernelGemm(checked, "");
        this.conv = new CudaConv(this, convWorkspace);
        this.indexing = new CudaIndexing(this);
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** The GPU, driver and GEMM engine (and the debug options, when any is on), for logs: one line. */
    public String description() {
        return device.description() + ", GEMM on " + engine.name()
                + (debug.equals(DebugOptions.NONE) ? "" : ", " + debug);
    }

    /** The name of the GEMM engine: "cuBLAS", or "gemm.cu" and why it is the fallback. */
    String gemmEngine() {
        return engine.name();
    }

    /** Frees the cached device memory no buffer uses (after the queued work is done); returns the bytes freed. */
    long emptyCache() {
        return allocator.emptyCache();
    }

    @Override
    public String toString() {
        return "CudaBackend[" + description() + "]";
    }

    CachingAllocator.Stats allocatorStats() {
        return allocator.stats();
    }

    // ---- memory -------------------------------------------------------------------------------

    @Override
    public Buffer allocate(DType dtype, int length) {
        CudaBuffer b = newBuffer(dtype, length);
        if (length > 0) {
            device.zero(b.address(0), (long) length * dtype.bytes());
        }
        return b;
    }

    @Override
    public Buffer upload(float[] data) {
        CudaBuffer b = newBuffer(DType.F32, data.length);
        device.copyIn(b.address(0), data);
        return b;
    }

    @Override
    public Buffer upload(double[] data) {
        CudaBuffer b = newBuffer(DType.F64, data.length);
        device.copyIn(b.address(0), data);
        return b;
    }

    @Override
    public Buffer upload(int[] data) {
        CudaBuffer b = newBuffer(DType.I32, data.length);
        device.copyIn(b.address(0), data);
        return b;
    }

    @Override
    public double[] downloadDoubles(Buffer src, int offset, int n) {
        CudaBuffer b = Checks.range(Checks.cuda(this, src, "downloadDoubles"), offset, n, "downloadDoubles");
        double[] out = new double[n];
        switch (b.dtype()) {
            case F64 -> device.copyOut(b.address(offset), out);
            case F32 -> {
                float[] f = new float[n];
                device.copyOut(b.address(offset), f);
                for (int i = 0; i < n; i++) {
                    out[i] = f[i];
                }
            }
            case I32 -> {
                int[] v = new int[n];
                device.copyOut(b.address(offset), v);
                for (int i = 0; i < n; i++) {
                    out[i] = v[i];
                }
            }
        }
        indexing.throwReportedErrors();
        return out;
    }

    @Override
    public float[] downloadFloats(Buffer src, int offset, int n) {
        CudaBuffer b = Checks.range(Checks.cuda(this, src, "downloadFloats"), offset, n, "downloadFloats");
        float[] out = new float[n];
        if (b.dtype() == DType.F32) {
            device.copyOut(b.address(offset), out);
        } else {
            double[] d = downloadDoubles(b, offset, n);
            for (int i = 0; i < n; i++) {
                out[i] = (float) d[i];
            }
        }
        indexing.throwReportedErrors();
        return out;
    }

    @Override
    public int[] downloadInts(Buffer src, int offset, int n) {
        CudaBuffer b = Checks.range(Checks.ints(this, src, "downloadInts"), offset, n, "downloadInts");
        int[] out = new int[n];
        device.copyOut(b.address(offset), out);
        indexing.throwReportedErrors();
        return out;
    }

    /** A buffer whose contents are undefined: for outputs that are about to be overwritten. */
    CudaBuffer newBuffer(DType dtype, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("buffer length must be >= 0, got " + length);
        }
        CachingAllocator.Block block = allocator.allocate((long) length * dtype.bytes());
        CudaBuffer b = new CudaBuffer(this, dtype, length, block.address());
        CachingAllocator a = allocator;
        cleaner.register(b, () -> a.release(block));  // must not capture b itself
        return b;
    }

    // ---- elementwise --------------------------------------------------------------------------

    @Override
    public void fill(Buffer out, int offset, int n, double value) {
        elementwise.fill(out, offset, n, value);
    }

    @Override
    public void copy(int[] shape, View x, Buffer out, int outOffset) {
        elementwise.copy(shape, x, out, outOffset);
    }

    @Override
    public void unary(UnaryOp op, double p, double q, int[] shape, View x, Buffer out, int outOffset) {
        elementwise.unary(op, p, q, shape, x, out, outOffset);
    }

    @Override
    public void binary(BinaryOp op, int[] shape, View a, View b, Buffer out, int outOffset) {
        elementwise.binary(op, shape, a, b, out, outOffset);
    }

    @Override
    public void where(int[] shape, View cond, View a, View b, Buffer out, int outOffset) {
        elementwise.where(shape, cond, a, b, out, outOffset);
    }

    // ---- reductions, softmax, moments ---------------------------------------------------------

    @Override
    public void reduce(ReduceOp op, int[] shape, View x, boolean[] axes, Buffer out, int outOffset) {
        reduce.reduce(op, shape, x, axes, out, outOffset);
    }

    @Override
    public void argmax(int outer, int len, int inner, Buffer x, int xOffset, Buffer out, int outOffset) {
        reduce.argmax(outer, len, inner, x, xOffset, out, outOffset);
    }

    @Override
    public void softmax(boolean log, int rows, int cols, Buffer x, int xOffset, Buffer y, int yOffset) {
        softmax.softmax(log, rows, cols, x, xOffset, y, yOffset);
    }

    @Override
    public void rowMoments(int rows, int len, Buffer x, int xOffset, Buffer mean, int meanOffset, Buffer var, int varOffset) {
        norm.rowMoments(rows, len, x, xOffset, mean, meanOffset, var, varOffset);
    }

    @Override
    public void channelMoments(int n, int c, int inner, Buffer x, int xOffset, Buffer mean, int meanOffset,
                               Buffer var, int varOffset) {
        norm.channelMoments(n, c, inner, x, xOffset, mean, meanOffset, var, varOffset);
    }

    // ---- matrix products and convolution ------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     Buffer a, int aOffset, int lda, Buffer b, int bOffset, int ldb,
                     double beta, Buffer c, int cOffset, int ldc) {
        gemm.gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, 0, b, bOffset, ldb, 0, beta, c, cOffset, ldc, 0, 1);
    }

    @Override
    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, double alpha,
                            Buffer a, int aOffset, int lda, int strideA,
                            Buffer b, int bOffset, int ldb, int strideB,
                            double beta, Buffer c, int cOffset, int ldc, int strideC, int batch) {
        gemm.gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, strideA, b, bOffset, ldb, strideB,
                beta, c, cOffset, ldc, strideC, batch);
    }

    @Override
    public void conv2d(ConvGeometry g, Buffer x, int xOffset, Buffer w, int wOffset, Buffer y, int yOffset) {
        conv.forward(g, x, xOffset, w, wOffset, y, yOffset);
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, Buffer gy, int gyOffset, Buffer w, int wOffset, Buffer gx, int gxOffset) {
        conv.backwardInput(g, gy, gyOffset, w, wOffset, gx, gxOffset);
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, Buffer x, int xOffset, Buffer gy, int gyOffset, Buffer gw, int gwOffset) {
        conv.backwardWeight(g, x, xOffset, gy, gyOffset, gw, gwOffset);
    }

    // ---- pooling ------------------------------------------------------------------------------

    /** {@inheritDoc} On the GPU, {@code argmax} must be the one {@link #maxPool2d} wrote. */
    @Override
    public void maxPool2d(PoolGeometry g, Buffer x, int xOffset, Buffer y, int yOffset, Buffer argmax, int argmaxOffset) {
        pool.maxForward(g, x, xOffset, y, yOffset, argmax, argmaxOffset);
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, Buffer gy, int gyOffset, Buffer argmax, int argmaxOffset,
                                  Buffer gx, int gxOffset) {
        pool.maxBackward(g, gy, gyOffset, argmax, argmaxOffset, gx, gxOffset);
    }

    @Override
    public void avgPool2d(PoolGeometry g, Buffer x, int xOffset, Buffer y, int yOffset) {
        pool.avgForward(g, x, xOffset, y, yOffset);
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, Buffer gy, int gyOffset, Buffer gx, int gxOffset) {
        pool.avgBackward(g, gy, gyOffset, gx, gxOffset);
    }

    // ---- resampling ---------------------------------------------------------------------------

    @Override
    public void gridSample(SampleGeometry g, Buffer x, int xOffset, Buffer grid, int gridOffset, Buffer y, int yOffset) {
        resample.forward(g, x, xOffset, grid, gridOffset, y, yOffset);
    }

    @Override
    public void gridSampleBackward(SampleGeometry g, Buffer gy, int gyOffset, Buffer grid, int gridOffset, Buffer gx,
                                   int gxOffset) {
        resample.backward(g, gy, gyOffset, grid, gridOffset, gx, gxOffset);
    }

    // ---- indexing and random numbers ----------------------------------------------------------

    @Override
    public void indexSelect(int outer, int len, int inner, Buffer x, int xOffset, Buffer idx, int idxOffset, int count,
                            Buffer out, int outOffset) {
        indexing.indexSelect(outer, len, inner, x, xOffset, idx, idxOffset, count, out, outOffset);
    }

    @Override
    public void indexAdd(int outer, int len, int inner, Buffer src, int srcOffset, Buffer idx, int idxOffset, int count,
                         Buffer out, int outOffset) {
        indexing.indexAdd(outer, len, inner, src, srcOffset, idx, idxOffset, count, out, outOffset);
    }

    @Override
    public void gatherRows(int rows, int cols, Buffer x, int xOffset, Buffer idx, int idxOffset, Buffer out, int outOffset) {
        indexing.gatherRows(rows, cols, x, xOffset, idx, idxOffset, out, outOffset);
    }

    @Override
    public void scatterAddRows(int rows, int cols, Buffer src, int srcOffset, Buffer idx, int idxOffset, Buffer out,
                               int outOffset) {
        indexing.scatterAddRows(rows, cols, src, srcOffset, idx, idxOffset, out, outOffset);
    }

    @Override
    public void uniform(long seed, long counter, Buffer out, int offset, int n, double lo, double hi) {
        rng.uniform(seed, counter, out, offset, n, lo, hi);
    }

    @Override
    public void normal(long seed, long counter, Buffer out, int offset, int n, double mean, double std) {
        rng.normal(seed, counter, out, offset, n, mean, std);
    }
}
