package org.distill4j.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import org.distill4j.kernels.Devices;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distill4j bench ...}: measurements of this machine (run by {@link BenchMain}). */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchTrainCommand.class, BenchTrainEpochCommand.class,
        BenchDistillIterationCommand.class, BenchSelectionCommand.class, BenchDmCommand.class, BenchMatchingCommand.class,
        BenchMatchingCommand.Memory.class, BenchGlisterCommand.class},
        description = "Measure this machine: GEMM kernels, training steps, coreset selection.")
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        listSubcommands(spec);
    }

    /** Prints {@code name  description} for each subcommand of {@code spec}. */
    static void listSubcommands(CommandSpec spec) {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, CommandLine> subcommands = spec.subcommands();
        int width = subcommands.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, CommandLine> e : subcommands.entrySet()) {
            String[] description = e.getValue().getCommandSpec().usageMessage().description();
            String first = description.length == 0 ? "" : description[0];
            out.printf("%-" + width + "s  %s%n", e.getKey(), first);
        }
        out.flush();
    }

    @Command(name = "gemm", mixinStandardHelpOptions = true,
            description = "SGEMM GFLOPS on 1 and 2 threads, as a fraction of the FMA peak and against EJML (about 30 s).")
    int gemm(@Option(names = "--json", description = "Also print the results as one JSON object, the last line of stdout.")
             boolean json) {
        if (!Devices.cpuVectorApi()) {
            throw new IllegalStateException("the Vector API is not available: run java with --add-modules jdk.incubator.vector"
                    + " (the distill4j script does)");
        }
        PrintWriter err = spec.commandLine().getErr();
        GemmBench.Result result = GemmBench.run(what -> {
            err.println("measuring " + what + " ...");
            err.flush();
        });
        PrintWriter out = spec.commandLine().getOut();
        out.print(table(result));
        if (json) {
            out.println(result.toJson());
        }
        out.flush();
        return 0;
    }

    /** The human-readable report: one row per measurement. */
    static String table(GemmBench.Result r) {
        StringBuilder sb = new StringBuilder();
        double peak = r.peak().best();
        sb.append("GFLOPS: best of the timed repetitions (median in brackets). Peak for t threads = t x the 1-core FMA peak.\n\n");
        sb.append(String.format(Locale.ROOT, "%-22s %8s %10s %8s %8s%n", "", "GFLOPS", "(median)", "of peak", "vs EJML"));
        sb.append(row("FMA peak, 1 core", r.peak(), 1, peak, Double.NaN));
        for (Map.Entry<Integer, Map<Integer, GemmBench.Rate>> size : r.sgemm().entrySet()) {
            int n = size.getKey();
            GemmBench.Rate ejml = r.ejml().get(n);
            for (Map.Entry<Integer, GemmBench.Rate> t : size.getValue().entrySet()) {
                String label = "SGEMM " + n + ", " + t.getKey() + (t.getKey() == 1 ? " thread" : " threads");
                sb.append(row(label, t.getValue(), t.getKey(), peak, ejml == null ? Double.NaN : ejml.best()));
            }
            if (ejml != null) {
                sb.append(row("EJML " + n + ", 1 thread", ejml, 1, peak, ejml.best()));
            }
        }
        sb.append('\n');
        for (Map.Entry<Integer, Map<Integer, GemmBench.Rate>> size : r.sgemm().entrySet()) {
            GemmBench.Rate one = size.getValue().get(1);
            GemmBench.Rate two = size.getValue().get(2);
            if (one != null && two != null) {
                sb.append(String.format(Locale.ROOT, "SGEMM %d: 2 threads / 1 thread = %.2fx%n",
                        size.getKey(), two.best() / one.best()));
            }
        }
        return sb.toString();
    }

    private static String row(String label, GemmBench.Rate rate, int threads, double peak, double ejml) {
        String vsEjml = Double.isNaN(ejml) ? "" : String.format(Locale.ROOT, "%.1fx", rate.best() / ejml);
        return String.format(Locale.ROOT, "%-22s %8.1f %10s %7.1f%% %8s%n", label, rate.best(),
                String.format(Locale.ROOT, "(%.1f)", rate.median()), 100 * rate.best() / (peak * threads), vsEjml);
    }
}
