package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulation keeps CUDA's promises (src/test/native/emulation_selftest.cu): barriers, shared
 * memory per block, warp shuffles, atomics; and it reports a barrier that threads returned from.
 * Without these, a kernel test passing on the emulator would mean little.
 */
class EmulationSelfTest {
    private static EmulatedDevice device;

    @BeforeAll
    static void start() {
        device = EmulatedDevice.start();  // its own process: one test crashes it on purpose
    }

    @AfterAll
    static void stop() {
        if (device != null) {
            device.close();
        }
    }

    @Test
    void syncthreadsIsABarrierAndSharedMemoryIsPerBlock() {
        int blocks = 3;
        int threads = 256;
        int[] data = new int[blocks * threads];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        long p = device.malloc(4L * data.length);
        device.copyIn(p, data);
        device.launch("selftest_reverse", new LaunchConfig(blocks, 1, 1, threads, 1, 1), new KernelArgs().pointer(p));
        int[] back = new int[data.length];
        device.copyOut(p, back);
        for (int b = 0; b < blocks; b++) {
            for (int t = 0; t < threads; t++) {
                assertEquals(b * threads + threads - 1 - t, back[b * threads + t], "block " + b + " thread " + t);
            }
        }
        device.free(p);
    }

    @Test
    void shufflesExchangeWithinAWarpOnly() {
        int threads = 64 + 16;  // two full warps and a partial one
        long p = device.malloc(16L * threads);
        device.launch("selftest_shuffles", new LaunchConfig(1, 1, 1, threads, 1, 1), new KernelArgs().pointer(p));
        int[] out = new int[4 * threads];
        device.copyOut(p, out);
        for (int t = 0; t < 64; t++) {
            int lane = t % 32;
            assertArrayEquals(new int[] {496, lane < 31 ? lane + 1 : lane, lane ^ 3, 5},
                    new int[] {out[4 * t], out[4 * t + 1], out[4 * t + 2], out[4 * t + 3]}, "thread " + t);
        }
        device.free(p);
    }

    @Test
    void atomicsDoNotLoseUpdates() {
        long count = device.malloc(4);
        long sum = device.malloc(8);
        device.zero(count, 4);
        device.zero(sum, 8);
        device.launch("selftest_atomics", new LaunchConfig(5, 1, 1, 128, 1, 1), new KernelArgs().pointer(count).pointer(sum));
        int[] c = new int[1];
        double[] s = new double[1];
        device.copyOut(count, c);
        device.copyOut(sum, s);
        assertEquals(640, c[0]);
        assertEquals(320.0, s[0]);
    }

    @Test
    void aBarrierAfterAnEarlyReturnIsReported() {
        EmulatedDevice own = EmulatedDevice.start();
        try {
            long p = own.malloc(256);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> own.launch("selftest_early_return", new LaunchConfig(1, 1, 1, 64, 1, 1), new KernelArgs().pointer(p)));
            assertTrue(e.getMessage().contains("__syncthreads"), e.getMessage());
        } finally {
            own.close();
        }
    }
}
