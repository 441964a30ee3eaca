package org.distill4j.options;

import java.util.Locale;
import org.distill4j.coreset.CoresetMethods;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.train.TrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of a command that trains a selection model and selects from it ({@code select} and
 * {@code bench selection}): the data, the model and how it is trained before selecting.
 */
public final class SelectionModelOptions {
    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME", description = "mnist, fashion-mnist, cifar10, or a path.")
    public String dataset;

    @Option(names = "--model", defaultValue = "lenet", paramLabel = "NAME", description = "The selection model: mlp, lenet, convnet, alexcifarnet, resnet18.")
    public String model;

    @Option(names = "--selection-epochs", defaultValue = "5", paramLabel = "N", description = "Epochs of training before selection (0: untrained).")
    public int selectionEpochs;

    @Option(names = "--balance", negatable = true, defaultValue = "true", fallbackValue = "true",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Select inside each class in proportion to its size (the default: --balance); --no-balance selects "
                    + "from the whole set.")
    public boolean balance;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED",
            description = "Seed of the selection model's initialisation and shuffling (and of random methods).")
    public long seed;

    @Option(names = "--lr", defaultValue = "0.01", paramLabel = "RATE", description = "Learning rate of the selection model (SGD).")
    public double lr;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "F", description = "SGD momentum of the selection model.")
    public double momentum;

    @Option(names = "--batch-size", defaultValue = "128", paramLabel = "N", description = "Batch size of the selection model's training.")
    public int batchSize;

    /** Refuses bad values before any data is loaded. */
    public void check() throws java.io.IOException {
        Models.checkName(model);
        DataSets.checkNameOrPath(dataset);
        if (selectionEpochs < 0) {
            throw new IllegalArgumentException("--selection-epochs must be >= 0, got " + selectionEpochs);
        }
    }

    /**
     * Trains the selection model on all of {@code train}, with progress, recording what methods need:
     * per-epoch correctness always, and with {@code dynamics} each example's loss, margin and gradient
     * norm after every epoch ({@link CoresetMethods#needsDynamics}). A score model (GraNd's, EL2N's)
     * gets a line at its end, or with {@code scoreModelEveryEpoch} a line per epoch.
     */
    public SelectionContext train(Dataset train, Progress progress, boolean dynamics, boolean scoreModelEveryEpoch) {
        Model net = Models.byName(model, train.imageShape(), train.classes());
        progress.line(String.format(Locale.ROOT, "selection model %s on %s (%s), %s%s", net.name(),
                train.name(), Progress.count(train.size(), "example"), Progress.count(selectionEpochs, "epoch"),
                dynamics ? ", recording each example's loss and margin per epoch" : ""));
        SelectionContext ctx = SelectionContext.train(train, net, selectionEpochs,
                TrainConfig.sgd(selectionEpochs, batchSize, lr, momentum, seed), balance,
                new TrainProgress(progress, "selection model", selectionEpochs, 1), dynamics);
        // GraNd's and EL2N's models: each its own bar and a line at its end (or at each epoch's).
        ctx.reportMembersTo((k, epochs) -> new TrainProgress(progress, "score model " + (k + 1), epochs,
                scoreModelEveryEpoch ? 1 : Math.max(1, epochs)));
        return ctx;
    }
}
