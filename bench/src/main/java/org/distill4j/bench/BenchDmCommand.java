package org.distill4j.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.data.Dataset;
import org.distill4j.data.Normalization;
import org.distill4j.data.Splits;
import org.distill4j.distill.DistributionMatching;
import org.distill4j.distill.DmConfig;
import org.distill4j.io.Json;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.options.CommonOptions;
import org.distill4j.options.Progress;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j bench dm}: seconds per distribution-matching iteration (ConvNet-3, Fashion-MNIST
 * shapes, 10 classes, 256 real images per class, DSA), the twin of bench/pytorch/dm_iteration.py;
 * scripts/bench-dm-vs-pytorch runs the two alternately.
 */
@Command(name = "dm", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Seconds per DM iteration (ConvNet-3, 28x28, 10 classes); compare with scripts/bench-dm-vs-pytorch.")
public final class BenchDmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--ipc", defaultValue = "10", paramLabel = "N", description = "Synthetic images per class.")
    int ipc;

    @Option(names = "--batch-real", defaultValue = "256", paramLabel = "N", description = "Real images per class per iteration.")
    int batchReal;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "N", description = "Untimed iterations (JIT compilation).")
    int warmup;

    @Option(names = "--iterations", defaultValue = "5", paramLabel = "N", description = "Timed iterations (the median is reported).")
    int iterations;

    @Option(names = "--json", description = "Also print {\"seconds_per_iteration\": ...} as the last line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (ipc < 1 || batchReal < 1 || warmup < 0 || iterations < 1) {
            throw new IllegalArgumentException("--ipc, --batch-real and --iterations must be >= 1 and --warmup >= 0");
        }
        Progress progress = Progress.lines(spec.commandLine().getErr());
        String note = common.apply();
        if (note != null) {
            progress.line(note);
        }
        // Random images of Fashion-MNIST's shape: the time does not depend on their values.
        int perClass = batchReal + 44;
        int n = 10 * perClass;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        Tensor images = Tensor.randn(new Generator(0), DType.F32, n, 1, 28, 28);
        Dataset train = new Dataset("random-fashion-mnist-shapes", images, labels, 10);
        Splits data = new Splits(train, null, Normalization.of(new double[]{0}, new double[]{1}));
        Model convnet = Models.byName("convnet", new int[]{1, 28, 28}, 10);
        DmConfig cfg = DmConfig.builder().ipc(ipc).batchReal(batchReal).iterations(warmup + iterations).evalEvery(0).build();
        List<Double> times = new ArrayList<>();
        long[] last = {System.nanoTime()};
        DistributionMatching.distill(convnet, data, "random", cfg, DType.F32, null, (it, total, loss, perIt, eta) -> {
            long now = System.nanoTime();
            double s = (now - last[0]) / 1e9;
            last[0] = now;
            if (it > warmup) {
                times.add(s);
                progress.line(String.format(Locale.ROOT, "distill4j dm iteration %d: %.2f s (loss %.4f)", it - warmup, s, loss));
            }
        });
        List<Double> sorted = new ArrayList<>(times);
        sorted.sort(null);
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "DM iteration, ipc %d, %d real images per class, %s: %.2f s (median of %d)%n", ipc, batchReal,
                Progress.count(ComputeContext.current().threads(), "thread"), median, times.size());
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("seconds_per_iteration", median);
            o.put("ipc", ipc);
            o.put("threads", ComputeContext.current().threads());
            out.println(Json.write(o));
        }
        out.flush();
        return 0;
    }
}
