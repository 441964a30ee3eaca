package org.distill4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Problems for the GEMM tests, and the comparison against the scalar reference. Matrices are
 * stored with leading dimensions larger than needed and at non-zero offsets, and the bytes around
 * them hold sentinels, so a kernel that ignores {@code ld} or writes out of bounds is caught.
 */
final class GemmChecks {
    static final float SENTINEL = -12345f;

    private GemmChecks() {
    }

    /** One product to test: sizes, layout and scalars. */
    record Case(boolean transA, boolean transB, int m, int n, int k, double alpha, double beta, int pad) {
        int rowsA() {
            return transA ? k : m;
        }

        int colsA() {
            return transA ? m : k;
        }

        int rowsB() {
            return transB ? n : k;
        }

        int colsB() {
            return transB ? k : n;
        }

        int lda() {
            return colsA() + pad;
        }

        int ldb() {
            return colsB() + 2 * pad;
        }

        int ldc() {
            return n + 3 * pad;
        }

        int offA() {
            return 3 * pad;
        }

        int offB() {
            return 5 * pad;
        }

        int offC() {
            return 7 * pad;
        }

        @Override
        public String toString() {
            return (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k
                    + " alpha=" + alpha + " beta=" + beta + " pad=" + pad;
        }
    }

    /**
     * Every size the task lists and the block edges of the drivers (two k blocks from k = 1100, two
     * packed panels of B from n = 2053 at that k, many row tasks from m = 1030), all four transposes.
     */
    static List<Case> cases() {
        int[][] sizes = {
            {1, 1, 1}, {7, 7, 7}, {17, 17, 17}, {63, 63, 63}, {129, 129, 129},
            {5, 129, 17}, {129, 5, 63}, {6, 25, 1100}, {33, 70, 513}, {1030, 9, 5}, {3, 2053, 1100},
        };
        double[][] scalars = {{1, 0}, {0.5, 0}, {1, 1}, {-1.5, 0.25}};
        List<Case> out = new ArrayList<>();
        int s = 0;
        for (int[] size : sizes) {
            for (int t = 0; t < 4; t++) {
                double[] ab = scalars[(s++) % scalars.length];
                out.add(new Case((t & 1) != 0, (t & 2) != 0, size[0], size[1], size[2], ab[0], ab[1], 1 + t % 3));
            }
        }
        return out;
    }

    /** A buffer of {@code rows x cols} at {@code off} with stride {@code ld}, sentinels elsewhere. */
    static float[] floats(SplittableRandom rng, int rows, int cols, int off, int ld, boolean nan) {
        float[] x = new float[off + rows * ld + 5];
        java.util.Arrays.fill(x, SENTINEL);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                x[off + i * ld + j] = nan ? Float.NaN : (float) (rng.nextDouble() * 2 - 1);
            }
        }
        return x;
    }

    static double[] doubles(SplittableRandom rng, int rows, int cols, int off, int ld, boolean nan) {
        double[] x = new double[off + rows * ld + 5];
        java.util.Arrays.fill(x, SENTINEL);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                x[off + i * ld + j] = nan ? Double.NaN : rng.nextDouble() * 2 - 1;
            }
        }
        return x;
    }

    /**
     * Fails unless every element of C is within the forward error bound of a length-k dot product,
     * {@code 2 (k + 2) eps (|alpha| sum_p |a_ip b_pj| + |beta c_ij|)}, of the reference, and every
     * element outside C is untouched.
     */
    static void assertClose(Case q, double[] a, double[] b, double[] c0, double[] expected, double[] actual,
                            double eps) {
        for (int idx = 0; idx < actual.length; idx++) {
            int rel = idx - q.offC();
            boolean inside = rel >= 0 && rel / q.ldc() < q.m() && rel % q.ldc() < q.n();
            if (!inside) {
                if (Double.compare(actual[idx], expected[idx]) != 0) {
                    fail(q + ": wrote outside C at index " + idx + ": " + actual[idx]);
                }
                continue;
            }
            int i = rel / q.ldc();
            int j = rel % q.ldc();
            double magnitude = 0;
            for (int p = 0; p < q.k(); p++) {
                double av = q.transA() ? a[q.offA() + p * q.lda() + i] : a[q.offA() + i * q.lda() + p];
                double bv = q.transB() ? b[q.offB() + j * q.ldb() + p] : b[q.offB() + p * q.ldb() + j];
                magnitude += Math.abs(av * bv);
            }
            double cTerm = q.beta() == 0 ? 0 : Math.abs(q.beta() * c0[idx]);
            double bound = 2 * (q.k() + 2) * eps * (Math.abs(q.alpha()) * magnitude + cTerm) + Double.MIN_NORMAL;
            double diff = Math.abs(actual[idx] - expected[idx]);
            if (!(diff <= bound)) {
                fail(q + ": C[" + i + "][" + j + "] = " + actual[idx] + ", reference " + expected[idx]
                        + " (|diff| " + diff + " > bound " + bound + ")");
            }
        }
    }

    static double[] widen(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }
}
