package org.distill4j.bench;

import java.nio.file.Path;
import org.distill4j.kernels.Devices;
import org.distill4j.kernels.cpu.Parallel;
import org.distill4j.tensor.Tensor;
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

    /** Applies device and thread settings; returns a note to show (e.g. why CUDA was not used), or null. */
    String apply() {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        Devices.Resolution r = Devices.resolve(device);
        Tensor.setDefaultBackend(r.backend());
        return r.note() == null || r.note().isEmpty() ? null : "device " + r.backend().name() + " (" + r.note() + ")";
    }
}
