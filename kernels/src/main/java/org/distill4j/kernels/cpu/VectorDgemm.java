package org.distill4j.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API DGEMM micro-kernel. Only loaded when {@link VectorSupport#AVAILABLE}. One tile
 * shape for every machine: 6 rows x 2 vectors (12 accumulators) fits AVX2's 16 registers and,
 * measured on the float twin, still runs near 90% of peak where there are 32. Float64 GEMMs serve
 * gradient checks and small solvers, not the training hot path, so one kernel is enough.
 */
final class VectorDgemm {
    private static final VectorSpecies<Double> S = VectorWidth.F64;
    private static final int L = S.length();
    private static final TailMasks<Double> MASKS = new TailMasks<>(S);
    private static final int MR = 6;
    private static final int NR = 2 * L;

    static final DgemmKernel TILE_6X2 = new Tile6x2();

    private VectorDgemm() {
    }

    /**
     * {@code C = alpha * T + beta * C} for the {@code rows x cols} corner of the tile {@code T} that
     * a kernel has spilled to {@code tile} (row stride {@code nr}): whole vectors where they fit,
     * one masked vector at the end of a short row. Spilled for the reason given in
     * {@link VectorSgemm}: a vector passed to a method C2 does not inline is boxed.
     */
    private static void storeTile(double[] tile, int nr, double alpha, double beta,
                                  double[] c, int ci, int ldc, int rows, int cols) {
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        DoubleVector vb = DoubleVector.broadcast(S, beta);
        for (int r = 0; r < rows; r++) {
            int t = r * nr;
            int row = ci + r * ldc;
            int j = 0;
            for (; j + L <= cols; j += L) {
                DoubleVector v = DoubleVector.fromArray(S, tile, t + j).mul(va);
                if (beta != 0d) {
                    v = DoubleVector.fromArray(S, c, row + j).fma(vb, v);
                }
                v.intoArray(c, row + j);
            }
            if (j < cols) {
                VectorMask<Double> m = MASKS.upTo(j, cols);
                DoubleVector v = DoubleVector.fromArray(S, tile, t + j).mul(va);
                if (beta != 0d) {
                    v = DoubleVector.fromArray(S, c, row + j, m).fma(vb, v);
                }
                v.intoArray(c, row + j, m);
            }
        }
    }

    private static final class Tile6x2 implements DgemmKernel {
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
            DoubleVector c00 = DoubleVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            DoubleVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int p = 0; p < kc; p++) {
                int pa = ai + p * MR;
                int pb = bi + p * NR;
                DoubleVector b0 = DoubleVector.fromArray(S, bp, pb);
                DoubleVector b1 = DoubleVector.fromArray(S, bp, pb + L);
                DoubleVector a = DoubleVector.broadcast(S, ap[pa]);
                c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
                a = DoubleVector.broadcast(S, ap[pa + 1]);
                c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
                a = DoubleVector.broadcast(S, ap[pa + 2]);
                c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
                a = DoubleVector.broadcast(S, ap[pa + 3]);
                c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
                a = DoubleVector.broadcast(S, ap[pa + 4]);
                c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
                a = DoubleVector.broadcast(S, ap[pa + 5]);
                c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            }
            c00.intoArray(tile, 0); c01.intoArray(tile, L);
            c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
            c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L);
            c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
            c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L);
            c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L);
            storeTile(tile, NR, alpha, beta, c, ci, ldc, rows, cols);
        }
    }
}
