package org.distill4j.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.distill4j.autodiff.Autodiff;
import org.distill4j.autodiff.LossOps;
import org.distill4j.autodiff.Var;
import org.distill4j.distill.DistilledLeaves;
import org.distill4j.distill.UnrolledTraining;
import org.distill4j.kernels.Backend;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.cpu.CpuBackend;
import org.distill4j.nn.Init;
import org.distill4j.nn.Mode;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.optim.Adam;
import org.distill4j.optim.Sgd;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;

/**
 * scripts/gpu-check's timings: the same work on the CUDA backend under test ({@link GpuUnderTest})
 * and on the CPU backend of the same machine (all its cores), median milliseconds of a few timed
 * runs after a warm-up, written as a Markdown table: SGEMM 1024 and 4096, one training step of
 * LeNet and of ConvNet-3 at batch 256 (forward, backward, SGD with momentum), and one outer
 * iteration of Wang et al.'s dataset distillation (LeNet, 10 images, 10 steps of 3 epochs, a real
 * batch of 1024: the hypergradient and its Adam step). Each run ends with a download, which
 * waits for the queued kernels. On the emulated device every size is cut down and the times mean
 * nothing but that the code runs: the table says so.
 *
 * <pre>java ... org.distill4j.cuda.GpuTimings OUT.md [seconds per row; 0: one run, no warm-up]</pre>
 */
public final class GpuTimings {
    private static final int BATCH = 256;

    private record Row(String what, double cudaMs, double cpuMs, String note) {
    }

