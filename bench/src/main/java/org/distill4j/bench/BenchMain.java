package org.distill4j.bench;

import picocli.CommandLine;

/**
 * {@code distill4j bench}: the distill4j script runs this class for {@code ./distill4j bench ...}
 * (the bench module's own classpath; the cli does not depend on it). Any error, in the arguments
 * or while running, becomes one line on stderr and exit code 2, as in the cli.
 */
public final class BenchMain {
    /** Exit code for bad arguments and failed runs alike. */
    static final int ERROR_EXIT = 2;

    private BenchMain() {
    }

    /** The command line, named {@code distill4j bench}, with distill4j's error handling; tests redirect its output. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setCommandName("distill4j bench");
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("distill4j: " + e.getMessage() + " (try '"
                    + failed.getCommandSpec().qualifiedName() + " --help')");
            failed.getErr().flush();
            return ERROR_EXIT;
        });
        cl.setExecutionExceptionHandler((e, failed, parseResult) -> {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            failed.getErr().println("distill4j: error: " + message.lines().findFirst().orElse(""));
            failed.getErr().flush();
            return ERROR_EXIT;
        });
        return cl;
    }

    public static void main(String[] args) {
        boolean[] finished = {false};
        // Ctrl-C: one line, as the cli says it (a benchmark writes no output, so nothing is left half-written).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!finished[0]) {
                System.err.println("distill4j: interrupted; no output was written");
                System.err.flush();
            }
        }, "distill4j-interrupted"));
        int code = commandLine().execute(args);
        finished[0] = true;
        System.exit(code);
    }
}
