package org.distill4j.kernels.cpu;

/**
 * Row-major GEMM entry points: {@code C = alpha * op(A) * op(B) + beta * C}. See
 * {@link org.distill4j.kernels.Backend#gemm} for the argument conventions.
 *
 * <p>The fast path packs A and B into blocks and runs a register-blocked micro-kernel over them
 * ({@link SgemmDriver}, {@link DgemmDriver}); the kernel is the Vector API one
 * ({@link VectorSgemm}, {@link VectorDgemm}) when {@link VectorSupport#AVAILABLE}, else a
 * plain-Java one ({@link BlockedGemm}). The scalar references below are what tests compare with.
 */
public final class Gemm {
    /** Rows of C per transposed block of a narrow product: bounds its scratch to this many x nr floats. */
    static final int NARROW_ROWS = 4096;

    private Gemm() {
    }

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        sgemm(Kernels.FLOAT, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        dgemm(Kernels.DOUBLE, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** {@link #sgemm} with a chosen micro-kernel: lets tests run every kernel on one JVM. */
    static void sgemm(SgemmKernel kernel, boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        checkArguments("sgemm", transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            for (int i = 0; i < m; i++) {
                int row = cOff + i * ldc;
                for (int j = row; j < row + n; j++) {
                    c[j] = beta == 0f ? 0f : beta * c[j];
                }
            }
            return;
        }
        if (beta == 0f && narrow(m, n, kernel.mr(), kernel.nr())) {
            sgemmTransposed(kernel, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        SgemmDriver.run(kernel, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * op(A) packed once for several products that share it ({@link #sgemmPackedA}): a
     * convolution multiplies the same weights by every image's columns, and packing them per
     * image cost as much as a tenth of a ConvNet-3 training step.
     */
    static float[] packSharedA(boolean transA, int m, int k, float[] a, int aOff, int lda) {
        if (m <= 0 || k <= 0) {
            throw new IllegalArgumentException("sgemm: a packed A needs m, k >= 1, got m=" + m + ", k=" + k);
        }
        checkMatrix("sgemm", "A", transA ? k : m, transA ? m : k, a.length, aOff, lda, "lda");
        return SgemmDriver.packAllA(Kernels.FLOAT, transA, a, aOff, lda, m, k);
    }

    /**
     * {@code C = op(A) * op(B) + beta * C} with op(A) from {@link #packSharedA} (the same m and
     * k): bit for bit what {@link #sgemm} gives with alpha 1 (the narrow products' transposed
     * route gives the same bits too; {@code GemmTest}).
     */
    static void sgemmPackedA(float[] packedA, boolean transB, int m, int n, int k, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        checkMatrix("sgemm", "B", transB ? n : k, transB ? k : n, b.length, bOff, ldb, "ldb");
        checkMatrix("sgemm", "C", m, n, c.length, cOff, ldc, "ldc");
        if (m <= 0 || n <= 0 || k <= 0) {
            throw new IllegalArgumentException("sgemm with a packed A: sizes must be >= 1, got m=" + m + ", n=" + n + ", k=" + k);
        }
        long packed = (long) GemmBlocking.roundUp(m, Kernels.FLOAT.mr()) * k;
        if (packedA.length != packed) {
            throw new IllegalArgumentException("sgemm with a packed A: " + packedA.length + " floats packed, an "
                    + m + " x " + k + " A packs to " + packed);
        }
        SgemmDriver.runPackedA(Kernels.FLOAT, packedA, transB, m, n, k, 1f, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * Whether C is so narrow that computing C^T wastes a quarter less of the kernel's tiles: a
     * 256 x 10 product on 4 x 32 tiles computes 32 columns for 10, its transpose 12 rows for 10.
     */
    static boolean narrow(int m, int n, int mr, int nr) {
        long asIs = (long) GemmBlocking.roundUp(m, mr) * GemmBlocking.roundUp(n, nr);
        long transposed = (long) GemmBlocking.roundUp(n, mr) * GemmBlocking.roundUp(m, nr);
        return 4 * transposed < 3 * asIs;
    }

    /**
     * {@code C = alpha * op(A) op(B)} as {@code C^T = alpha * op(B)^T op(A)^T} into scratch, then
     * transposed into C, in blocks of {@link #NARROW_ROWS} rows of C. Each element sees the same
     * multiply-adds in the same order as without the swap (the products are the same, only the
     * operands trade places), so the result is bit for bit the same, only faster.
     */
    private static void sgemmTransposed(SgemmKernel kernel, boolean transA, boolean transB, int m, int n, int k,
                                        float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                        float[] c, int cOff, int ldc) {
        for (int i0 = 0; i0 < m; i0 += NARROW_ROWS) {
            int rows = Math.min(NARROW_ROWS, m - i0);
            float[] t = GemmWorkspace.local().floatT(n * rows);
            // Rows i0.. of op(A) start at a[i0 * lda] (stored as is) or a[i0] (stored transposed).
            int aStart = aOff + (transA ? i0 : i0 * lda);
            SgemmDriver.run(kernel, !transB, !transA, n, rows, k, alpha, b, bOff, ldb, a, aStart, lda, 0f, t, 0, rows);
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < rows; i++) {
                    c[cOff + (i0 + i) * ldc + j] = t[j * rows + i];
                }
            }
        }
    }

    /** {@link #dgemm} with a chosen micro-kernel. */
    static void dgemm(DgemmKernel kernel, boolean transA, boolean transB, int m, int n, int k, double alpha,
                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                      double beta, double[] c, int cOff, int ldc) {
        checkArguments("dgemm", transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0d) {
            for (int i = 0; i < m; i++) {
                int row = cOff + i * ldc;
                for (int j = row; j < row + n; j++) {
                    c[j] = beta == 0d ? 0d : beta * c[j];
                }
            }
            return;
        }
        DgemmDriver.run(kernel, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    private static void checkArguments(String op, boolean transA, boolean transB, int m, int n, int k,
                                       int aLength, int aOff, int lda, int bLength, int bOff, int ldb,
                                       int cLength, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": sizes must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        checkMatrix(op, "A", transA ? k : m, transA ? m : k, aLength, aOff, lda, "lda");
        checkMatrix(op, "B", transB ? n : k, transB ? k : n, bLength, bOff, ldb, "ldb");
        checkMatrix(op, "C", m, n, cLength, cOff, ldc, "ldc");
    }

    /** A stored {@code rows x cols} at {@code off} with row stride {@code ld} must fit in its array. */
    private static void checkMatrix(String op, String name, int rows, int cols, int length, int off, int ld,
                                    String ldName) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(op + ": " + ldName + " must be >= max(1, " + cols + ") for " + name
                    + " stored " + rows + " x " + cols + ", got " + ld);
        }
        if (off < 0) {
            throw new IllegalArgumentException(op + ": offset of " + name + " must be >= 0, got " + off);
        }
        long end = rows == 0 || cols == 0 ? off : off + (long) (rows - 1) * ld + cols;
        if (end > length) {
            throw new IllegalArgumentException(op + ": " + name + " stored " + rows + " x " + cols + " at offset " + off
                    + " with " + ldName + "=" + ld + " needs " + end + " elements, the array has " + length);
        }
    }

    /**
     * The kernels this JVM uses, chosen once. A holder class so that the Vector API classes are
     * loaded only when the module is present.
     */
    static final class Kernels {
        static final SgemmKernel FLOAT = VectorSupport.AVAILABLE ? VectorSgemm.kernel() : BlockedGemm.FLOAT;
        static final DgemmKernel DOUBLE = VectorSupport.AVAILABLE ? VectorDgemm.TILE_6X2 : BlockedGemm.DOUBLE;

        private Kernels() {
        }
    }

    // ---- scalar references --------------------------------------------------------------------

    public static void sgemmReference(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                      float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    acc += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0 ? alpha * acc : alpha * acc + beta * c[ci];
            }
        }
    }

    public static void dgemmReference(boolean transA, boolean transB, int m, int n, int k, double alpha,
                                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                      double beta, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    acc += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0 ? alpha * acc : alpha * acc + beta * c[ci];
            }
        }
    }
}
