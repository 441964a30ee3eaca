package org.distill4j.kernels;

/**
 * Everything the tensor and autodiff layers need from a device, over flat {@link Buffer}s.
 *
 * <p>Conventions, shared by every implementation:
 * <ul>
 *   <li>Outputs are written contiguously (row-major) at an element offset and are overwritten,
 *       unless a method says it accumulates.</li>
 *   <li>Inputs are read through a {@link View} (offset + strides, stride 0 broadcasts) where a kernel
 *       accepts any layout, or as contiguous row-major blocks where the signature takes a buffer
 *       and an offset.</li>
 *   <li>All floating inputs and the output of one call have the same dtype (F32 or F64), except
 *       {@link #copy}, which converts, and the index arguments, which are I32.</li>
 *   <li>Results do not depend on the number of threads: parallel work is split in a fixed way.</li>
 * </ul>
 */
public interface Backend {

    /** A short name: "cpu", "cuda". */
    String name();

    // ---- memory -------------------------------------------------------------------------------

    /** A new zero-filled buffer. */
    Buffer allocate(DType dtype, int length);

    /**
     * A buffer whose contents are unspecified, for an output the caller overwrites whole: inside a
     * {@link BufferPool} step a backend may hand out a reused buffer without clearing it. By
     * default (and outside a step) the same as {@link #allocate}.
     */
    default Buffer allocateUninitialized(DType dtype, int length) {
        return allocate(dtype, length);
    }

    /** A new F32 buffer holding a copy of {@code data}. */
    Buffer upload(float[] data);

    /** A new F64 buffer holding a copy of {@code data}. */
    Buffer upload(double[] data);

    /** A new I32 buffer holding a copy of {@code data}. */
    Buffer upload(int[] data);

    /**
     * A buffer over {@code data}, which the caller hands over and must not touch again: a backend
     * whose buffers are Java arrays adopts the array itself (no copy, so a large array is not
     * held twice); any other backend copies it, as {@link #upload(float[])} does.
     */
    default Buffer adopt(float[] data) {
        return upload(data);
    }

    /** As {@link #adopt(float[])}, for F64. */
    default Buffer adopt(double[] data) {
        return upload(data);
    }

    /** As {@link #adopt(float[])}, for I32. */
    default Buffer adopt(int[] data) {
        return upload(data);
    }

    /** Reads {@code n} elements from {@code offset}, converted to double. */
    double[] downloadDoubles(Buffer src, int offset, int n);

    /** Reads {@code n} elements from {@code offset}, converted to float. */
    float[] downloadFloats(Buffer src, int offset, int n);

    /** Reads {@code n} elements of an I32 buffer from {@code offset}. */
    int[] downloadInts(Buffer src, int offset, int n);

    // ---- elementwise --------------------------------------------------------------------------

    /** Sets {@code n} elements from {@code offset} to {@code value}. */
    void fill(Buffer out, int offset, int n, double value);

    /** Gathers a strided view of {@code shape} into contiguous {@code out}, converting dtype if they differ. */
    void copy(int[] shape, View x, Buffer out, int outOffset);

    /** {@code out = op(x; p, q)} over {@code shape}. */
    void unary(UnaryOp op, double p, double q, int[] shape, View x, Buffer out, int outOffset);

    /** {@code out = op(a, b)} over {@code shape}; broadcasting is expressed by stride-0 axes of the views. */
    void binary(BinaryOp op, int[] shape, View a, View b, Buffer out, int outOffset);

    /** {@code out = cond != 0 ? a : b} over {@code shape}. */
    void where(int[] shape, View cond, View a, View b, Buffer out, int outOffset);

    // ---- reductions ---------------------------------------------------------------------------

    /**
     * Reduces {@code x} of {@code shape} over the axes where {@code reduce[axis]} is true. The
     * output is contiguous with the shape of {@code x} where reduced axes have size 1.
     */
    void reduce(ReduceOp op, int[] shape, View x, boolean[] reduce, Buffer out, int outOffset);

