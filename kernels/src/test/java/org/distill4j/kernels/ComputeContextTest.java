package org.distill4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.distill4j.kernels.cpu.CpuBackend;
import org.distill4j.kernels.cpu.Gemm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ComputeContextTest {
    @AfterEach
    void noContextLeftOpen() {
        assertSame(ComputeContext.jvmDefault(), ComputeContext.current(), "a test left a context open");
    }

    @Test
    void aThreadThatOpensNoneSeesTheJvmDefault() {
        ComputeContext d = ComputeContext.current();
        assertSame(ComputeContext.jvmDefault(), d);
        assertSame(CpuBackend.get(), d.backend());
        assertEquals(DType.F32, d.dtype());
        assertEquals(Integer.getInteger("distill4j.threads", Runtime.getRuntime().availableProcessors()), d.threads());
        assertTrue(d.isOpen());
    }

    @Test
    void nestedContextsRestoreTheOuterOneAndInheritWhatTheyDoNotSet() {
        try (ComputeContext outer = ComputeContext.cpu().threads(3).dtype(DType.F64).open()) {
            assertSame(outer, ComputeContext.current());
            try (ComputeContext inner = ComputeContext.builder().threads(1).open()) {
                assertSame(inner, ComputeContext.current());
                assertEquals(1, inner.threads());
                assertEquals(DType.F64, inner.dtype(), "unset: the enclosing context's dtype");
                assertSame(CpuBackend.get(), inner.backend());
            }
            assertSame(outer, ComputeContext.current());
            assertEquals(3, ComputeContext.current().threads());
            assertEquals(DType.F64, ComputeContext.current().dtype());
        }
        assertSame(ComputeContext.jvmDefault(), ComputeContext.current());
    }

    @Test
    void closingTwiceIsAnErrorThatSaysSo() {
        ComputeContext c = ComputeContext.cpu().threads(2).open();
        c.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, c::close);
        assertEquals("compute context [cpu, 2 threads, F32] is already closed", e.getMessage());
        assertFalse(c.isOpen());
    }

    @Test
    void closingOutOfOrderIsAnErrorAndChangesNothing() {
        ComputeContext outer = ComputeContext.cpu().threads(2).open();
        ComputeContext inner = ComputeContext.builder().threads(1).open();
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertEquals("compute context [cpu, 2 threads, F32] closed out of order: [cpu, 1 thread, F32], opened after it,"
                + " is still open; close the inner context first", e.getMessage());
        assertSame(inner, ComputeContext.current());
        assertTrue(outer.isOpen());
        inner.close();
        outer.close();
    }

    @Test
    void closingOnAnotherThreadOrTheDefaultIsAnError() throws Exception {
        String owner = Thread.currentThread().getName();
        try (ComputeContext c = ComputeContext.cpu().threads(2).open()) {
            Thread t = new Thread(() -> {
                IllegalStateException e = assertThrows(IllegalStateException.class, c::close);
                assertEquals("compute context [cpu, 2 threads, F32] was opened on thread '" + owner
                        + "' and must be closed there, not on 'other'", e.getMessage());
            }, "other");
            Throwable[] failure = new Throwable[1];
            t.setUncaughtExceptionHandler((th, x) -> failure[0] = x);
            t.start();
            t.join();
            if (failure[0] != null) {
                throw new AssertionError(failure[0]);
            }
            assertTrue(c.isOpen());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ComputeContext.jvmDefault().close());
        assertEquals("the JVM default compute context cannot be closed", e.getMessage());
    }

    @Test
    void aBadThreadCountOrDeviceIsRefusedBeforeAnythingOpens() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputeContext.cpu().threads(0));
        assertEquals("thread count must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ComputeContext.device("tpu"));
        assertEquals("unknown device 'tpu': expected one of auto, cpu, cuda", e.getMessage());
    }

    @Test
    void newThreadsDoNotInheritAContextButWrappedTasksRunUnderIt() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (ComputeContext c = ComputeContext.cpu().threads(2).dtype(DType.F64).open()) {
            assertSame(ComputeContext.jvmDefault(), pool.submit(ComputeContext::current).get());
            assertSame(c, pool.submit(c.wrap(ComputeContext::current)).get());
            // and the pool thread is back on its own context afterwards
            assertSame(ComputeContext.jvmDefault(), pool.submit(ComputeContext::current).get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void parallelForUsesAtMostTheCallersThreadsAndTheCallersContext() {
        for (int threads = 1; threads <= 3; threads++) {
            try (ComputeContext c = ComputeContext.cpu().threads(threads).open()) {
                Set<ComputeContext> contexts = ConcurrentHashMap.newKeySet();
                boolean callerWorked = false;
                for (int rep = 0; rep < 50; rep++) {
                    // Pool threads come and go between regions; the limit holds within each one.
                    Set<Thread> seen = ConcurrentHashMap.newKeySet();
                    ParallelFor.range(64, 1, (from, to) -> {
                        seen.add(Thread.currentThread());
                        contexts.add(ComputeContext.current());
                        busy(20_000);
                    });
                    assertTrue(seen.size() <= threads, seen.size() + " threads ran a region of a " + threads + "-thread context");
                    callerWorked |= seen.contains(Thread.currentThread());
                }
                assertTrue(callerWorked, "the caller works too");
                assertEquals(Set.of(c), contexts, "helpers run the body under the caller's context");
            }
        }
    }

    @Test
    void twoContextsSideBySideGiveTheBitsEachGivesAlone() throws Exception {
        int m = 257, n = 301, k = 603;
        SplittableRandom rng = new SplittableRandom(42);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        // Alone, on this thread, one after the other.
        float[] alone1 = work(1, a, b, m, n, k);
        float[] alone2 = work(2, a, b, m, n, k);
        // Side by side: one thread with a 1-thread context, another with a 2-thread one, started together.
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                CyclicBarrier start = new CyclicBarrier(2);
                Future<float[]> r1 = two.submit(() -> {
                    start.await();
                    return work(1, a, b, m, n, k);
                });
                Future<float[]> r2 = two.submit(() -> {
                    start.await();
                    return work(2, a, b, m, n, k);
                });
                assertArrayEquals(alone1, r1.get());
                assertArrayEquals(alone2, r2.get());
            }
        } finally {
            two.shutdownNow();
        }
        assertArrayEquals(alone1, alone2, "and the thread count never changes the bits");
    }

    /** A GEMM and a parallel reduction in fixed chunks, in a context of {@code threads} threads that must stay current. */
    private static float[] work(int threads, float[] a, float[] b, int m, int n, int k) {
        try (ComputeContext c = ComputeContext.cpu().threads(threads).open()) {
            float[] out = new float[m * n + 8];
            for (int rep = 0; rep < 4; rep++) {
                Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, rep == 0 ? 0f : 0.5f, out, 0, n);
                float[] partial = new float[8];
                ParallelFor.range(8, 1, (from, to) -> {
                    for (int p = from; p < to; p++) {
                        float s = 0;
                        for (int i = p; i < m * n; i += 8) {
                            s += out[i];
                        }
                        partial[p] = s;
                    }
                });
                System.arraycopy(partial, 0, out, m * n, 8);
                if (ComputeContext.current() != c || c.threads() != threads) {
                    throw new AssertionError("the context changed under the work");
                }
            }
            return out;
        }
    }

    private static void busy(long nanos) {
        for (long start = System.nanoTime(); System.nanoTime() - start < nanos; ) {
            Thread.onSpinWait();
        }
    }
}
