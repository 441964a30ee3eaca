package org.distill4j.kernels.cpu;

/** Softmax and log-softmax over contiguous rows, max-shifted for stability. */
final class Softmax {
    private Softmax() {
    }

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