    /**
     * Index of the largest element (the first one on ties) along the middle axis of a contiguous
     * {@code [outer, len, inner]} block; {@code out} is I32 {@code [outer, inner]}.
     */
    void argmax(int outer, int len, int inner, Buffer x, int xOffset, Buffer out, int outOffset);

    // ---- matrix products ----------------------------------------------------------------------

    /**
     * Row-major {@code C = alpha * op(A) * op(B) + beta * C} with {@code op(A)} of {@code m x k}
     * and {@code op(B)} of {@code k x n}. {@code lda}, {@code ldb}, {@code ldc} are the row
     * strides of A, B, C as stored (so A stored {@code k x m} when {@code transA}). With
     * {@code beta == 0} C is not read (NaNs in it do not leak).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
              Buffer a, int aOffset, int lda, Buffer b, int bOffset, int ldb,
              double beta, Buffer c, int cOffset, int ldc);

    /** {@link #gemm} over {@code batch} matrices spaced {@code strideA}, {@code strideB}, {@code strideC} apart. */
    void gemmBatched(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     Buffer a, int aOffset, int lda, int strideA,
                     Buffer b, int bOffset, int ldb, int strideB,
                     double beta, Buffer c, int cOffset, int ldc, int strideC, int batch);

    // ---- convolution and pooling (contiguous NCHW) ----------------------------------------------

    /** {@code y = conv2d(x, w)}, cross-correlation as in PyTorch, no bias. */
    void conv2d(ConvGeometry g, Buffer x, int xOffset, Buffer w, int wOffset, Buffer y, int yOffset);

    /**
     * {@code y = conv2d(x, w) + b}, {@code b[k]} added to every output of filter k. A backend that
     * can add it while writing the outputs saves a pass over them; this default makes that pass.
     */
    default void conv2dBias(ConvGeometry g, Buffer x, int xOffset, Buffer w, int wOffset, Buffer b, int bOffset,
                            Buffer y, int yOffset) {
        conv2d(g, x, xOffset, w, wOffset, y, yOffset);
        int[] shape = {g.n(), g.k(), g.outH() * g.outW()};
        View out = View.contiguous(y, yOffset, shape);
        binary(BinaryOp.ADD, shape, out, new View(b, bOffset, new int[]{0, 1, 0}), y, yOffset);
    }

    /** {@code gx = d(sum(gy * conv2d(x, w)))/dx}: the transposed convolution of {@code gy} with {@code w}. */
    void conv2dBackwardInput(ConvGeometry g, Buffer gy, int gyOffset, Buffer w, int wOffset, Buffer gx, int gxOffset);

    /** {@code gw = d(sum(gy * conv2d(x, w)))/dw}. */
    void conv2dBackwardWeight(ConvGeometry g, Buffer x, int xOffset, Buffer gy, int gyOffset, Buffer gw, int gwOffset);

    /**
     * Max pooling. {@code argmax} (I32, one per output) receives the flat index within the input's
     * {@code h*w} plane of the chosen element (the first on ties); padded cells are never chosen.
     */
    void maxPool2d(PoolGeometry g, Buffer x, int xOffset, Buffer y, int yOffset, Buffer argmax, int argmaxOffset);

    /**
     * The values of {@link #maxPool2d} alone, for when no gradient will be asked for (inference).
     * A backend that can skip the arg-max bookkeeping overrides this; the default keeps it.
     */
    default void maxPool2dValues(PoolGeometry g, Buffer x, int xOffset, Buffer y, int yOffset) {
        Buffer argmax = allocate(DType.I32, g.n() * g.c() * g.outH() * g.outW());
        maxPool2d(g, x, xOffset, y, yOffset, argmax, 0);
    }

    /** {@code gx = 0; gx[plane, argmax] += gy}. */
    void maxPool2dBackward(PoolGeometry g, Buffer gy, int gyOffset, Buffer argmax, int argmaxOffset,
                           Buffer gx, int gxOffset);

