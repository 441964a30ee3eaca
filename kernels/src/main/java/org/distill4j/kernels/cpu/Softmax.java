package org.distill4j.kernels.cpu;

import org.distill4j.kernels.BinaryOp;

/**
 * Softmax and log-softmax over contiguous rows, max-shifted for stability. The fast path runs rows
 * in parallel; a row is three passes (max, sum of exponentials, scale or shift), each a Vector API
 * loop when {@code simd}, otherwise typed loops in double in the reference's order.
 */
final class Softmax {
    private Softmax() {
    }

    static void softmax(boolean log, int rows, int cols, CpuBuffer x, int xOff, CpuBuffer y, int yOff, boolean simd) {
        if (x.dtype() != y.dtype()) {
            softmaxReference(log, rows, cols, x, xOff, y, yOff);
            return;
        }
        Parallel.forRange(rows, Math.max(1, Segments.CHUNK / Math.max(1, cols)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xo = xOff + r * cols;
                int yo = yOff + r * cols;
                if (!simd) {
                    plainRow(log, cols, x, xo, y, yo);
                } else if (x.f != null) {
                    float max = (float) VectorReduceF32.max(x.f, xo, cols);
                    double sum = VectorReduceF32.expShifted(x.f, xo, max, log ? null : y.f, yo, cols);
                    if (log) {
                        // (x - max) - log(sum): x - max is exact for the large entries; folding max and
                        // log(sum) into one float first would round away digits of log(sum).
                        VectorBinaryF32.binary(BinaryOp.SUB, x.f, xo, 1, new float[] {max}, 0, 0, y.f, yo, cols);
                        VectorBinaryF32.binary(BinaryOp.SUB, y.f, yo, 1, new float[] {(float) Math.log(sum)}, 0, 0,
                                y.f, yo, cols);
                    } else {
                        VectorBinaryF32.binary(BinaryOp.DIV, y.f, yo, 1,
                                new float[] {(float) sum}, 0, 0, y.f, yo, cols);
                    }
                } else {
                    double max = VectorReduceF64.max(x.d, xo, cols);
                    double sum = VectorReduceF64.expShifted(x.d, xo, max, log ? null : y.d, yo, cols);
                    if (log) {
                        VectorBinaryF64.binary(BinaryOp.SUB, x.d, xo, 1, new double[] {max}, 0, 0, y.d, yo, cols);
                        VectorBinaryF64.binary(BinaryOp.SUB, y.d, yo, 1, new double[] {Math.log(sum)}, 0, 0,
                                y.d, yo, cols);
                    } else {
                        VectorBinaryF64.binary(BinaryOp.DIV, y.d, yo, 1,
                                new double[] {sum}, 0, 0, y.d, yo, cols);
                    }
                }
            }
        });
    }

    /** One row as the reference computes it, through typed arrays: the same results bit for bit. */
    private static void plainRow(boolean log, int cols, CpuBuffer x, int xo, CpuBuffer y, int yo) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, x.f != null ? x.f[xo + j] : x.d[xo + j]);
        }
        double sum = 0;
        for (int j = 0; j < cols; j++) {
            sum += Math.exp((x.f != null ? x.f[xo + j] : x.d[xo + j]) - max);
        }
        double logSum = Math.log(sum);
        for (int j = 0; j < cols; j++) {
            double shifted = (x.f != null ? x.f[xo + j] : x.d[xo + j]) - max;
            Access.set(y, yo + j, log ? shifted - logSum : Math.exp(shifted) / sum);
        }
    }

    // ---- scalar reference -----------------------------------------------------------------------

    static void softmaxReference(boolean log, int rows, int cols, CpuBuffer x, int xOff, CpuBuffer y, int yOff) {
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, Access.get(x, xOff + base + j));
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(Access.get(x, xOff + base + j) - max);
            }
            double logSum = Math.log(sum);
            for (int j = 0; j < cols; j++) {
                double shifted = Access.get(x, xOff + base + j) - max;
                Access.set(y, yOff + base + j, log ? shifted - logSum : Math.exp(shifted) / sum);
            }
        }
    }
}
