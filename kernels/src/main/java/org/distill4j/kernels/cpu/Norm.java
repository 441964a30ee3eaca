package org.distill4j.kernels.cpu;

/** Moments for the normalisation layers: per row (instance/group norm) and per channel (batch norm). */
final class Norm {
    private Norm() {
    }

    static void rowMomentsReference(int rows, int len, CpuBuffer x, int xOff, CpuBuffer mean, int mOff,
                                    CpuBuffer var, int vOff) {
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < len; j++) {
                sum += Access.get(x, xOff + r * len + j);
            }
            double mu = sum / len;
            double sq = 0;
            for (int j = 0; j < len; j++) {
                double d = Access.get(x, xOff + r * len + j) - mu;
                sq += d * d;
            }
            Access.set(mean, mOff + r, mu);
            Access.set(var, vOff + r, sq / len);
        }
    }

    static void channelMomentsReference(int n, int c, int inner, CpuBuffer x, int xOff, CpuBuffer mean, int mOff,
                                        CpuBuffer var, int vOff) {
        double count = (double) n * inner;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < inner; j++) {
                    sum += Access.get(x, xOff + (b * c + ch) * inner + j);
                }
            }
            double mu = sum / count;
            double sq = 0;
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < inner; j++) {
                    double d = Access.get(x, xOff + (b * c + ch) * inner + j) - mu;
                    sq += d * d;
                }
            }
            Access.set(mean, mOff + ch, mu);
            Access.set(var, vOff + ch, sq / count);
        }
    }
}
