package org.distill4j.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.data.Splits;
import org.distill4j.io.Json;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.options.CommonOptions;
import org.distill4j.options.Progress;
import org.distill4j.options.TrainProgress;
import org.distill4j.train.EpochStats;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainListener;
import org.distill4j.train.TrainResult;
import org.distill4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill4j bench train-epoch}: whole epochs of the library's real training loop
 * ({@link Trainer#train}: the data set's shuffled batches, forward, backward, SGD-momentum step,
 * the running loss and accuracy) on Fashion-MNIST, with the test pass timed apart. The JVM is the
 * one the command starts, so epoch 1 carries what a user's first epoch carries (JIT compilation,
 * class loading); {@code bench/pytorch/train_epoch.py} runs the same loop in PyTorch, and
 * {@code scripts/bench-train-epoch-vs-pytorch} alternates the two. {@code bench train} times one
 * step on fixed random input instead.
 */
@Command(name = "train-epoch", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Seconds per epoch of the real training loop on Fashion-MNIST (test pass apart); compare with scripts/bench-train-epoch-vs-pytorch.")
public final class BenchTrainEpochCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME", description = "Data set name or path.")
    String dataset;

    @Option(names = "--model", defaultValue = "lenet", paramLabel = "NAME", description = "mlp, lenet or convnet (any of the cli's models).")
    String model;

    @Option(names = "--batch-size", defaultValue = "128", paramLabel = "N", description = "Mini-batch size.")
    int batchSize;

    @Option(names = "--epochs", defaultValue = "4", paramLabel = "N", description = "Epochs (the first is reported apart: JIT warm-up).")
    int epochs;

    @Option(names = "--train-size", paramLabel = "N", description = "Train on the first N training examples only (default: all); for the slow convnet.")
    Integer trainSize;

    @Option(names = "--test-size", paramLabel = "N", description = "Test on the first N test examples only (default: all; 0: no test pass).")
    Integer testSize;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Seed of the initialisation and shuffling.")
    long seed;

    @Option(names = "--json", description = "Also print the figures as one JSON object, the last line of stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Progress progress = Progress.lines(spec.commandLine().getErr());
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("--epochs and --batch-size must be >= 1, got " + epochs + " and " + batchSize);
        }
        Models.checkName(model);
        String note = common.apply();
        if (note != null) {
            progress.line(note);
        }
        long t0 = System.nanoTime();
        Splits data = DataSets.loadNormalized(dataset, common.data, null);
        Dataset train = firstN(data.train(), trainSize);
        Dataset test = testSize != null && testSize == 0 ? null : firstN(data.test(), testSize);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        Model m = Models.byName(model, train.imageShape(), train.classes());
        TrainConfig cfg = TrainConfig.sgd(epochs, batchSize, 0.01, 0.9, seed);
        int threads = ComputeContext.current().threads();
        String label = String.format(Locale.ROOT, "%s batch %d, %s", model, batchSize, Progress.count(threads, "thread"));
        progress.line(String.format(Locale.ROOT, "%s: %s on %,d examples (%,d test), data loaded in %.1f s", label,
                Progress.count(epochs, "epoch"), train.size(), test == null ? 0 : test.size(), loadSeconds));
        List<EpochStats> stats = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        TrainListener shown = new TrainProgress(progress, label, epochs, 1);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long[] cpuMark = {os.getProcessCpuTime()};
        List<double[]> groups = new ArrayList<>();
        double[][] groupMark = {ThreadCpu.now()};
        List<double[]> sched = new ArrayList<>();
        double[][] schedMark = {ThreadCpu.mainAndHelpers()};
        List<double[]> faults = new ArrayList<>();
        double[][] faultMark = {ThreadCpu.faultsAndSystem()};
        TrainResult r = Trainer.train(m, train, null, test, cfg, new TrainListener() {
            @Override
            public void onTestStart(int epoch) {
                trainingPassDone();
            }

            @Override
            public void onEpoch(EpochStats s) {
                if (cpu.size() < s.epoch()) {
                    trainingPassDone();
                }
                ParallelShares.print(spec.commandLine().getErr(), s.epoch(), s.seconds(), sched.isEmpty() ? null : sched.get(sched.size() - 1));
                cpuMark[0] = os.getProcessCpuTime();
                groupMark[0] = ThreadCpu.now();
                schedMark[0] = ThreadCpu.mainAndHelpers();
                faultMark[0] = ThreadCpu.faultsAndSystem();
                stats.add(s);
                shown.onEpoch(s);
            }

            /** CPU seconds of the whole process (all threads: kernels, JIT compiler, collector) in the training pass. */
            private void trainingPassDone() {
                cpu.add((os.getProcessCpuTime() - cpuMark[0]) / 1e9);
                groups.add(ThreadCpu.minus(ThreadCpu.now(), groupMark[0]));
                double[] now = ThreadCpu.mainAndHelpers();
                double[] d = new double[4];
                for (int i = 0; i < 4; i++) {
                    d[i] = now[i] - schedMark[0][i];
                }
                sched.add(d);
                faults.add(ThreadCpu.minus(ThreadCpu.faultsAndSystem(), faultMark[0]));
            }
        });
        double[] seconds = stats.stream().mapToDouble(EpochStats::seconds).toArray();
        double steady = steady(seconds);
        double total = Arrays.stream(seconds).sum();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s, %,d examples an epoch: epoch 1 %.2f s, steady %.2f s (median of epochs 2-%d), %d epochs %.2f s;"
                        + " test pass %.2f s; final loss %.9g, test accuracy %.4f, parameters hash %08x%n",
                label, train.size(), seconds[0], steady, epochs, epochs, total, stats.get(stats.size() - 1).testSeconds(),
                stats.get(stats.size() - 1).loss(), r.finalTestAccuracy(), paramsHash(r));
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("side", "distill4j");
            o.put("model", model);
            o.put("batch", batchSize);
            o.put("threads", threads);
            o.put("train_size", train.size());
            o.put("test_size", test == null ? 0 : test.size());
            o.put("epoch_seconds", Arrays.stream(seconds).boxed().toList());
            o.put("test_seconds", stats.stream().map(EpochStats::testSeconds).toList());
            o.put("epoch_cpu_seconds", cpu);
            // Per epoch: CPU seconds of the JIT compiler threads, of the collector's, and of the rest.
            o.put("epoch_cpu_jit_gc_other", groups.stream().map(g -> Arrays.stream(g).boxed().toList()).toList());
            // Per epoch's training pass: seconds the main thread ran and waited for a CPU, and the pool helpers'.
            o.put("epoch_main_helpers_run_wait", sched.stream().map(g -> Arrays.stream(g).boxed().toList()).toList());
            // Per epoch's training pass: the process's minor page faults and system CPU seconds.
            o.put("epoch_minor_faults_system_seconds", faults.stream().map(g -> Arrays.stream(g).boxed().toList()).toList());
            o.put("epoch1", seconds[0]);
            o.put("steady", steady);
            o.put("total", total);
            o.put("losses", stats.stream().map(EpochStats::loss).toList());
            o.put("test_accuracy", r.finalTestAccuracy());
            o.put("load_seconds", loadSeconds);
            o.put("params_hash", paramsHash(r));
            out.println(Json.write(o));
        }
        out.flush();
        return 0;
    }

    /** The median of epochs 2.. (epoch 1 alone when there is no other). */
    static double steady(double[] seconds) {
        if (seconds.length == 1) {
            return seconds[0];
        }
        double[] rest = Arrays.copyOfRange(seconds, 1, seconds.length);
        Arrays.sort(rest);
        int n = rest.length;
        return n % 2 == 1 ? rest[n / 2] : (rest[n / 2 - 1] + rest[n / 2]) / 2;
    }

    /** A hash of every parameter's bits: equal runs give equal hashes (1 and 2 threads, before and after a change). */
    static int paramsHash(TrainResult r) {
        int h = 1;
        for (org.distill4j.autodiff.Var v : r.params().array()) {
            h = 31 * h + Arrays.hashCode(v.value().toFloatArray());
        }
        return h;
    }

    private static Dataset firstN(Dataset d, Integer n) {
        if (n == null || n >= d.size()) {
            return d;
        }
        if (n < 1) {
            throw new IllegalArgumentException("--train-size must be >= 1, got " + n);
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return d.subset(idx);
    }
}
