package org.distill4j.kernels.cpu;

/**
 * Softmax and log-softmax over contiguous rows, max-shifted for stability. The fast path runs rows
 * in parallel, each row in typed loops in double in the reference's order. Rows are not
 * vectorised: the Vector API's lanewise EXP gives different bits in C2-compiled code than in the
 * interpreter, which would make results depend on JIT state, and class counts are small anyway.
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
                plainRow(log, cols, x, xo, y, yo);
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