    void avgPool2d(PoolGeometry g, Buffer x, int xOffset, Buffer y, int yOffset);

    void avgPool2dBackward(PoolGeometry g, Buffer gy, int gyOffset, Buffer gx, int gxOffset);

    // ---- resampling (differentiable augmentation) ----------------------------------------------

    /**
     * Bilinear sampling: {@code y[b, ch, i, j]} is plane {@code x[b, ch]} (contiguous {@code [n, c, h, w]})
     * read at the point {@code grid[g, i, j] = (column, row)} in pixel units (contiguous
     * {@code [gridN, outH, outW, 2]}, {@code g = b}, or 0 when one grid is shared): its four
     * neighbours {@code (floor, floor + 1)} on each axis weighted bilinearly, neighbours outside the
     * image counting as zero (PyTorch's {@code grid_sample} with zero padding, after unnormalising).
     */
    void gridSample(SampleGeometry g, Buffer x, int xOffset, Buffer grid, int gridOffset, Buffer y, int yOffset);

    /**
     * The adjoint of {@link #gridSample} in {@code x}: {@code gx} (overwritten, {@code [n, c, h, w]})
     * receives each {@code gy[b, ch, i, j]} times the weight with which {@link #gridSample} read each neighbour.
     */
    void gridSampleBackward(SampleGeometry g, Buffer gy, int gyOffset, Buffer grid, int gridOffset, Buffer gx,
                            int gxOffset);

    // ---- softmax and normalisation helpers ----------------------------------------------------

    /** Softmax (or log-softmax when {@code log}) of each contiguous row of length {@code cols}. */
    void softmax(boolean log, int rows, int cols, Buffer x, int xOffset, Buffer y, int yOffset);

    /**
     * Mean and biased variance of each contiguous row of length {@code len} (instance norm:
     * rows = N*C, len = H*W; group norm: rows = N*G). {@code mean} and {@code var} get {@code rows} values.
     */
    void rowMoments(int rows, int len, Buffer x, int xOffset, Buffer mean, int meanOffset, Buffer var, int varOffset);

    /**
     * {@code y = (x - mean[r]) * rstd[r]} over each contiguous row r of length {@code len}. A
     * backend that can do it in one pass overrides this; the default makes two broadcast ops.
     */
    default void rowStandardize(int rows, int len, Buffer x, int xOffset, Buffer mean, int meanOffset, Buffer rstd,
                                int rstdOffset, Buffer y, int yOffset) {
        int[] shape = {rows, len};
        View perRow = new View(mean, meanOffset, new int[]{1, 0});
        binary(BinaryOp.SUB, shape, View.contiguous(x, xOffset, shape), perRow, y, yOffset);
        binary(BinaryOp.MUL, shape, View.contiguous(y, yOffset, shape), new View(rstd, rstdOffset, new int[]{1, 0}),
                y, yOffset);
    }

    /**
     * The first-order backward of {@link #rowStandardize} from its output {@code y}:
     * {@code gx = (g - mean(g) - y * mean(g * y)) * rstd[r]} over each contiguous row r, means
     * taken along the row. The default composes reductions and broadcast ops.
     */
    default void rowStandardizeBackward(int rows, int len, Buffer g, int gOffset, Buffer y, int yOffset, Buffer rstd,
                                        int rstdOffset, Buffer gx, int gxOffset) {
        int[] shape = {rows, len};
        DType dtype = g.dtype();
        View gv = View.contiguous(g, gOffset, shape);
        View out = View.contiguous(gx, gxOffset, shape);
        boolean[] alongRow = {false, true};
        int[] perRow = {rows};
        Buffer mg = allocate(dtype, rows);
        reduce(ReduceOp.SUM, shape, gv, alongRow, mg, 0);
        unary(UnaryOp.AFFINE, 1.0 / len, 0, perRow, View.contiguous(mg, 0, perRow), mg, 0);
        binary(BinaryOp.MUL, shape, gv, View.contiguous(y, yOffset, shape), gx, gxOffset);
        Buffer mgy = allocate(dtype, rows);
        reduce(ReduceOp.SUM, shape, out, alongRow, mgy, 0);
        unary(UnaryOp.AFFINE, 1.0 / len, 0, perRow, View.contiguous(mgy, 0, perRow), mgy, 0);
        binary(BinaryOp.MUL, shape, View.contiguous(y, yOffset, shape), new View(mgy, 0, new int[]{1, 0}), gx, gxOffset);
        binary(BinaryOp.SUB, shape, gv, out, gx, gxOffset);
        binary(BinaryOp.SUB, shape, out, new View(mg, 0, new int[]{1, 0}), gx, gxOffset);
        binary(BinaryOp.MUL, shape, out, new View(rstd, rstdOffset, new int[]{1, 0}), gx, gxOffset);
    }

