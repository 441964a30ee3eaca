package org.distill4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
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

/** EJML's single-threaded float GEMM, the baseline: CommonOps_FDRM.mult. Read the {@code :flops} line: GFLOPS. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class EjmlBenchmark {
    @Param({"256", "512", "1024"})
    public int n;

    private FMatrixRMaj a;
    private FMatrixRMaj b;
    private FMatrixRMaj c;

    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(n);
        a = new FMatrixRMaj(n, n, true, Matrices.random(rng, n * n));
        b = new FMatrixRMaj(n, n, true, Matrices.random(rng, n * n));
        c = new FMatrixRMaj(n, n);
    }

    @Benchmark
    public FMatrixRMaj mult(FlopCounter counter) {
        CommonOps_FDRM.mult(a, b, c);
        counter.flops += 2.0 * n * n * n;
        return c;
    }
}
