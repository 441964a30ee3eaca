package org.distill4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.ComputeContext;
import org.junit.jupiter.api.Test;

/** {@link CpuBackend#gemm} and {@link CpuBackend#gemmBatched}: the batch loop, its parallel split, dtype checks. */
class GemmBatchedTest {
    private final CpuBackend cpu = CpuBackend.get();

    private static float[] random(SplittableRandom rng, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Test
    void batchOfSmallProductsEqualsOneCallPerItemOnAnyThreadCount() {
        int m = 9, n = 33, k = 20, batch = 300;
        int strideA = k * m + 3, strideB = k * n + 1, strideC = m * n + 2;
        SplittableRandom rng = new SplittableRandom(3);
        float[] a = random(rng, batch * strideA);
        float[] b = random(rng, batch * strideB);
        float[] c0 = random(rng, batch * strideC);
        float[] expected = c0.clone();
        for (int i = 0; i < batch; i++) {
            Gemm.sgemm(true, false, m, n, k, 0.5f, a, i * strideA, m, b, i * strideB, n, 2f, expected, i * strideC, n);
        }
        for (int threads = 1; threads <= 2; threads++) {
            try (ComputeContext ignored = ComputeContext.cpu().threads(threads).open()) {
                Buffer c = cpu.upload(c0);
                cpu.gemmBatched(true, false, m, n, k, 0.5, cpu.upload(a), 0, m, strideA, cpu.upload(b), 0, n, strideB,
                        2.0, c, 0, n, strideC, batch);
                assertArrayEquals(expected, cpu.downloadFloats(c, 0, c0.length), threads + " threads");
            }
        }
    }

    @Test
    void overlappingOutputsAccumulateInOrder() {
        // strideC = 0 with beta = 1 sums the products into one C: must not run in parallel.
        int m = 4, n = 5, k = 3, batch = 64;
        SplittableRandom rng = new SplittableRandom(4);
        double[] a = new double[batch * m * k];
        double[] b = new double[batch * k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextInt(5) - 2;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rng.nextInt(5) - 2;
        }
        double[] expected = new double[m * n];
        for (int i = 0; i < batch; i++) {
            Gemm.dgemmReference(false, false, m, n, k, 1, a, i * m * k, k, b, i * k * n, n, 1, expected, 0, n);
        }
        try (ComputeContext ignored = ComputeContext.cpu().threads(2).open()) {
            Buffer c = cpu.allocate(org.distill4j.kernels.DType.F64, m * n);
            cpu.gemmBatched(false, false, m, n, k, 1, cpu.upload(a), 0, k, m * k, cpu.upload(b), 0, n, k * n,
                    1, c, 0, n, 0, batch);
            assertArrayEquals(expected, cpu.downloadDoubles(c, 0, m * n));
        }
    }

    @Test
    void gemmRejectsMixedDtypes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cpu.gemm(false, false, 1, 1, 1, 1, cpu.upload(new float[1]), 0, 1, cpu.upload(new double[1]), 0, 1,
                        0, cpu.upload(new float[1]), 0, 1));
        assertTrue(e.getMessage().contains("B F64"), e.getMessage());
    }

    @Test
    void gemmRunsThroughTheBackend() {
        Buffer c = cpu.upload(new double[] {1, 1, 1, 1});
        cpu.gemm(false, true, 2, 2, 1, 2, cpu.upload(new double[] {1, 2}), 0, 1, cpu.upload(new double[] {3, 4}), 0, 1,
                1, c, 0, 2);
        double[] out = cpu.downloadDoubles(c, 0, 4);
        assertEquals(7, out[0]);
        assertEquals(9, out[1]);
        assertEquals(13, out[2]);
        assertEquals(17, out[3]);
    }
}
