package org.distill4j.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.distill4j.io.OutputRefusedException;
import org.distill4j.options.CommonOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code distill4j} command. Without a subcommand it lists the subcommands, one a line. Any
 * error, in the arguments or while running, becomes one line on stderr and exit code 2.
 */
@Command(name = "distill4j", mixinStandardHelpOptions = true, version = "distill4j 0.1.0",
        description = "Coreset selection and dataset distillation in pure Java.",
        subcommands = {TrainCommand.class, SelectCommand.class, EvaluateCommand.class, CoresetBenchCommand.class,
                DistillCommand.class, ExpertsCommand.class, EvaluateDistilledCommand.class, DistillBaselinesCommand.class, BaselineSetsCommand.class, BenchListing.class,
                QuickstartCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad arguments and failed runs alike. */
    static final int ERROR_EXIT = 2;

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

    /** The command line with distill4j's error handling; tests redirect its output. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionStrategy(CommonOptions.closingContexts(new CommandLine.RunLast()));
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("distill4j: " + e.getMessage() + " (try '"
                    + failed.getCommandSpec().qualifiedName() + " --help')");
            failed.getErr().flush();
            return ERROR_EXIT;
        });
        cl.setExecutionExceptionHandler((e, failed, parseResult) -> {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            message = message.lines().findFirst().orElse("");
            if (e instanceof OutputRefusedException refused && refused.forceable()) {
                message += "; --force replaces it, or choose another path";
            }
            failed.getErr().println("distill4j: error: " + message);
            failed.getErr().flush();
            return ERROR_EXIT;
        });
        return cl;
    }

    public static void main(String[] args) {
        Interruption.watch(System.err);
        int code = outOfMemoryAsOneLine(() -> commandLine().execute(args), System.err);
        Interruption.finished();
        System.exit(code);
    }

    /**
     * Runs the command; running out of heap (an Error, which picocli lets through) becomes one line
     * saying how much heap there was and how to give more, and exit code 2, instead of a stack trace
     * followed by the shutdown hook's "interrupted". What was written is whole (every output is
     * written atomically), and what a resumable command finished stays.
     */
    static int outOfMemoryAsOneLine(java.util.function.IntSupplier command, java.io.PrintStream err) {
        try {
            return command.getAsInt();
        } catch (OutOfMemoryError e) {
            long mib = Runtime.getRuntime().maxMemory() >> 20;
            err.println("distill4j: error: out of memory (" + (e.getMessage() == null ? "heap" : e.getMessage()) + ", "
                    + mib + " MiB at most); give the JVM more heap, e.g. DISTILL4J_JAVA_OPTS=-Xmx" + Math.max(2, 2 * mib / 1024 + 1)
                    + "g, or ask for less (smaller batches or sets)");
            err.flush();
            return ERROR_EXIT;
        }
    }
}
