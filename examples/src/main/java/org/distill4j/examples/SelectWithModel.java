package org.distill4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.distill4j.coreset.Entropy;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.io.OutputRefusedException;
import org.distill4j.nn.Models;
import org.distill4j.train.EpochStats;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainListener;

/**
 * Train a small model on a data set and keep the examples it is least sure of (entropy of its
 * softmax), written as a selection CSV that {@link EvaluateSelectionOverSeeds} and
 * {@code distill4j evaluate} read.
 *
 * <p>{@code SelectWithModel [DATASET [OUT.csv [BUDGET [EPOCHS]]]]}: defaults fashion-mnist,
 * selection.csv, 1000 examples, 5 epochs of training.
 */
public final class SelectWithModel {
    public static void main(String[] args) throws IOException {
        String dataset = args.length > 0 ? args[0] : "fashion-mnist";
        Path out = Path.of(args.length > 1 ? args[1] : "selection.csv");
        int budget = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        try {
            Selection s = select(dataset, out, budget, epochs);
            System.out.println("wrote " + s.size() + " examples chosen by " + s.method() + " to " + out);
        } catch (OutputRefusedException e) {
            // The path holds a file distill4j did not write: nothing was trained, nothing was written.
            System.err.println("refused: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Trains the selection model for {@code epochs} epochs, selects {@code budget} examples, writes them to {@code out}. */
    public static Selection select(String dataset, Path out, int budget, int epochs) throws IOException {
        // Check the output path before the long work: a user's file there is refused now, not after training.
        Output output = Output.check(out, OutputKinds.SELECTION_CSV, false);
        Dataset train = DataSets.loadNormalized(dataset, null, null).train();
        TrainListener progress = new TrainListener() {
            @Override
            public void onEpoch(EpochStats e) {
                System.out.printf("epoch %d: loss %.4f, train accuracy %.3f%n", e.epoch(), e.loss(), e.trainAccuracy());
            }
        };
        // DeepCore's "pre-training": the selection model learns on all of the data, then scores every example.
        SelectionContext ctx = SelectionContext.train(train, Models.mlp(train.imageShape(), 256, train.classes()), epochs,
                TrainConfig.sgd(epochs, 128, 0.01, 0.9, 0), true, progress);
        Selection s = new Entropy().select(ctx, budget);   // balanced: each class keeps its share of the budget
        s.writeCsv(output, train);                          // labels come from the data; all or nothing
        return s;
    }
}
