package org.distill4j.kernels.cpu;

/** The float64 twin of {@link GemmPacking}: the same layouts and cases over doubles. */
final class GemmPackingF64 {
    private GemmPackingF64() {
    }

    /** Packs rows {@code [i0, i0 + rows)} of op(A), {@code rows <= mr}, zero-padding to {@code mr}. */
    static void packA(boolean transA, double[] a, int aOff, int lda, int i0, int rows, int p0, int kc,
                      int mr, double[] dst, int d) {
        if (transA) {
            // op(A)[i, p] = a[p * lda + i]: each k step is a contiguous run of rows.
            packRuns(a, aOff + p0 * lda + i0, lda, rows, kc, mr, dst, d);
        } else if (rows == 4 && mr == 4) {
            packRows4(a, aOff + i0 * lda + p0, lda, kc, dst, d);
        } else if (rows == 6 && mr == 6) {
            packRows6(a, aOff + i0 * lda + p0, lda, kc, dst, d);
        } else {
            packRows(a, aOff + i0 * lda + p0, lda, rows, kc, mr, dst, d);
        }
    }

    /** Packs columns {@code [j0, j0 + cols)} of op(B), {@code cols <= nr}, zero-padding to {@code nr}. */
    static void packB(boolean transB, double[] b, int bOff, int ldb, int j0, int cols, int p0, int kc,
                      int nr, double[] dst, int d) {
        if (transB) {
            // op(B)[p, j] = b[j * ldb + p]: each column is a contiguous run over k.
            packRows(b, bOff + j0 * ldb + p0, ldb, cols, kc, nr, dst, d);
        } else {
            packRuns(b, bOff + p0 * ldb + j0, ldb, cols, kc, nr, dst, d);
        }
    }

    /**
     * {@code dst[d + p * width + x] = src[s + p * ld + x]} for {@code x < count}, zeros up to
     * {@code width}: copies {@code kc} runs that are already in packed order.
     */
    private static void packRuns(double[] src, int s, int ld, int count, int kc, int width, double[] dst, int d) {
        if (count >= 16) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(src, s + p * ld, dst, d + p * width, count);
            }
        } else {
            // Too short for arraycopy's call to pay off.
            for (int p = 0; p < kc; p++) {
                int in = s + p * ld;
                int out = d + p * width;
                for (int x = 0; x < count; x++) {
                    dst[out + x] = src[in + x];
                }
            }
        }
        if (count < width) {
            zero(dst, d, kc, width, count);
        }
    }

    /**
     * {@code dst[d + p * width + x] = src[s + x * ld + p]} for {@code x < count}, zeros up to
     * {@code width}: a transpose, reading each source row sequentially.
     */
    private static void packRows(double[] src, int s, int ld, int count, int kc, int width, double[] dst, int d) {
        for (int x = 0; x < count; x++) {
            int in = s + x * ld;
            for (int p = 0; p < kc; p++) {
                dst[d + p * width + x] = src[in + p];
            }
        }
        if (count < width) {
            zero(dst, d, kc, width, count);
        }
    }

    /** {@link #packRows} for four rows into width four: four row streams in, one sequential stream out. */
    private static void packRows4(double[] a, int s0, int lda, int kc, double[] dst, int d) {
        int s1 = s0 + lda;
        int s2 = s1 + lda;
        int s3 = s2 + lda;
        for (int p = 0; p < kc; p++) {
            int out = d + 4 * p;
            dst[out] = a[s0 + p];
            dst[out + 1] = a[s1 + p];
            dst[out + 2] = a[s2 + p];
            dst[out + 3] = a[s3 + p];
        }
    }

    /** {@link #packRows} for six rows into width six. */
    private static void packRows6(double[] a, int s0, int lda, int kc, double[] dst, int d) {
        int s1 = s0 + lda;
        int s2 = s1 + lda;
        int s3 = s2 + lda;
        int s4 = s3 + lda;
        int s5 = s4 + lda;
        for (int p = 0; p < kc; p++) {
            int out = d + 6 * p;
            dst[out] = a[s0 + p];
            dst[out + 1] = a[s1 + p];
            dst[out + 2] = a[s2 + p];
            dst[out + 3] = a[s3 + p];
            dst[out + 4] = a[s4 + p];
            dst[out + 5] = a[s5 + p];
        }
    }

    /** Zeros positions {@code [from, width)} of each of the {@code kc} packed steps. */
    private static void zero(double[] dst, int d, int kc, int width, int from) {
        for (int p = 0; p < kc; p++) {
            int out = d + p * width;
            for (int x = from; x < width; x++) {
                dst[out + x] = 0d;
            }
        }
    }
}
