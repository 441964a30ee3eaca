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

/**
 * Our SGEMM at the shapes of a LeNet and a ConvNet-3 training step at batch 256
 * ({@link TrainingStepShapes}). Read the {@code :flops} line: GFLOPS. The largest operands are
 * about 300 MB, so give the fork a few GB of heap (JMH's default of a quarter of memory does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainingStepGemmBenchmark {
    @Param({
        "lenet.conv1.forward",
        "lenet.conv1.data",
        "lenet.conv1.weight",
        "lenet.conv2.forward",
        "lenet.conv2.data",
        "lenet.conv2.weight",
        "lenet.fc1.forward",
        "lenet.fc1.data",
        "lenet.fc1.weight",
        "lenet.fc2.forward",
        "lenet.fc2.data",
        "lenet.fc2.weight",
        "lenet.fc3.forward",
        "lenet.fc3.data",
        "lenet.fc3.weight",
        "convnet.conv1.forward",
        "convnet.conv1.data",
        "convnet.conv1.weight",
        "convnet.conv2.forward",
        "convnet.conv2.data",
        "convnet.conv2.weight",
        "convnet.conv3.forward",
        "convnet.conv3.data",
        "convnet.conv3.weight",
        "convnet.fc.forward",
        "convnet.fc.data",
        "convnet.fc.weight"
    })
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private TrainingStepShapes.Shape s;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setUp() {
        s = TrainingStepShapes.ALL.get(shape);
        if (s == null) {
            throw new IllegalArgumentException("unknown shape " + shape + ", expected one of " + TrainingStepShapes.ALL.keySet());
        }
        SplittableRandom rng = new SplittableRandom(shape.hashCode());
        a = Matrices.random(rng, s.m() * s.k());
        b = Matrices.random(rng, s.k() * s.n());
        c = new float[s.m() * s.n()];
    }

    @Benchmark
    public float[] sgemm(FlopCounter counter) {
        int lda = s.transA() ? s.m() : s.k();
        int ldb = s.transB() ? s.k() : s.n();
        // Opened per call: JMH may run setup and measurement on different threads, and it costs nanoseconds.
        try (ComputeContext ignored = ComputeContext.cpu().threads(threads).open()) {
            Gemm.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, s.n());
        }
        counter.flops += s.flops();
        return c;
    }
}
