package org.distill4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** What the command-line tests share: run {@code distill4j} in-process with its stdout and stderr captured. */
abstract class CommandTest {
    /** The last run's stdout and stderr. */
    protected StringWriter out = new StringWriter();
    protected StringWriter err = new StringWriter();

    /** Runs the command line on {@code args} and returns its exit code; {@link #out} and {@link #err} hold what it printed. */
    protected int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    /** The last run's non-blank stderr lines. */
    protected String[] errLines() {
        return err.toString().lines().filter(l -> !l.isBlank()).toArray(String[]::new);
    }
}
