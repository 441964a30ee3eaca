package org.distill4j.coreset.submodular;

import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Gemm;
import org.distill4j.tensor.Reduce;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/**
 * A non-negative similarity {@code s_ij} between the rows of a feature matrix, given lazily by
 * columns: the {@code n x n} matrix is never required at once. Columns are computed a block at a
 * time with one matrix product ({@code X[block] X^T}, on the GEMM kernels) and kept in a
 * least-recently-used cache of bounded size.
 *
 * <p>Blocks are fixed when the similarity is made (column {@code j} always comes from block
 * {@code j / blockSize}), so a column has the same bits whichever order the optimiser asks for
 * columns in; that is what lets lazy greedy return exactly the naive greedy set.
 *
 * <p>Memory: the cache holds at most {@code cacheBytes} of columns; a class of 6,000 examples
 * needs 144 MB for all of its columns, which the default budget holds.
 */
public final class Similarity {
    /** How a pair of feature rows becomes a similarity. */
    public enum Kernel {
        /** {@code 0.5 + 0.5 cos(x_i, x_j)} in [0, 1], DeepCore's {@code cossim_np}; PSD. Zero rows have cosine 0 with everything. */
        COSINE,
        /** {@code exp(-||x_i - x_j||^2 / h)} with {@code h} the mean squared distance over all pairs (1 if that is 0); PSD. */
        RBF,
        /** {@code C - ||x_i - x_j||} with {@code C = 2 max_i ||x_i - mean||} >= every distance (CRAIG's "max distance minus distance"). */
        DISTANCE
    }

    /** Default cache budget: all columns of a 16,000-example class. */
    public static final long DEFAULT_CACHE_BYTES = 1L << 30;

    private final Kernel kernel;
    private final int n;
    /** F32 [n, d]: normalised rows (cosine) or centred rows (RBF, distance). */
    private final Tensor x;
    /** F32 [1, n]: squared row norms of {@link #x} (RBF, distance). */
    private final Tensor sqNorms;
    /** h for RBF, C for distance. */
    private final double scale;
    /** {@code s_jj}, known without computing a column: 1 (cosine of a non-zero row, RBF), 0.5 (cosine of a zero row), C (distance). */
    private final float[] diagonal;
    private final int blockSize;
    private final long cacheBytes;
    /** Cosine only: the normalised rows as one F32 array {@code [n, d]}, for the products of {@link #cosineBlock}. */
    private final float[] rows;
    /** Cosine only: {@code X[block] X^T} of the last block, reused from block to block. */
    private float[] products;
    private final Map<Integer, float[][]> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;
    private long blocksComputed;

    private Similarity(Kernel kernel, Tensor x, Tensor sqNorms, double scale, float[] diagonal, long cacheBytes,
                       int maxBlock) {
        this.kernel = kernel;
        this.n = x.dim(0);
        this.diagonal = diagonal;
        this.x = x;
        this.sqNorms = sqNorms;
        this.scale = scale;
        this.cacheBytes = cacheBytes;
        // About 4M similarities per block, 16..256 columns: big enough for GEMM, small enough to cache.
        int size = Math.max(16, Math.min(256, (1 << 22) / Math.max(1, n)));
        this.blockSize = Math.max(1, Math.min(n, Math.min(maxBlock, size)));
        this.rows = kernel == Kernel.COSINE ? x.toFloatArray() : null;
    }

    /** The similarity of the rows of {@code features} ({@code [n, d]}) with the default cache budget. */
    public static Similarity of(Tensor features, Kernel kernel) {
        return of(features, kernel, DEFAULT_CACHE_BYTES);
    }

    public static Similarity of(Tensor features, Kernel kernel, long cacheBytes) {
        return of(features, kernel, cacheBytes, 256);
    }

