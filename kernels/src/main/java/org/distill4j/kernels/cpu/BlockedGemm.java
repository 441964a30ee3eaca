package org.distill4j.kernels.cpu;

/**
 * Plain-Java micro-kernels for JVMs started without {@code jdk.incubator.vector}. They run inside
 * the same packed, blocked, multi-threaded drivers as the vector kernels; only the innermost
 * 4 x 4 tile is scalar, held in 16 locals so the JIT keeps it in registers.
 */
final class BlockedGemm {
    static final SgemmKernel FLOAT = new FloatTile();
    static final DgemmKernel DOUBLE = new DoubleTile();

    private static final int MR = 4;
    private static final int NR = 4;

    private BlockedGemm() {
    }

    private static final class FloatTile implements SgemmKernel {
        @Override
        public int mr() {
            return MR;
        }

        @Override
        public int nr() {
            return NR;
        }

        @Override
        public void multiply(int kc, float[] ap, int ai, float[] bp, int bi, float alpha, float beta,
                             float[] c, int ci, int ldc, int rows, int cols, float[] tile) {
            float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
            float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
            for (int p = 0; p < kc; p++) {
                int pa = ai + p * MR;
                int pb = bi + p * NR;
                float b0 = bp[pb], b1 = bp[pb + 1], b2 = bp[pb + 2], b3 = bp[pb + 3];
                float a = ap[pa];
                c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3;
                a = ap[pa + 1];
                c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3;
                a = ap[pa + 2];
                c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3;
                a = ap[pa + 3];
                c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3;
            }
            tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
            tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
            tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
            tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    int i = ci + r * ldc + j;
                    float v = alpha * tile[r * NR + j];
                    c[i] = beta == 0f ? v : v + beta * c[i];
                }
            }
        }
    }

    private static final class DoubleTile implements DgemmKernel {
        @Override
        public int mr() {
            return MR;
        }

        @Override
        public int nr() {
            return NR;
        }

        @Override
        public void multiply(int kc, double[] ap, int ai, double[] bp, int bi, double alpha, double beta,
                             double[] c, int ci, int ldc, int rows, int cols, double[] tile) {
            double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
            double c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
            for (int p = 0; p < kc; p++) {
                int pa = ai + p * MR;
                int pb = bi + p * NR;
                double b0 = bp[pb], b1 = bp[pb + 1], b2 = bp[pb + 2], b3 = bp[pb + 3];
                double a = ap[pa];
                c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3;
                a = ap[pa + 1];
                c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3;
                a = ap[pa + 2];
                c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3;
                a = ap[pa + 3];
                c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3;
            }
            tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
            tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
            tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
            tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    int i = ci + r * ldc + j;
                    double v = alpha * tile[r * NR + j];
                    c[i] = beta == 0d ? v : v + beta * c[i];
                }
            }
        }
    }
}
