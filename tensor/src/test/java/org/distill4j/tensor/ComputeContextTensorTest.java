package org.distill4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.kernels.DType;
import org.junit.jupiter.api.Test;

/** Tensors under {@link ComputeContext}s: seeded work gives the same bits side by side as alone. */
class ComputeContextTensorTest {

    /** Seeded tensors through a few parallel ops: two matrix products, a softmax, a reduction. */
    private static float[] seededWork(int threads, long seed) {
        try (ComputeContext c = ComputeContext.cpu().threads(threads).open()) {
            Generator gen = new Generator(seed);
            Tensor x = Tensor.randn(gen, DType.F32, 192, 384);
            Tensor w1 = Tensor.randn(gen, DType.F32, 384, 256);
            Tensor w2 = Tensor.randn(gen, DType.F32, 256, 64);
            Tensor h = Gemm.matmul(x, w1);
            Tensor y = Softmax.softmax(Gemm.matmul(h, w2), 1);
            Tensor s = Reduce.sum(h, new int[] {0}, false);
            assertSame(c, ComputeContext.current());
            float[] a = y.toFloatArray();
            float[] b = s.toFloatArray();
            float[] out = new float[a.length + b.length];
            System.arraycopy(a, 0, out, 0, a.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }

    @Test
    void twoContextsOnTwoThreadsGiveTheBitsEachGivesAlone() throws Exception {
        float[] alone1 = seededWork(1, 11);
        float[] alone2 = seededWork(2, 11);
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                CyclicBarrier start = new CyclicBarrier(2);
                Future<float[]> one = two.submit(() -> {
                    start.await();
                    return seededWork(1, 11);
                });
                Future<float[]> twoThreads = two.submit(() -> {
                    start.await();
                    return seededWork(2, 11);
                });
                assertArrayEquals(alone1, one.get(), "1-thread context beside a 2-thread one");
                assertArrayEquals(alone2, twoThreads.get(), "2-thread context beside a 1-thread one");
            }
        } finally {
            two.shutdownNow();
        }
        assertArrayEquals(alone1, alone2, "the thread count does not change the bits");
    }

    @Test
    void adoptUsesTheArrayItselfOnTheCpu() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.adopt(data, 2, 3);
        data[4] = 50;
        assertEquals(50f, t.toFloatArray()[4], "adopted, not copied");
        Tensor copied = Tensor.fromFloats(data, 2, 3);
        data[4] = 5;
        assertEquals(50f, copied.toFloatArray()[4], "fromFloats copies");
    }

    /** The README's "Choosing the device and threads" example. */
    @Test
    void readmeExample() {
        try (ComputeContext c = ComputeContext.auto().threads(2).open()) {   // CUDA if usable, else the CPU
            String why = c.note();                                            // why CUDA was not used, or ""
            Generator gen = new Generator(0);
            Tensor x = Tensor.randn(gen, c.dtype(), 64, 32);                  // on c.backend()
            Tensor y = Gemm.matmul(x, Tensor.randn(gen, c.dtype(), 32, 10)); // at most 2 CPU threads
            try (ComputeContext one = ComputeContext.builder().threads(1).open()) {
                Tensor z = Softmax.softmax(y, 1);                             // same device, 1 thread
                assertSame(c.backend(), one.backend());
                assertSame(c.backend(), z.backend());
                assertEquals(1, ComputeContext.current().threads());
            }
            assertEquals(2, ComputeContext.current().threads());
            assertSame(c.backend(), y.backend());
            assertEquals(DType.F32, y.dtype());
        }
        assertSame(ComputeContext.jvmDefault(), ComputeContext.current());
    }
}
