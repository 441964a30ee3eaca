package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.kernels.View;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The caching allocator when memory runs short (review risk 9): past its soft limit it asks the
 * JVM to collect dropped buffers and frees its cache (after the queued kernels are done) while
 * kernels that read the freed blocks may still be queued; a request the device cannot meet is an
 * {@link Device.OutOfDeviceMemoryException} and the backend keeps working.
 */
@Tag("gpu")
class AllocatorPressureTest {

    @Test
    void buffersPastTheSoftLimitAreRecycledAndResultsStayRight() throws Exception {
        boolean emulated = GpuUnderTest.emulated();
        long limit = emulated ? 1L << 20 : 256L << 20;
        int smallest = emulated ? 1 << 10 : 256 << 10;  // floats: 4 to 128 KiB emulated, 1 to 64 MiB on a GPU
        int largest = emulated ? 32 << 10 : 16 << 20;
        CudaBackend b = GpuUnderTest.another(limit, CudaBackend.DEFAULT_CONV_WORKSPACE, "allocator pressure test");
        Random random = new Random(5);
        ArrayDeque<Buffer[]> live = new ArrayDeque<>();
        int rounds = emulated ? 30 : 200;
        AutoCloseable lowered = emulated ? LaunchConfig.lowerLimits(16, 4) : () -> { };  // emulated: fewer blocks to walk
        try (lowered) {
            for (int i = 0; i < rounds; i++) {
                int n = smallest + random.nextInt(largest - smallest);
                Buffer x = b.allocate(DType.F32, n);
                b.fill(x, 0, n, i);
                Buffer y = b.allocate(DType.F32, n);
                int[] shape = {n};
                b.unary(UnaryOp.AFFINE, 2, 1, shape, View.contiguous(x, 0, shape), y, 0);  // queued behind the fill
                live.addLast(new Buffer[] {x, y});
                if (live.size() > 3) {
                    Buffer[] old = live.removeFirst();  // dropped while its kernels may still be queued
                    assertEquals(old[1].length(), old[0].length());
                }
                float[] ends = {b.downloadFloats(y, 0, 1)[0], b.downloadFloats(y, n - 1, 1)[0]};
                assertArrayEquals(new float[] {2 * i + 1, 2 * i + 1}, ends, "round " + i + " of " + n + " floats");
            }
            CachingAllocator.Stats s = b.allocatorStats();
            System.out.printf("allocator under pressure: %d device allocations for %d rounds, %d cache hits, peak %.1f MiB reserved "
                    + "(soft limit %d MiB)%n", s.deviceMallocs(), rounds, s.cacheHits(), s.peakBytesReserved() / 1048576.0, limit >> 20);
            assertTrue(s.peakBytesReserved() <= limit + 16L * largest, "peak reserved " + s.peakBytesReserved());
        } finally {
            live.clear();
            release(b);
        }
    }

    @Test
    void runningOutOfDeviceMemoryIsAnExceptionAndTheBackendStillWorks() throws InterruptedException {
        CudaBackend b = GpuUnderTest.another(64L << 20, CudaBackend.DEFAULT_CONV_WORKSPACE, "out-of-memory test");
        List<Buffer> held = new ArrayList<>();
        try {
            Device.OutOfDeviceMemoryException e = assertThrows(Device.OutOfDeviceMemoryException.class, () -> {
                for (int i = 0; i < 64; i++) {
                    held.add(b.newBuffer(DType.F64, Integer.MAX_VALUE));  // 16 GiB each, until the device is full
                }
            });
            assertTrue(e.getMessage().startsWith("CUDA out of memory: cannot allocate 16384"), e.getMessage());
            System.out.println("out of device memory after " + held.size() + " buffers of 16 GiB: " + e.getMessage());
            held.clear();
            release(b);
            Buffer x = b.upload(new float[] {1, 2, 3});
            Buffer y = b.allocate(DType.F32, 3);
            b.unary(UnaryOp.AFFINE, -1, 0, new int[] {3}, View.contiguous(x, 0, new int[] {3}), y, 0);
            assertArrayEquals(new float[] {-1, -2, -3}, b.downloadFloats(y, 0, 3));
        } finally {
            held.clear();
            release(b);
        }
    }

    /** Collects until the backend's buffers are back, then returns its cache to the device. */
    private static void release(CudaBackend b) throws InterruptedException {
        for (int i = 0; i < 200 && b.allocatorStats().bytesInUse() > 0; i++) {
            System.gc();
            Thread.sleep(10);
        }
        b.emptyCache();
    }
}