    /**
     * The per-channel affine of the normalisation layers over a contiguous {@code [n, c, inner]}
     * block: {@code y = x * gamma[ch] + beta[ch]}, the product rounded before the sum, as the two
     * broadcast ops of this default compute it; with {@code relu}, then {@code max(y, 0)} as
     * {@link UnaryOp#RELU} (the ReLU that follows the norm in ConvNet-3's blocks). A backend that
     * can do it in one pass overrides this with the same bits.
     */
    default void channelAffine(int n, int c, int inner, Buffer x, int xOffset, Buffer gamma, int gammaOffset,
                               Buffer beta, int betaOffset, boolean relu, Buffer y, int yOffset) {
        int[] shape = {n, c, inner};
        int[] perChannel = {0, 1, 0};
        binary(BinaryOp.MUL, shape, View.contiguous(x, xOffset, shape), new View(gamma, gammaOffset, perChannel),
                y, yOffset);
        binary(BinaryOp.ADD, shape, View.contiguous(y, yOffset, shape), new View(beta, betaOffset, perChannel),
                y, yOffset);
        if (relu) {
            unary(UnaryOp.RELU, 0, 0, shape, View.contiguous(y, yOffset, shape), y, yOffset);
        }
    }

    /**
     * Instance norm's forward without a graph: {@link #rowStandardize} of each contiguous row
     * {@code (n, ch)} of an {@code [n, c, inner]} block (mean and rstd per row), then
     * {@link #channelAffine} (with {@code relu} or not), into {@code y}: no standardised tensor
     * is kept. This default makes the two calls; a backend that can do it in one pass overrides it
     * with the same bits.
     */
    default void standardizeAffine(int n, int c, int inner, Buffer x, int xOffset, Buffer mean, int meanOffset,
                                   Buffer rstd, int rstdOffset, Buffer gamma, int gammaOffset, Buffer beta, int betaOffset,
                                   boolean relu, Buffer y, int yOffset) {
        Buffer xhat = allocate(x.dtype(), n * c * inner);   // not in place: a kernel may re-read what it wrote
        rowStandardize(n * c, inner, x, xOffset, mean, meanOffset, rstd, rstdOffset, xhat, 0);
        channelAffine(n, c, inner, xhat, 0, gamma, gammaOffset, beta, betaOffset, relu, y, yOffset);
    }