    /**
     * @param maxBlock the most columns computed together: small for functions that read only a few
     *                 columns (log-determinant reads one per pick), large for those that read them all
     */
    public static Similarity of(Tensor features, Kernel kernel, long cacheBytes, int maxBlock) {
        if (maxBlock < 1) {
            throw new IllegalArgumentException("block size must be >= 1, got " + maxBlock);
        }
        if (features.rank() != 2 || features.dim(0) < 1) {
            throw new IllegalArgumentException("similarity needs features [n >= 1, d], got " + Shape.str(features.shape()));
        }
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("cache budget must be >= 0 bytes, got " + cacheBytes);
        }
        Tensor f = features.to(DType.F32).contiguous();
        int n = f.dim(0);
        Tensor sq = Reduce.sum(Elementwise.unary(UnaryOp.SQUARE, f), new int[]{1}, true); // [n, 1]
        if (kernel == Kernel.COSINE) {
            // 1/||x|| where the norm is positive, 0 for zero rows (their cosine with anything is 0).
            Tensor positive = Elementwise.binary(org.distill4j.kernels.BinaryOp.GT, sq, Elementwise.scalarLike(sq, 0));
            Tensor inv = Elementwise.where(positive, Elementwise.unary(UnaryOp.RSQRT, Elementwise.unary(UnaryOp.CLAMP, sq,
                    Float.MIN_NORMAL, Double.MAX_VALUE)), Elementwise.scalarLike(sq, 0));
            float[] norms = sq.toFloatArray();
            float[] diagonal = new float[n];
            for (int i = 0; i < n; i++) {
                diagonal[i] = norms[i] > 0 ? 1f : 0.5f;
            }
            return new Similarity(kernel, Elementwise.mul(f, inv), null, 0, diagonal, cacheBytes, maxBlock);
        }
        // Distances do not change under translation; centring keeps |a|^2 + |b|^2 - 2ab well conditioned.
        Tensor mean = Elementwise.affine(Reduce.sum(f, new int[]{0}, true), 1.0 / n, 0);
        Tensor centred = Elementwise.sub(f, mean);
        Tensor norms2 = Reduce.sum(Elementwise.unary(UnaryOp.SQUARE, centred), new int[]{1}, false); // [n]
        double[] q = norms2.toDoubleArray();
        double scale;
        if (kernel == Kernel.RBF) {
            // mean_{i,j} ||x_i - x_j||^2 = 2 mean_i ||x_i - mean||^2 for centred rows.
            double sum = 0;
            for (double v : q) {
                sum += v;
            }
            scale = 2 * sum / n;
            if (!(scale > 0)) {
                scale = 1;
            }
        } else {
            double max = 0;
            for (double v : q) {
                max = Math.max(max, v);
            }
            scale = 2 * Math.sqrt(max);
        }
        float[] diagonal = new float[n];
        java.util.Arrays.fill(diagonal, kernel == Kernel.RBF ? 1f : (float) scale);
        return new Similarity(kernel, centred, norms2.reshape(1, n), scale, diagonal, cacheBytes, maxBlock);
    }

    public int size() {
        return n;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** How many column blocks have been computed so far (a block evicted and needed again counts twice). */
    public long blocksComputed() {
        return blocksComputed;
    }

    /** Column {@code j}: {@code s_ij} for every {@code i}. The array is shared with the cache: read it, never write it. */
    public synchronized float[] column(int j) {
        if (j < 0 || j >= n) {
            throw new IndexOutOfBoundsException("column " + j + " of a similarity over " + n + " elements");
        }
        int b = j / blockSize;
        float[][] block = cache.get(b);
        if (block == null) {
            block = computeBlock(b);
            long bytes = (long) block.length * n * Float.BYTES;
            cache.put(b, block);
            cachedBytes += bytes;
            // Evict least recently used blocks, but always keep the one just made.
            var it = cache.entrySet().iterator();
            while (cachedBytes > cacheBytes && cache.size() > 1) {
                var e = it.next();
                cachedBytes -= (long) e.getValue().length * n * Float.BYTES;
                it.remove();
            }
        }
        return block[j - b * blockSize];
    }

    /** {@code s_jj}, the same value as {@code column(j)[j]} but without computing the column. */
    public double diagonal(int j) {
        return diagonal[j];
    }

    /**
     * {@code sum_i s_ij} for every column {@code j}. For the cosine kernel in closed form, in O(n d):
     * {@code sum_i (1/2 + 1/2 <x_i, x_j>) = n/2 + 1/2 <sum_i x_i, x_j>} on the normalised rows, with
     * the exact diagonal in place of its computed value; for the others from every column, accumulated
     * in double in index order (O(n^2 d): RBF and distance have no such shortcut).
     */
    public double[] columnSums() {
        if (kernel == Kernel.COSINE) {
            return cosineColumnSums();
        }
        double[] sums = new double[n];
        for (int j = 0; j < n; j++) {
            float[] col = column(j);
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += col[i];
            }
            sums[j] = s;
        }
        return sums;
    }

    private double[] cosineColumnSums() {
        int d = x.dim(1);
        double[] total = new double[d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                total[k] += rows[i * d + k];
            }
        }
        double[] sums = new double[n];
        for (int j = 0; j < n; j++) {
            double dot = 0;
            double self = 0;
            for (int k = 0; k < d; k++) {
                float v = rows[j * d + k];
                dot += v * total[k];
                self += (double) v * v;
            }
            // The column as computed holds 1/2 + 1/2 <x_j, x_j> on the diagonal; column() puts the exact value there.
            sums[j] = 0.5 * n + 0.5 * dot - (0.5 + 0.5 * self) + diagonal[j];
        }
        return sums;
    }

    /** Whether column {@code j} is in the cache now (reading it costs no products). */
    synchronized boolean cached(int j) {
        return cache.containsKey(j / blockSize);
    }

    /** The columns computed with column {@code j}: {@code [from, to)} of its block. */
    int[] blockRange(int j) {
        int from = (j / blockSize) * blockSize;
        return new int[] {from, Math.min(n, from + blockSize)};
    }

    /** The block column {@code j} is computed in. */
    int blockOf(int j) {
        return j / blockSize;
    }

    /** How many column blocks the cache holds (at least one). */
    long blocksCached() {
        return Math.max(1, cacheBytes / ((long) blockSize * n * Float.BYTES));
    }

    /**
     * The cosine kernel's columns {@code [from, from + m)}: {@code X[block] X^T} by the CPU's GEMM into
     * one array kept from block to block, then {@code 1/2 + 1/2 p} straight into each column's own
     * array (the columns are what the cache keeps). The general path below makes four arrays of the
     * block's size per block (the product, the kernel's output, its download, the columns); at
     * 10^5 rows a block is 16 MB, and allocating and collecting them cost more CPU than the products.
     * The similarities are the same function of the rows, computed on the host like every gain that
     * reads them.
     */
    private float[][] cosineBlock(int from, int m) {
        int d = x.dim(1);
        if (products == null) {
            products = new float[blockSize * n];
        }
        float[] p = products;
        org.distill4j.kernels.HostGemm.sgemm(false, true, m, n, d, 1f, rows, from * d, d, rows, 0, d, 0f, p, 0, n);
        float[][] cols = new float[m][];
        for (int r = 0; r < m; r++) {
            float[] col = new float[n];
            int o = r * n;
            for (int i = 0; i < n; i++) {
                col[i] = 0.5f * p[o + i] + 0.5f;
            }
            // Exact self-similarity: a unit vector's cosine with itself is 1 (0.5 for a zero row).
            col[from + r] = diagonal[from + r];
            cols[r] = col;
        }
        return cols;
    }

    /** Columns {@code [b * blockSize, ...)} as rows of {@code X[block] X^T}, transformed by the kernel. */
    private float[][] computeBlock(int b) {
        int from = b * blockSize;
        int to = Math.min(n, from + blockSize);
        int m = to - from;
        if (kernel == Kernel.COSINE) {
            blocksComputed++;
            return cosineBlock(from, m);
        }
        Tensor rows = x.slice(0, from, to);
        Tensor dots = Gemm.matmul(rows, x.mT()); // [m, n]
        Tensor s;
        if (kernel == Kernel.COSINE) {
            s = Elementwise.affine(dots, 0.5, 0.5);
        } else {
            Tensor blockNorms = sqNorms.slice(1, from, to).reshape(m, 1);
            Tensor d2 = Elementwise.add(Elementwise.add(Elementwise.affine(dots, -2, 0), sqNorms), blockNorms);
            d2 = Elementwise.unary(UnaryOp.RELU, d2); // rounding can make a zero distance slightly negative
            s = kernel == Kernel.RBF
                    ? Elementwise.unary(UnaryOp.EXP, Elementwise.affine(d2, -1.0 / scale, 0))
                    // C - d, kept >= 0 where rounding puts a distance a hair above its bound C
                    : Elementwise.unary(UnaryOp.RELU, Elementwise.affine(Elementwise.unary(UnaryOp.SQRT, d2), -1, scale));
        }
        float[] flat = s.toFloatArray();
        // Exact self-similarities: a point's distance to itself is 0, not the square root of F32
        // cancellation noise, and a unit vector's cosine with itself is 1.
        for (int r = 0; r < m; r++) {
            flat[r * n + from + r] = diagonal[from + r];
        }
        float[][] cols = new float[m][];
        for (int r = 0; r < m; r++) {
            cols[r] = java.util.Arrays.copyOfRange(flat, r * n, (r + 1) * n);
        }
        blocksComputed++;
        return cols;
    }
}
