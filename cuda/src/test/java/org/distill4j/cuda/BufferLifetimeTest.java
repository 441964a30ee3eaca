package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.DType;
import org.junit.jupiter.api.Test;

/**
 * Buffers the program drops come back to the allocator when the JVM collects them, and the next
 * step of a loop reuses them: after the first step, no device allocation at all.
 */
class BufferLifetimeTest {

    @Test
    void aLoopOfTemporaryBuffersAllocatesOnTheDeviceOnlyInItsFirstStep() throws InterruptedException {
        CudaBackend b = new CudaBackend(EmulatedDevice.shared(), d -> new KernelGemm(d, "test"), 1L << 30, () -> { },
                EmulatedKernelsTest.CONV_WORKSPACE);
        long baseline = b.allocatorStats().bytesInUse();  // the index-error status word
        long mallocsAfterFirstStep = 0;
        for (int step = 0; step < 4; step++) {
            for (int i = 0; i < 8; i++) {
                b.upload(new float[1000 + 100 * i]);
                Buffer y = b.allocate(DType.F64, 1000 + 100 * i);
                b.fill(y, 0, 10, step);
                assertTrue(b.allocatorStats().bytesInUse() > baseline);
            }
            awaitRelease(b, baseline);
            if (step == 0) {
                mallocsAfterFirstStep = b.allocatorStats().deviceMallocs();
            }
        }
        CachingAllocator.Stats s = b.allocatorStats();
        assertEquals(mallocsAfterFirstStep, s.deviceMallocs(), "device allocations after the first step");
        assertTrue(s.cacheHits() >= 3 * 16, "cache hits: " + s.cacheHits());
    }

    /** Collects until every buffer of the step is back (the Cleaner runs on its own thread). */
    private static void awaitRelease(CudaBackend b, long baseline) throws InterruptedException {
        for (int i = 0; i < 500 && b.allocatorStats().bytesInUse() > baseline; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(baseline, b.allocatorStats().bytesInUse(), "bytes still in use after collections");
    }
}
