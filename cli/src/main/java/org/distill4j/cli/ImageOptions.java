package org.distill4j.cli;

import picocli.CommandLine.Option;

/**
 * The image optimiser's settings of {@code distill --method dm|dc|dsa|mtt} (the other shared ones,
 * --ipc, --iterations, ..., are DistillCommand's). A rate that differs by method is empty until
 * given and takes the method's reference default then.
 */
public final class ImageOptions {
    @Option(names = "--lr-img", paramLabel = "LR", description = "SGD rate of the images (default: dm 1.0, dc/dsa 0.1, mtt 1000).")
    Double lrImg;

    @Option(names = "--momentum-img", defaultValue = "0.5", paramLabel = "M", description = "dm/dc/dsa: SGD momentum of the images.")
    double momentumImg;

    @Option(names = "--checkpoint-minutes", defaultValue = "5", paramLabel = "MIN",
            description = "Minutes between checkpoints (dm: the partial set in --out; dc/dsa/mtt: --checkpoint); rerunning the same command resumes.")
    double checkpointMinutes;

    /** The rate of the images: the one given, else {@code methodDefault}. */
    double lrImg(double methodDefault) {
        return lrImg != null ? lrImg : methodDefault;
    }
}
