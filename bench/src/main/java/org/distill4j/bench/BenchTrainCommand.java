package org.distill4j.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.distill4j.io.Json;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.options.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distill4j bench train}: images/s of one training step for mlp, lenet and convnet. */
@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Images/s of one training step (batch 256) for mlp, lenet, convnet; compare with scripts/bench-train-vs-pytorch.")
public final class BenchTrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--threads", paramLabel = "N", description = "Kernel threads (default: the number of cores).")
    Integer threads;

    @Option(names = "--warmup", defaultValue = "4", paramLabel = "SECONDS", description = "Warm-up seconds per model (JIT compilation).")
    double warmup;

    @Option(names = "--steps", defaultValue = "20", paramLabel = "N", description = "Timed steps per model at least, and at least 2 s of them (the median is reported).")
    int steps;

    @Option(names = "--json", description = "Also print {\"mlp\": ..., \"lenet\": ..., \"convnet\": ...} (images/s) as the last line.")
    boolean json;

    @Override
    public Integer call() {
        if (threads != null) {
            // Current until the command ends: the command line closes it (CommonOptions.closingContexts).
            ComputeContext.builder().threads(threads).open();
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
        Progress progress = Progress.lines(spec.commandLine().getErr());
        Map<String, Double> r = TrainStepBench.run(warmup, steps, m -> progress.line("timing " + m + " ..."));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "training step, batch %d, %s (median of at least %s and %.0f s)%n",
                TrainStepBench.BATCH, Progress.count(ComputeContext.current().threads(), "thread"), Progress.count(steps, "step"),
                TrainStepBench.MIN_TIMED_SECONDS);
        r.forEach((m, ips) -> out.printf(Locale.ROOT, "  %-8s %,10.0f images/s%n", m, ips));
        if (json) {
            out.println(Json.write(r));
        }
        out.flush();
        return 0;
    }
}
