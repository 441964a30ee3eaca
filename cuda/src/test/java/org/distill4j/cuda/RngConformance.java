package org.distill4j.cuda;

import org.distill4j.kernels.DType;
import org.junit.jupiter.api.Test;

/** rng.cu ({@link CudaRng}) against the CPU backend. */
abstract class RngConformance extends Conformance {

    @Test
    void uniformNumbersAreTheCpuStreamBitForBit() {
        for (DType t : FLOATING) {
            for (int n : new int[] {1, 7, 1001}) {
                Pair out = outputs(t, n + 3);
                CPU.uniform(0xDEADBEEFCAFEL, 123_456_789_012L, out.cpu(), 3, n, -2.5, 4.0);
                cuda().uniform(0xDEADBEEFCAFEL, 123_456_789_012L, out.cuda(), 3, n, -2.5, 4.0);
                assertClose("uniform n=" + n + " " + t, out, n + 3, 0, 0);
            }
        }
    }

    @Test
    void normalNumbersAreTheCpuStreamToTheLastBits() {
        for (DType t : FLOATING) {
            Pair out = outputs(t, 1003);
            // Counter near 2^32: the stream crosses into the counter's high word.
            CPU.normal(42, 0xFFFFFF00L, out.cpu(), 0, 1003, 1.5, 0.25);
            cuda().normal(42, 0xFFFFFF00L, out.cuda(), 0, 1003, 1.5, 0.25);
            // log, cos and sin may differ in the last bit between libdevice/glibc and Java.
            assertClose("normal " + t, out, 1003, t == DType.F32 ? 2.5e-7 : 1e-14, 1e-15);
        }
    }
}
