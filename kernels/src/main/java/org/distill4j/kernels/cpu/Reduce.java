package org.distill4j.kernels.cpu;

import org.distill4j.kernels.ReduceOp;
import org.distill4j.kernels.View;

/** Reductions over axes, and argmax along one axis. */
final class Reduce {
    private Reduce() {
    }

    static void reduceReference(ReduceOp op, int[] shape, View x, boolean[] reduce, CpuBuffer out, int outOffset) {
        CpuBuffer xb = Access.cpu(x.buffer());
        int[] outShape = shape.clone();
        for (int a = 0; a < shape.length; a++) {
            if (reduce[a]) {
                outShape[a] = 1;
            }
        }
        int outSize = Access.size(outShape);
        double init = switch (op) {
            case SUM -> 0.0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
        double[] acc = new double[outSize];
        java.util.Arrays.fill(acc, init);
        int n = Access.size(shape);
        for (int i = 0; i < n; i++) {
            double v = Access.get(xb, Access.offset(i, shape, x));
            int o = 0;
            int rest = i;
            int scale = 1;
            for (int a = shape.length - 1; a >= 0; a--) {
                int idx = rest % shape[a];
                rest /= shape[a];
                if (!reduce[a]) {
                    o += idx * scale;
                }
                scale *= outShape[a];
            }
            acc[o] = switch (op) {
                case SUM -> acc[o] + v;
                case MAX -> Math.max(acc[o], v);
                case MIN -> Math.min(acc[o], v);
            };
        }
        for (int o = 0; o < outSize; o++) {
            Access.set(out, outOffset + o, acc[o]);
        }
    }

    static void argmaxReference(int outer, int len, int inner, CpuBuffer x, int xOffset, CpuBuffer out, int outOffset) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int best = 0;
                double bestValue = Access.get(x, xOffset + (o * len) * inner + i);
                for (int j = 1; j < len; j++) {
                    double v = Access.get(x, xOffset + (o * len + j) * inner + i);
                    if (v > bestValue) {
                        bestValue = v;
                        best = j;
                    }
                }
                out.i[outOffset + o * inner + i] = best;
            }
        }
    }
}