    private GpuTimings() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "timings.md");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        boolean emulated = GpuUnderTest.emulated();
        CudaBackend cuda = GpuUnderTest.probed();
        Backend cpu = CpuBackend.get();
        int threads = Runtime.getRuntime().availableProcessors();
        int batch = emulated ? 1 : BATCH;
        Table rows = new Table(out, cuda.description(), threads, emulated);
        for (int n : emulated ? new int[] {32, 64} : new int[] {1024, 4096}) {
            double flop = 2.0 * n * n * n;
            Row r = row("SGEMM " + n, cuda, cpu, threads, seconds, () -> sgemm(n));
            rows.add(new Row(r.what, r.cudaMs, r.cpuMs, String.format(Locale.ROOT, "CUDA %.1f GFLOP/s (%s), CPU %.1f GFLOP/s",
                    flop / r.cudaMs / 1e6, cuda.gemmEngine(), flop / r.cpuMs / 1e6)));
        }
        int[] input = {1, 28, 28};
        rows.add(row("LeNet training step, batch " + batch, cuda, cpu, threads, seconds,
                () -> trainingStep(Models.lenet(input, 10), batch)));
        // ConvNet-3 is 128 channels wide; emulated, 8 (the same code, a sixteenth of the work per layer).
        rows.add(row("ConvNet-3" + (emulated ? " (width 8)" : "") + " training step, batch " + batch, cuda, cpu, threads, seconds,
                () -> trainingStep(Models.convnet(input, 10, emulated ? 8 : 128, 3), batch)));
        rows.add(row(emulated ? "Wang et al. outer iteration (an MLP of 16 units, 10 images, 1 step x 1 epoch, real batch 2)"
                : "Wang et al. outer iteration (LeNet, 10 images, 10 steps x 3 epochs, real batch 1024)",
                cuda, cpu, threads, seconds, () -> distillationIteration(emulated)));
    }

    /** The Markdown table, written again after every row, so that a run stopped at its time limit leaves what it measured. */
    private record Table(Path out, String device, int threads, boolean emulated, List<Row> rows) {
        Table(Path out, String device, int threads, boolean emulated) {
            this(out, device, threads, emulated, new ArrayList<>());
        }

        void add(Row r) throws IOException {
            rows.add(r);
            System.out.printf(Locale.ROOT, "%s: CUDA %.2f ms, CPU %.2f ms%n", r.what, r.cudaMs, r.cpuMs);
            List<String> lines = new ArrayList<>();
            lines.add("Device: " + device + "; CPU: " + threads + " threads (" + System.getProperty("os.arch") + ").");
            if (emulated) {
                lines.add("");
                lines.add("**Emulated device: sizes cut down (SGEMM 32 and 64, batch 1, ConvNet width 8, an MLP for the distillation "
                        + "iteration), one run each without a warm-up: the times mean nothing** beyond showing that every timed path runs.");
            }
            lines.add("");
            lines.add("| what | CUDA ms | CPU ms | CPU / CUDA | note |");
            lines.add("|---|---:|---:|---:|---|");
            for (Row x : rows) {
                lines.add(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.1fx | %s |", x.what, x.cudaMs, x.cpuMs, x.cpuMs / x.cudaMs, x.note));
            }
            Files.write(out, lines);
        }
    }

    /** The median ms of {@code work} on each backend: a warm-up run, then runs for about {@code seconds} (1 to 20 of them). */
    private static Row row(String what, Backend cuda, Backend cpu, int threads, double seconds, Supplier<Runnable> work) {
        System.out.println("timing " + what);
        double c = median(ComputeContext.on(cuda).threads(1), seconds, work);
        double p = median(ComputeContext.on(cpu).threads(threads), seconds, work);
        return new Row(what, c, p, "");
    }

    private static double median(ComputeContext.Builder context, double seconds, Supplier<Runnable> work) {
        try (ComputeContext c = context.open()) {
            Runnable run = work.get();  // inputs made on this backend
            if (seconds > 0) {
                run.run();  // warm-up: JIT, module loading, the allocator's first blocks
            }
            List<Double> ms = new ArrayList<>();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (ms.isEmpty() || System.nanoTime() < end && ms.size() < 20) {
                long t0 = System.nanoTime();
                run.run();
                ms.add((System.nanoTime() - t0) / 1e6);
            }
            double[] sorted = ms.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }
    }

    private static Runnable sgemm(int n) {
        Generator gen = new Generator(1);
        Tensor a = Tensor.randn(gen, DType.F32, n, n);
        Tensor b = Tensor.randn(gen, DType.F32, n, n);
        return () -> org.distill4j.tensor.Gemm.matmul(a, b).slice(0, 0, 1).slice(1, 0, 1).item();  // the download waits for the product
    }

    private static Runnable trainingStep(Model model, int batch) {
        Generator gen = new Generator(1);
        Params params = model.init(gen, DType.F32);
        Tensor x = Tensor.randn(gen, DType.F32, batch, 1, 28, 28);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 10;
        }
        Tensor y = Tensor.fromInts(labels, batch);
        Sgd sgd = new Sgd(0.01, 0.9, 0, false);
        return () -> {
            Var loss = LossOps.crossEntropy(model.forward(params, Var.constant(x), Mode.TRAIN), y);
            sgd.step(params, Autodiff.grad(loss, params.array()));
            loss.value().item();
        };
    }

    private static Runnable distillationIteration(boolean emulated) {
        Generator gen = new Generator(2);
        Model model = emulated ? Models.mlp(new int[] {1, 28, 28}, 16, 10) : Models.lenet(new int[] {1, 28, 28}, 10);
        int steps = emulated ? 1 : 10;
        int epochs = emulated ? 1 : 3;
        DistilledLeaves leaves = DistilledLeaves.init(gen.fork(1), DType.F32, model.inputShape(), 10, 1, steps, epochs, 0.02, false);
        Params learnable = leaves.asParams();
        Adam adam = new Adam(0.01, 0.5, 0.999);
        int real = emulated ? 2 : 1024;
        Tensor realX = Tensor.randn(gen.fork(2), DType.F32, real, 1, 28, 28);
        int[] labels = new int[real];
        for (int i = 0; i < real; i++) {
            labels[i] = i % 10;
        }
        Tensor realY = Tensor.fromInts(labels, real);
        Params init = model.init(gen.fork(3), DType.F32, Init.XAVIER_NORMAL);
        return () -> {
            UnrolledTraining.Hypergradient g = UnrolledTraining.hypergradient(model, init, leaves, realX, realY,
                    UnrolledTraining.Memory.KEEP);
            List<Tensor> grads = new ArrayList<>(Arrays.asList(g.images()));
            grads.addAll(Arrays.asList(g.rawLrs()));
            adam.step(learnable, grads.toArray(new Tensor[0]));
            learnable.array()[0].value().slice(0, 0, 1).toDoubleArray();  // waits for the update
        };
    }
}
