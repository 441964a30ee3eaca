package org.distill4j.kernels.cpu;

import static org.distill4j.kernels.cpu.Fixtures.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.distill4j.kernels.DType;
import org.distill4j.kernels.Philox;
import org.junit.jupiter.api.Test;

/** The Philox draws against their references. */
class RngTest {
    @Test
    void philoxKnownAnswer() {
        // Random123's philox4x32-10 known-answer vector: counter {0, 0, 0, 0}, key {0, 0}.
        int[] words = new int[4];
        Philox.block(0, 0, words);
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, words);
    }

    @Test
    void drawsMatchReferencesBitForBit() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (int n : new int[] {1, 3, 7, 17, 63, 129, 50_001}) {
                for (long counter : new long[] {0, 5, 0xFFFF_FFFFL}) {
                    CpuBuffer e = CpuBuffer.allocate(dtype, n + 2);
                    CpuBuffer a = CpuBuffer.allocate(dtype, n + 2);
                    Rng.uniformReference(42, counter, e, 2, n, -1, 3);
                    Rng.uniform(42, counter, a, 2, n, -1, 3);
                    assertIdentical(e, a, 0, n + 2, "uniform " + dtype + " n=" + n + " counter=" + counter);
                    Rng.normalReference(7, counter, e, 1, n, 0.5, 2);
                    Rng.normal(7, counter, a, 1, n, 0.5, 2);
                    assertIdentical(e, a, 0, n + 2, "normal " + dtype + " n=" + n + " counter=" + counter);
                }
            }
        }
    }

    @Test
    void drawsDoNotDependOnThreads() {
        CpuBuffer one = CpuBuffer.allocate(DType.F32, 100_003);
        CpuBuffer two = CpuBuffer.allocate(DType.F32, 100_003);
        Fixtures.withThreads(1, () -> Rng.normal(3, 9, one, 0, 100_003, 0, 1));
        Fixtures.withThreads(2, () -> Rng.normal(3, 9, two, 0, 100_003, 0, 1));
        assertIdentical(one, two, 0, 100_003, "normal on 1 vs 2 threads");
    }
}
