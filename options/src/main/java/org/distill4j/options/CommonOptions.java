package org.distill4j.options;

import java.nio.file.Path;
import org.distill4j.kernels.ComputeContext;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Options every computing command shares: device, threads, data location.
 *
 * <p>{@link #apply()} opens the one {@link ComputeContext} a command's work runs in; the command
 * line ({@link #closingContexts}) closes it when the command returns or fails, so each command
 * keeps its order (arguments and outputs checked, then the device resolved, then the data loaded)
 * without wrapping its body in a try block.
 */
public final class CommonOptions {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda",
            description = "Where to compute: auto takes CUDA when usable, else the CPU.")
    public String device;

    @Option(names = "--threads", paramLabel = "N",
            description = "CPU threads for the kernels (default: the number of cores).")
    public Integer threads;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder holding the data set (default: $DISTILL4J_DATA, else where Debian's package puts it).")
    public Path data;

    /**
     * Opens the compute context of the device and thread count asked for, current on this thread
     * until the command ends; returns a note to show (e.g. why CUDA was not used), or null.
     */
    public String apply() {
        ComputeContext.Builder b = ComputeContext.builder();
        if (threads != null) {
            b.threads(threads); // checked before the device is probed, as before
        }
        ComputeContext c = b.device(device).open();
        return c.note().isEmpty() ? null : "device " + c.backend().name() + " (" + c.note() + ")";
    }

    /**
     * {@code inner}, then closes every compute context the command opened on this thread and left
     * open (innermost first), whether it returned or failed.
     */
    public static CommandLine.IExecutionStrategy closingContexts(CommandLine.IExecutionStrategy inner) {
        return parseResult -> {
            ComputeContext before = ComputeContext.current();
            try {
                return inner.execute(parseResult);
            } finally {
                for (ComputeContext c = ComputeContext.current(); c != before && c != ComputeContext.jvmDefault();
                        c = ComputeContext.current()) {
                    c.close();
                }
            }
        };
    }
}
