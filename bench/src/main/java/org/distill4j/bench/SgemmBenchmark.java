package org.distill4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.kernels.cpu.Gemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Our SGEMM on square {@code n x n} matrices, C = A B. Read the {@code :flops} line: GFLOPS. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SgemmBenchmark {
    @Param({"256", "512", "1024"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(n);
        a = Matrices.random(rng, n * n);
        b = Matrices.random(rng, n * n);
        c = new float[n * n];
    }

    /** The context is opened per call: JMH may run setup and measurement on different threads, and it costs nanoseconds. */
    @Benchmark
    public float[] sgemm(FlopCounter counter) {
        try (ComputeContext ignored = ComputeContext.cpu().threads(threads).open()) {
            Gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
        }
        counter.flops += 2.0 * n * n * n;
        return c;
    }
}
