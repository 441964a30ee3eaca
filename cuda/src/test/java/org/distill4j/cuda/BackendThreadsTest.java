package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.ReduceOp;
import org.distill4j.kernels.View;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Several threads on one backend at once, as {@code coreset-bench --jobs N --device cuda} does
 * (review risk 7): each thread binds the context on first use, all share the stream, the
 * allocator and the device lock, and a bad index is reported to the thread that made it.
 */
@Tag("gpu")
class BackendThreadsTest {

    @Test
    void fourThreadsOneOfThemFreshComputeTheSameAsAlone() throws Exception {
        boolean emulated = GpuUnderTest.emulated();
        fourThreads(GpuUnderTest.probed(), emulated ? 4 : 100, emulated ? 3_000 : 1_000_000);
    }

    @Test
    void aBadIndexIsReportedToTheThreadThatMadeItOnly() throws Exception {
        badIndexReportedToItsThreadOnly(GpuUnderTest.probed());
    }

    /** Three pool threads and a fresh one, {@code rounds} rounds of {@code n} elements each. */
    static void fourThreads(CudaBackend b, int rounds, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int seed = t;
                results.add(pool.submit(() -> work(b, seed, rounds, n)));
            }
            // A thread created here, that never touched CUDA before: its context must be bound on first use.
            AtomicReference<Object> fresh = new AtomicReference<>();
            Thread thread = new Thread(() -> {
                try {
                    fresh.set(work(b, 3, rounds, n));
                } catch (Throwable e) {
                    fresh.set(e);
                }
            }, "fresh CUDA thread");
            thread.start();
            for (Future<String> f : results) {
                assertEquals("ok", f.get(10, TimeUnit.MINUTES));
            }
            thread.join(TimeUnit.MINUTES.toMillis(10));
            if (fresh.get() instanceof Throwable e) {
                throw new AssertionError("the fresh thread failed", e);
            }
            assertEquals("ok", fresh.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code rounds} times: upload, square, sum, select rows by index, download; each checked on the host. */
    private static String work(CudaBackend b, int seed, int rounds, int n) {
        Random random = new Random(seed);
        for (int r = 0; r < rounds; r++) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (random.nextInt(201) - 100) / 8f;  // squares and their sums are exact in float and double
            }
            Buffer xb = b.upload(x);
            Buffer sq = b.allocate(DType.F32, n);
            int[] shape = {n};
            b.binary(BinaryOp.MUL, shape, View.contiguous(xb, 0, shape), View.contiguous(xb, 0, shape), sq, 0);
            Buffer sum = b.allocate(DType.F32, 1);
            b.reduce(ReduceOp.SUM, shape, View.contiguous(sq, 0, shape), new boolean[] {true}, sum, 0);
            int[] idx = {n - 1, 0, seed};
            Buffer picked = b.allocate(DType.F32, idx.length);
            b.indexSelect(1, n, 1, xb, 0, b.upload(idx), 0, idx.length, picked, 0);
            double expected = 0;
            for (float v : x) {
                expected += (double) v * v;
            }
            assertEquals(expected, b.downloadDoubles(sum, 0, 1)[0], 1e-6 * expected, "thread " + seed + " round " + r);
            assertArrayEquals(new float[] {x[n - 1], x[0], x[seed]}, b.downloadFloats(picked, 0, idx.length));
        }
        return "ok";
    }

    /** One thread's bad index, another thread's download in between: only the first thread hears of it. */
    static void badIndexReportedToItsThreadOnly(CudaBackend b) throws Exception {
        Buffer x = b.upload(new float[] {1, 2, 3, 4});
        Buffer out = b.allocate(DType.F32, 2);
        CountDownLatch launched = new CountDownLatch(1);
        CountDownLatch otherDone = new CountDownLatch(1);
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Future<Throwable> bad = two.submit(() -> {
                b.indexSelect(1, 4, 1, x, 0, b.upload(new int[] {1, 7}), 0, 2, out, 0);  // 7 is out of bounds
                launched.countDown();
                otherDone.await();
                return assertThrows(IndexOutOfBoundsException.class, () -> b.downloadFloats(out, 0, 2));
            });
            Callable<float[]> good = () -> {
                launched.await();
                Buffer mine = b.allocate(DType.F32, 2);
                b.indexSelect(1, 4, 1, x, 0, b.upload(new int[] {3, 0}), 0, 2, mine, 0);
                try {
                    return b.downloadFloats(mine, 0, 2);  // after the bad kernel, on another thread: no report here
                } finally {
                    otherDone.countDown();
                }
            };
            assertArrayEquals(new float[] {4, 1}, two.submit(good).get(5, TimeUnit.MINUTES));
            Throwable reported = bad.get(5, TimeUnit.MINUTES);
            assertEquals("index 7 out of bounds for axis of size 4 (in indexSelect on the GPU, reported at the next download)",
                    reported.getMessage());
        } finally {
            two.shutdownNow();
        }
    }
}
