package org.distill4j.cli;

import java.util.Locale;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.train.TrainConfig;
import picocli.CommandLine.Option;

/**
 * The options of a command that trains a selection model and selects from it ({@code select},
 * {@code bench selection}): the data, the model and how it is trained before selecting.
 */
public final class SelectionModelOptions {
    @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "mnist, fashion-mnist, cifar10, or a path.")
    String dataset;

    @Option(names = "--model", defaultValue = "lenet", description = "The selection model: mlp, lenet, convnet, alexcifarnet, resnet18.")
    String model;

    @Option(names = "--selection-epochs", defaultValue = "5", description = "Epochs of training before selection (0: untrained).")
    int selectionEpochs;

    @Option(names = "--balance", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Select inside each class in proportion to its size.")
    boolean balance;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Option(names = "--lr", defaultValue = "0.01", description = "Learning rate of the selection model (SGD).")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9")
    double momentum;

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size of the selection model's training.")
    int batchSize;

    /** Refuses bad values before any data is loaded. */
    void check() throws java.io.IOException {
        Models.checkName(model);
        DataSets.checkNameOrPath(dataset);
        if (selectionEpochs < 0) {
            throw new IllegalArgumentException("--selection-epochs must be >= 0, got " + selectionEpochs);
        }
    }

    /** Trains the selection model on all of {@code train}, with progress, recording what methods need. */
    SelectionContext train(Dataset train, Progress progress) {
        Model net = Models.byName(model, train.imageShape(), train.classes());
        progress.line(String.format(Locale.ROOT, "selection model %s on %s (%,d examples), %d epochs", net.name(),
                train.name(), train.size(), selectionEpochs));
        return SelectionContext.train(train, net, selectionEpochs, TrainConfig.sgd(selectionEpochs, batchSize, lr, momentum, seed),
                balance, new TrainProgress(progress, "selection model", selectionEpochs, 1));
    }
}
