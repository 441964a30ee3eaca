package org.distill4j.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * The {@code bench} line of the command list. The bench commands (GEMM, training step, selection
 * time) live in the bench module, which the cli does not depend on: the distill4j script runs
 * {@code ./distill4j bench ...} with {@code org.distill4j.bench.BenchMain} on bench's classpath, so
 * this command only runs where the cli is started some other way.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure this machine: GEMM kernels, training steps, coreset selection.")
public final class BenchListing implements Runnable {
    @Unmatched
    List<String> args;

    @Override
    public void run() {
        throw new IllegalStateException("the bench commands are in the distill4j-bench module: run ./distill4j bench"
                + (args == null || args.isEmpty() ? "" : " " + String.join(" ", args))
                + ", or org.distill4j.bench.BenchMain with bench/target/lib on the classpath");
    }
}
