package org.distill4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-core FP32 FMA peak. The score is in FLOP per nanosecond, which is GFLOPS (the ops count
 * assumes 256-bit vectors, the width {@link FmaPeak} uses on AVX2 and AVX-512 machines).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeakBenchmark {
    private static final long ITERATIONS = 1 << 20;
    /** {@code 2 flops x 12 chains x 8 lanes} per iteration. */
    private static final int FLOPS = (int) (ITERATIONS * 2 * 12 * 8);

    public float seed = 1f;

    @Setup
    public void checkWidth() {
        if (FmaPeak.flopsPerIteration() != 2 * 12 * 8) {
            throw new IllegalStateException("FmaPeakBenchmark counts 8-lane vectors, this machine uses "
                    + FmaPeak.flopsPerIteration() / 24 + "; use GemmBench's peak instead");
        }
    }

    @Benchmark
    @OperationsPerInvocation(FLOPS)
    public float fma() {
        return FmaPeak.run(ITERATIONS, seed);
    }
}
