package org.distill4j.kernels.cpu;

/**
 * A float GEMM micro-kernel: multiplies one packed {@code mr x kc} sliver of A by one packed
 * {@code kc x nr} sliver of B (layouts in {@link GemmPacking}) and folds the product into a tile
 * of C. Implementations differ only in the instructions they use, never in the order in which a
 * given element of C is accumulated, so every tile position gives bit-identical results.
 */
interface SgemmKernel {
    /** Rows of the C tile (and of a packed A sliver). */
    int mr();

    /** Columns of the C tile (and of a packed B sliver). */
    int nr();

    /**
     * {@code C[0..rows, 0..cols] = alpha * Ap * Bp + beta * C}, reading C only when
     * {@code beta != 0}. {@code rows <= mr()} and {@code cols <= nr()}; the packed slivers are
     * zero-padded to the full tile, so a partial tile is computed whole and only stored partially.
     * {@code tile} is scratch of at least {@code mr() * nr()} elements, private to the caller's task.
     */
    void multiply(int kc, float[] ap, int ai, float[] bp, int bi, float alpha, float beta,
                  float[] c, int ci, int ldc, int rows, int cols, float[] tile);
}