    /**
     * The first-order backward of {@link #channelAffine} from the output gradient {@code g}. With
     * the ReLU ({@code reluOut}, the forward's output, not null) the gradient first goes through
     * it, {@code g' = g * step(reluOut)} as {@link BinaryOp#MUL_STEP} (a ReLU's output is positive
     * exactly where its input is); without it {@code g' = g}. Then {@code gx = g' * gamma[ch]};
     * and, unless {@code ggamma} is null, {@code ggamma[ch]} = the sum over n and inner of
     * {@code g' * x} (each product rounded) and {@code gbeta[ch]} = the sum of {@code g'}, both as
     * {@link #reduce} sums those axes. This default makes the broadcast ops and reductions that
     * differentiating the ops of {@link #channelAffine} makes; a backend that can do it in one pass
     * overrides it with the same bits.
     */
    default void channelAffineBackward(int n, int c, int inner, Buffer g, int gOffset, Buffer x, int xOffset,
                                       Buffer gamma, int gammaOffset, Buffer reluOut, int reluOutOffset,
                                       Buffer gx, int gxOffset, Buffer ggamma, int ggammaOffset,
                                       Buffer gbeta, int gbetaOffset) {
        int[] shape = {n, c, inner};
        View gv = View.contiguous(g, gOffset, shape);
        if (reluOut != null) {
            Buffer masked = allocate(g.dtype(), n * c * inner);
            binary(BinaryOp.MUL_STEP, shape, gv, View.contiguous(reluOut, reluOutOffset, shape), masked, 0);
            gv = View.contiguous(masked, 0, shape);
        }
        binary(BinaryOp.MUL, shape, gv, new View(gamma, gammaOffset, new int[]{0, 1, 0}), gx, gxOffset);
        if (ggamma == null) {
            return;
        }
        boolean[] exceptChannels = {true, false, true};
        Buffer products = allocate(g.dtype(), n * c * inner);
        binary(BinaryOp.MUL, shape, gv, View.contiguous(x, xOffset, shape), products, 0);
        reduce(ReduceOp.SUM, shape, View.contiguous(products, 0, shape), exceptChannels, ggamma, ggammaOffset);
        reduce(ReduceOp.SUM, shape, gv, exceptChannels, gbeta, gbetaOffset);
    }

    /**
     * Mean and biased variance per channel of a contiguous {@code [n, c, inner]} block (batch norm:
     * inner = H*W). {@code mean} and {@code var} get {@code c} values.
     */
    void channelMoments(int n, int c, int inner, Buffer x, int xOffset, Buffer mean, int meanOffset,
                        Buffer var, int varOffset);

    // ---- indexing -----------------------------------------------------------------------------

    /**
     * Index-select along the middle axis of a contiguous {@code [outer, len, inner]} block:
     * {@code out[o, j, i] = x[o, idx[j], i]} for {@code j < count}; {@code out} is {@code [outer, count, inner]}.
     */
    void indexSelect(int outer, int len, int inner, Buffer x, int xOffset, Buffer idx, int idxOffset, int count,
                     Buffer out, int outOffset);

    /** The adjoint of {@link #indexSelect}: {@code out[o, idx[j], i] += src[o, j, i]} (accumulates). */
    void indexAdd(int outer, int len, int inner, Buffer src, int srcOffset, Buffer idx, int idxOffset, int count,
                  Buffer out, int outOffset);

    /** One element per row: {@code out[r] = x[r, idx[r]]} for a contiguous {@code [rows, cols]} block. */
    void gatherRows(int rows, int cols, Buffer x, int xOffset, Buffer idx, int idxOffset, Buffer out, int outOffset);

    /** The adjoint of {@link #gatherRows}: {@code out[r, idx[r]] += src[r]} (accumulates). */
    void scatterAddRows(int rows, int cols, Buffer src, int srcOffset, Buffer idx, int idxOffset, Buffer out, int outOffset);

    // ---- random numbers -----------------------------------------------------------------------

    /**
     * {@code n} uniform numbers in {@code [lo, hi)} from Philox4x32-10 with key {@code seed},
     * element {@code i} drawn from counter block {@code (counter + i / 4)}, lane {@code i % 4}.
     * Every backend draws the same numbers for the same arguments.
     */
    void uniform(long seed, long counter, Buffer out, int offset, int n, double lo, double hi);

    /** {@code n} normal numbers, Box-Muller over consecutive Philox lane pairs (see {@code Philox}). */
    void normal(long seed, long counter, Buffer out, int offset, int n, double mean, double std);
}
