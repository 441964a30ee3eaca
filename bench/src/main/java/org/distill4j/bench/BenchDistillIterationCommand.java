package org.distill4j.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.data.DataSets;
import org.distill4j.data.Splits;
import org.distill4j.distill.DistillConfig;
import org.distill4j.distill.DistilledSet;
import org.distill4j.distill.UnrolledDistiller;
import org.distill4j.distill.UnrolledTraining;
import org.distill4j.io.Json;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.options.CommonOptions;
import org.distill4j.options.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j bench distill-iteration}: seconds per outer iteration of Wang et al.'s dataset
 * distillation ({@link UnrolledDistiller}, the path {@code distill4j distill} runs), random
 * initialisations, LeNet, 10 images a class, T = 30, real batch 1024 by default; the first
 * iterations (JIT warm-up) are reported apart from the median of the rest. No evaluation.
 */
@Command(name = "distill-iteration", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Seconds per outer iteration of dataset distillation (Wang et al.; LeNet, 100 images, T = 30, real batch 1024).")
public final class BenchDistillIterationCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME", description = "Data set name or path.")
    String dataset;

    @Option(names = "--model", defaultValue = "lenet", paramLabel = "NAME", description = "The network the images are distilled for.")
    String model;

    @Option(names = "--iterations", defaultValue = "30", paramLabel = "N", description = "Outer iterations.")
    int iterations;

    @Option(names = "--warmup", defaultValue = "5", paramLabel = "N", description = "First iterations left out of the median (JIT warm-up).")
    int warmup;

    @Option(names = "--memory", defaultValue = "keep", paramLabel = "keep|recompute", description = "The unrolled graph's memory mode.")
    String memory;

    @Option(names = "--batch-real", defaultValue = "1024", paramLabel = "N", description = "Real images per iteration.")
    int batchReal;

    @Option(names = "--json", description = "Also print the figures as one JSON object, the last line of stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Progress progress = Progress.lines(spec.commandLine().getErr());
        if (iterations <= warmup || warmup < 0) {
            throw new IllegalArgumentException("--iterations must exceed --warmup (>= 0), got " + iterations + " and " + warmup);
        }
        Models.checkName(model);
        String note = common.apply();
        if (note != null) {
            progress.line(note);
        }
        Splits data = DataSets.loadNormalized(dataset, common.data, null);
        Model m = Models.byName(model, data.train().imageShape(), data.train().classes());
        DistillConfig cfg = DistillConfig.builder().ipc(1).steps(10).epochs(3).iterations(iterations).batchReal(batchReal)
                .seed(0).init(DistillConfig.Init.of("random"))
                .memory(UnrolledTraining.Memory.valueOf(memory.toUpperCase(Locale.ROOT))).evalEvery(0).build();
        List<Double> seconds = new ArrayList<>();
        List<Double> cpuSeconds = new ArrayList<>();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long[] cpuMark = {os.getProcessCpuTime()};
        double[] lastLoss = {Double.NaN};
        Splits noTest = new Splits(data.train(), null, data.norm());
        DistilledSet set = UnrolledDistiller.distill(m, noTest, dataset, cfg, DType.F32, (it, total, loss, secs, acc) -> {
            seconds.add(secs);
            long cpuNow = os.getProcessCpuTime();
            cpuSeconds.add((cpuNow - cpuMark[0]) / 1e9);
            cpuMark[0] = cpuNow;
            lastLoss[0] = loss;
            if (it == 1 || it % 10 == 0) {
                progress.line(String.format(Locale.ROOT, "iteration %d/%d  loss %.6f  %.3f s", it, total, loss, secs));
            }
        });
        List<Double> rest = new ArrayList<>(seconds.subList(warmup, seconds.size()));
        rest.sort(null);
        int n = rest.size();
        double median = n % 2 == 1 ? rest.get(n / 2) : (rest.get(n / 2 - 1) + rest.get(n / 2)) / 2;
        double first = seconds.subList(0, warmup).stream().mapToDouble(Double::doubleValue).sum();
        double mean = seconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        List<Double> cpuRest = new ArrayList<>(cpuSeconds.subList(warmup, cpuSeconds.size()));
        cpuRest.sort(null);
        double cpuMedian = n % 2 == 1 ? cpuRest.get(n / 2) : (cpuRest.get(n / 2 - 1) + cpuRest.get(n / 2)) / 2;
        int threads = ComputeContext.current().threads();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s, %s, T = %d, real batch %d, memory %s: %.3f s/iteration (median of iterations %d-%d; %.3f CPU s),"
                        + " first %d: %.2f s, mean of all %.3f s; final outer loss %.9g, images hash %08x%n",
                model, Progress.count(threads, "thread"), cfg.steps() * cfg.epochs(), batchReal, memory, median, warmup + 1,
                iterations, cpuMedian, warmup, first, mean, lastLoss[0], java.util.Arrays.hashCode(set.images().toFloatArray()));
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", model);
            o.put("threads", threads);
            o.put("memory", memory);
            o.put("median_seconds", median);
            o.put("mean_seconds", mean);
            o.put("first_seconds", first);
            o.put("seconds", seconds);
            o.put("median_cpu_seconds", cpuMedian);
            o.put("cpu_seconds", cpuSeconds);
            o.put("final_outer_loss", lastLoss[0]);
            o.put("images_hash", java.util.Arrays.hashCode(set.images().toFloatArray()));
            out.println(Json.write(o));
        }
        out.flush();
        return 0;
    }
}
