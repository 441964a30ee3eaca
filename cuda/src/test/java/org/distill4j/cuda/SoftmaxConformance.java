package org.distill4j.cuda;

import org.distill4j.kernels.DType;
import org.junit.jupiter.api.Test;

/** softmax.cu ({@link CudaSoftmax}) against the CPU backend. */
abstract class SoftmaxConformance extends Conformance {

    @Test
    void softmaxAndLogSoftmaxRows() {
        for (DType t : FLOATING) {
            for (int[] rc : new int[][] {{5, 37}, {9, 1}, {3, 300}}) {
                double[] v = uniform(rc[0] * rc[1] + 1, -30, 30);
                v[1] = 1000;  // must not overflow: the max is subtracted first
                Pair x = pair(t, v);
                for (boolean log : new boolean[] {false, true}) {
                    Pair y = outputs(t, rc[0] * rc[1] + 2);
                    CPU.softmax(log, rc[0], rc[1], x.cpu(), 1, y.cpu(), 2);
                    cuda().softmax(log, rc[0], rc[1], x.cuda(), 1, y.cuda(), 2);
                    assertClose((log ? "log_softmax " : "softmax ") + rc[0] + "x" + rc[1] + " " + t, y, rc[0] * rc[1] + 2,
                            16 * eps(t), 16 * eps(t) * (log ? 1000 : 1));
                }
            }
        }
    }
}
