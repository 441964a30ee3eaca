package org.distill4j.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.data.Dataset;
import org.distill4j.distill.Checkpointing;
import org.distill4j.distill.DistillProgress;
import org.distill4j.distill.ExpertConfig;
import org.distill4j.distill.ExpertTrajectories;
import org.distill4j.distill.GradientMatching;
import org.distill4j.distill.GradientMatchingConfig;
import org.distill4j.distill.TrajectoryMatching;
import org.distill4j.distill.TrajectoryMatchingConfig;
import org.distill4j.distill.UnrolledTraining;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.io.Json;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.options.Progress;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code distill4j bench dc} and {@code bench mtt-memory}: seconds per outer iteration of gradient
 * matching (ConvNet-3, Fashion-MNIST shapes, random data of 256 images per class: the cost does not
 * depend on the pixels), the twin of {@code bench/pytorch/dc_iteration.py}; and the peak heap of
 * trajectory matching's iteration at several syn-steps, in both memory modes.
 */
@Command(name = "dc", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Seconds per DC outer iteration (ConvNet-3, 1x28x28, 10 classes); compare with scripts/bench-dc-vs-pytorch.")
public final class BenchMatchingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--threads", paramLabel = "N", description = "Kernel threads (default: the number of cores).")
    Integer threads;

    @Option(names = "--ipc", defaultValue = "1", paramLabel = "N", description = "Images per class (the loops follow get_loops).")
    int ipc;

    @Option(names = "--iterations", defaultValue = "3", paramLabel = "N", description = "Timed iterations (after one warm-up iteration); the median is reported.")
    int iterations;

    @Option(names = "--outer-loop", paramLabel = "N", description = "Override get_loops' outer loop (to time a part of an ipc-10 iteration).")
    Integer outerLoop;

    @Option(names = "--json", description = "Also print {\"ipc\": ..., \"seconds\": [...], \"median\": ...} as the last line.")
    boolean json;

    /** Random data of Fashion-MNIST's shapes: {@code perClass} images of each of 10 classes. */
    static Dataset randomFashion(int perClass) {
        int n = perClass * 10;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return new Dataset("random-fashion-shaped", Tensor.randn(new Generator(1), DType.F32, n, 1, 28, 28), labels, 10);
    }

    @Override
    public Integer call() throws Exception {
        if (threads != null) {
            ComputeContext.builder().threads(threads).open();
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("--iterations must be >= 1, got " + iterations);
        }
        Dataset train = randomFashion(256);
        Model convnet = Models.convnet(new int[]{1, 28, 28}, 10, 128, 3);
        GradientMatchingConfig cfg = GradientMatchingConfig.builder().ipc(ipc).outerLoop(outerLoop).iterations(iterations + 1)
                .build();
        List<Double> seconds = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        long[] last = {System.nanoTime(), cpuNanos()};
        Progress progress = Progress.lines(spec.commandLine().getErr());
        GradientMatching.distill(convnet, randomSplits(train), "random", cfg, Augmentation.NONE, "none", Checkpointing.NONE,
                new DistillProgress.Listener() {
                    @Override
                    public void onIteration(DistillProgress p) {
                        long now = System.nanoTime();
                        long c = cpuNanos();
                        double s = (now - last[0]) / 1e9;
                        double cs = (c - last[1]) / 1e9;
                        last[0] = now;
                        last[1] = c;
                        progress.line(String.format(Locale.ROOT, "iteration %d/%d: %.2f s, %.2f CPU s%s", p.iteration(),
                                p.iterations(), s, cs, p.iteration() == 1 ? " (warm-up, not counted)" : ""));
                        if (p.iteration() > 1) {
                            seconds.add(s);
                            cpu.add(cs);
                        }
                    }
                });
        double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "DC outer iteration, ipc %d (loops %d/%d), %s: median %.2f s of %s%n", ipc, cfg.outerLoop(),
                cfg.innerLoop(), Progress.count(ComputeContext.current().threads(), "thread"), median, seconds);
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("ipc", ipc);
            o.put("outer_loop", cfg.outerLoop());
            o.put("inner_loop", cfg.innerLoop());
            o.put("threads", ComputeContext.current().threads());
            o.put("seconds", seconds);
            o.put("cpu_seconds", cpu);
            o.put("median", median);
            out.println(Json.write(o));
        }
        out.flush();
        return 0;
    }

    /** CPU time of the whole process (all threads), in nanoseconds. */
    static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    static org.distill4j.data.Splits randomSplits(Dataset train) {
        return new org.distill4j.data.Splits(train, null, org.distill4j.data.Normalization.of(new double[]{0}, new double[]{1}));
    }

    /** {@code bench mtt-memory}: peak heap of MTT iterations at several syn-steps, keep vs recompute. */
    @Command(name = "mtt-memory", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Peak heap (sampled) of MTT iterations (ConvNet-3, Fashion-MNIST shapes) at several syn-steps, keep vs recompute.")
    public static final class Memory implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--threads", paramLabel = "N", description = "Kernel threads (default: the number of cores).")
        Integer threads;

        @Option(names = "--ipc", defaultValue = "10", paramLabel = "N", description = "Images per class (batch-syn: all of them).")
        int ipc;

        @Option(names = "--syn-steps", defaultValue = "20,40", split = ",", paramLabel = "N,N", description = "Syn-steps to measure.")
        int[] synSteps;

        @Option(names = "--memory", defaultValue = "recompute", paramLabel = "keep|recompute", description = "Memory mode.")
        String memory;

        @Option(names = "--json", description = "Also print the peaks as one JSON object, the last line.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (threads != null) {
                ComputeContext.builder().threads(threads).open();
            }
            UnrolledTraining.Memory mode = UnrolledTraining.Memory.valueOf(memory.toUpperCase(Locale.ROOT));
            Dataset train = randomFashion(ipc);
            Model convnet = Models.convnet(new int[]{1, 28, 28}, 10, 128, 3);
            Path dir = Files.createTempDirectory("mtt-memory-experts");
            Progress progress = Progress.lines(spec.commandLine().getErr());
            progress.line("one expert of 2 epochs on " + train.size() + " random images ...");
            ExpertTrajectories.train(convnet, randomSplits(train), "random", ExpertConfig.builder().experts(1).epochs(2).build(),
                    Augmentation.NONE, "none", dir, false, ExpertTrajectories.Listener.NONE);
            ExpertTrajectories experts = ExpertTrajectories.open(dir, convnet, train);
            Map<String, Object> peaks = new LinkedHashMap<>();
            PrintWriter out = spec.commandLine().getOut();
            for (int steps : synSteps) {
                // Tiny rates: on random data and a barely trained expert the default ones can drive the learned rate
                // negative; memory does not depend on them.
                TrajectoryMatchingConfig cfg = TrajectoryMatchingConfig.builder().ipc(ipc).iterations(2).synSteps(steps)
                        .expertEpochs(1).maxStartEpoch(1).lrImg(1e-6).lrLr(1e-12).memory(mode).build();
                System.gc();
                long[] peak = {0};
                Thread sampler = sampler(peak);
                long t0 = System.nanoTime();
                String outcome = "ok";
                try {
                    TrajectoryMatching.distill(convnet, randomSplits(train), "random", cfg, experts, Augmentation.NONE, "none",
                            Checkpointing.NONE, DistillProgress.Listener.NONE);
                } catch (OutOfMemoryError e) {
                    outcome = "out of memory";
                }
                double secs = (System.nanoTime() - t0) / 1e9 / 2;
                sampler.interrupt();
                sampler.join();
                out.printf(Locale.ROOT, "MTT ipc %d, syn-steps %d, memory %s, max heap %.0f MiB: peak heap %.0f MiB (sampled), "
                        + "%.1f s/iteration, %s%n", ipc, steps, memory, Runtime.getRuntime().maxMemory() / 1048576.0,
                        peak[0] / 1048576.0, secs, outcome);
                peaks.put(String.valueOf(steps), Map.of("peak_heap_mib", peak[0] / 1048576.0, "seconds_per_iteration", secs,
                        "outcome", outcome));
            }
            if (json) {
                out.println(Json.write(Map.of("ipc", ipc, "memory", memory, "syn_steps", peaks)));
            }
            out.flush();
            return 0;
        }

        private static Thread sampler(long[] peak) {
            Thread t = new Thread(() -> {
                Runtime rt = Runtime.getRuntime();
                while (!Thread.currentThread().isInterrupted()) {
                    peak[0] = Math.max(peak[0], rt.totalMemory() - rt.freeMemory());
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            t.setDaemon(true);
            t.start();
            return t;
        }
    }
}
