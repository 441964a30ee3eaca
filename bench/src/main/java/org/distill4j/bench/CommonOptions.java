package org.distill4j.bench;

import java.nio.file.Path;
import org.distill4j.kernels.ComputeContext;
import picocli.CommandLine.Option;

/** Options every computing command shares: device, threads, data location (as the cli's CommonOptions). */
public final class CommonOptions {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda",
            description = "Where to compute: auto takes CUDA when usable, else the CPU.")
    String device;

    @Option(names = "--threads", paramLabel = "N",
            description = "CPU threads for the kernels (default: the number of cores).")
    Integer threads;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder holding the data set (default: $DISTILL4J_DATA, else where Debian's package puts it).")
    Path data;

    /**
     * Opens the compute context of the device and thread count asked for, current on this thread
     * for the rest of the benchmark (one command a process); returns a note to show (e.g. why CUDA
     * was not used), or null.
     */
    String apply() {
        ComputeContext.Builder b = ComputeContext.builder();
        if (threads != null) {
            b.threads(threads);
        }
        ComputeContext c = b.device(device).open();
        return c.note().isEmpty() ? null : "device " + c.backend().name() + " (" + c.note() + ")";
    }
}
