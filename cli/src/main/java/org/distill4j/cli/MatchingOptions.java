package org.distill4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The flags of {@code distill --method dc|dsa|mtt}, each with the reference code's default (DC:
 * VICO-UoE/DatasetCondensation main.py; MTT: GeorgeCazenavette/mtt-distillation distill.py). A
 * flag whose default differs by method is empty until given and takes the method's default then.
 * The image rate and checkpoint interval are {@link ImageOptions}', the network's rate and batch
 * {@link ProtocolOptions}' (the reference uses one lr_net and batch_train for both), the
 * augmentation {@link DsaOptions}'.
 */
public final class MatchingOptions {
    @Option(names = "--outer-loop", paramLabel = "N", description = "dc/dsa: image updates per iteration (default: get_loops(ipc): 1 -> 1, 10 -> 10, 50 -> 50).")
    Integer outerLoop;

    @Option(names = "--inner-loop", paramLabel = "N", description = "dc/dsa: network epochs between image updates (default: get_loops(ipc): 1 -> 1, 10 -> 50, 50 -> 10).")
    Integer innerLoop;

    @Option(names = "--dis-metric", defaultValue = "ours", paramLabel = "ours|mse|cos", description = "dc/dsa: gradient distance.")
    String disMetric;

    @Option(names = "--experts", paramLabel = "DIR", description = "mtt: the expert trajectories (made by 'distill4j experts'); required by mtt (default: none).")
    Path experts;

    @Option(names = "--syn-steps", defaultValue = "20", paramLabel = "N", description = "mtt: student steps on synthetic batches per iteration.")
    int synSteps;

    @Option(names = "--expert-epochs", defaultValue = "3", paramLabel = "N", description = "mtt: the target is this many expert epochs after the start.")
    int expertEpochs;

    @Option(names = "--max-start-epoch", defaultValue = "25", paramLabel = "N", description = "mtt: start epochs are drawn from 0 .. N-1.")
    int maxStartEpoch;

    @Option(names = "--lr-lr", defaultValue = "1e-05", paramLabel = "RATE", description = "mtt: SGD rate of the learned rate.")
    double lrLr;

    @Option(names = "--lr-teacher", defaultValue = "0.01", paramLabel = "RATE", description = "mtt: the learned rate's start.")
    double lrTeacher;

    @Option(names = "--batch-syn", defaultValue = "0", paramLabel = "N", description = "mtt: synthetic images per student step (0: all, ipc x classes).")
    int batchSyn;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "dc/dsa/mtt: where the run's state is saved and resumed from (default: OUT.checkpoint).")
    Path checkpoint;
}
