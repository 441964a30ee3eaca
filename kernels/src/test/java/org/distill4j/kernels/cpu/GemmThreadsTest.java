package org.distill4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.distill4j.kernels.ComputeContext;
import org.junit.jupiter.api.Test;

/** Results do not depend on the thread count: 1 and 2 threads give the same bits. */
class GemmThreadsTest {
    /** Large enough to be split into many tasks, with edges in every dimension and several k blocks. */
    private static final int M = 301;
    private static final int N = 517;
    private static final int K = 1203;

    @Test
    void sgemmIsBitIdenticalOnOneAndTwoThreads() {
        assertTrue(GemmBlocking.worthParallel(M, N, K), "the problem must be big enough to run in parallel");
        SplittableRandom rng = new SplittableRandom(7);
        for (int t = 0; t < 4; t++) {
            boolean transA = (t & 1) != 0;
            boolean transB = (t & 2) != 0;
            float[] a = GemmChecks.floats(rng, transA ? K : M, transA ? M : K, 0, transA ? M : K, false);
            float[] b = GemmChecks.floats(rng, transB ? N : K, transB ? K : N, 0, transB ? K : N, false);
            float[] c = GemmChecks.floats(rng, M, N, 0, N, false);
            float[][] results = new float[2][];
            for (int threads = 1; threads <= 2; threads++) {
                float[] out = c.clone();
                try (ComputeContext ignored = ComputeContext.cpu().threads(threads).open()) {
                    Gemm.sgemm(transA, transB, M, N, K, 0.75f, a, 0, transA ? M : K, b, 0, transB ? K : N, 0.5f, out, 0, N);
                }
                results[threads - 1] = out;
            }
            assertArrayEquals(results[0], results[1], "transA=" + transA + " transB=" + transB);
        }
    }

    @Test
    void dgemmIsBitIdenticalOnOneAndTwoThreads() {
        SplittableRandom rng = new SplittableRandom(8);
        double[] a = GemmChecks.doubles(rng, M, K, 0, K, false);
        double[] b = GemmChecks.doubles(rng, K, N, 0, N, false);
        double[][] results = new double[2][];
        for (int threads = 1; threads <= 2; threads++) {
            double[] out = new double[M * N];
            try (ComputeContext ignored = ComputeContext.cpu().threads(threads).open()) {
                Gemm.dgemm(false, false, M, N, K, 1d, a, 0, K, b, 0, N, 0d, out, 0, N);
            }
            results[threads - 1] = out;
        }
        assertArrayEquals(results[0], results[1]);
    }
}
