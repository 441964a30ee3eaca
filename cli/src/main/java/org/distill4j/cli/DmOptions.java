package org.distill4j.cli;

import picocli.CommandLine.Option;

/** {@code distill --method dm}'s own settings (the shared ones, --ipc, --iterations, ..., are DistillCommand's). */
public final class DmOptions {
    @Option(names = "--lr-img", defaultValue = "1.0", paramLabel = "LR", description = "dm: SGD rate on the images (momentum 0.5).")
    double lrImg;

    @Option(names = "--momentum-img", defaultValue = "0.5", paramLabel = "M", description = "dm: SGD momentum on the images.")
    double momentumImg;

    @Option(names = "--checkpoint-minutes", defaultValue = "5", paramLabel = "MIN",
            description = "dm: write the partial set to --out this often; rerunning the same command resumes it.")
    double checkpointMinutes;
}
