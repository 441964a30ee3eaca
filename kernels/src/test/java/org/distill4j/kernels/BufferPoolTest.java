package org.distill4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicReference;
import org.distill4j.kernels.cpu.CpuBackend;
import org.distill4j.kernels.cpu.CpuBuffer;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
    private final Backend cpu = CpuBackend.get();

    @Test
    void aStepsBuffersServeTheNextStepClearedUnlessAskedUninitialized() {
        BufferPool pool = new BufferPool();
        Buffer first;
        Buffer second;
        try (BufferPool.Step s = pool.step()) {
            first = cpu.allocate(DType.F32, 5000);
            second = cpu.allocate(DType.F32, 5000);
            ((CpuBuffer) first).floats()[7] = 3f;
            ((CpuBuffer) second).floats()[9] = 4f;
        }
        try (BufferPool.Step s = pool.step()) {
            Buffer a = cpu.allocate(DType.F32, 5000);
            Buffer b = cpu.allocateUninitialized(DType.F32, 5000);
            assertSame(second, a);
            assertSame(first, b);
            assertEquals(0f, ((CpuBuffer) a).floats()[9]);   // cleared
            assertEquals(3f, ((CpuBuffer) b).floats()[7]);   // as its last user left it
            Buffer other = cpu.allocate(DType.F64, 5000);    // another dtype: a fresh one
            assertEquals(0d, ((CpuBuffer) other).doubles()[0]);
        }
        assertArrayEquals(new long[]{2, 3}, pool.counts());
    }

    @Test
    void outsideAStepOutsideThePoolAndOnOtherThreadsBuffersAreFresh() throws InterruptedException {
        BufferPool pool = new BufferPool();
        Buffer kept;
        try (BufferPool.Step s = pool.step()) {
            Buffer[] made = new Buffer[1];
            BufferPool.outside(() -> made[0] = cpu.allocate(DType.F32, 4096));
            kept = made[0];
            AtomicReference<BufferPool.Step> seen = new AtomicReference<>();
            Thread t = new Thread(() -> seen.set(BufferPool.current()));
            t.start();
            t.join();
            assertEquals(null, seen.get());
            cpu.allocate(DType.F32, 16);   // too small to pool
        }
        assertEquals(null, BufferPool.current());
        try (BufferPool.Step s = pool.step()) {
            assertNotSame(kept, cpu.allocate(DType.F32, 4096));
        }
        assertArrayEquals(new long[]{0, 1}, pool.counts());
        assertNotSame(cpu.allocate(DType.F32, 4096), cpu.allocate(DType.F32, 4096));
    }

    @Test
    void aFullPoolLeavesTheRestToTheCollector() {
        BufferPool pool = new BufferPool(4 * 3000);
        try (BufferPool.Step s = pool.step()) {
            cpu.allocate(DType.F32, 2000);
            cpu.allocate(DType.F32, 2000);
        }
        try (BufferPool.Step s = pool.step()) {
            cpu.allocate(DType.F32, 2000);
            cpu.allocate(DType.F32, 2000);
        }
        assertArrayEquals(new long[]{1, 3}, pool.counts());
    }
}
