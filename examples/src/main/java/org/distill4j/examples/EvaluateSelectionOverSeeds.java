package org.distill4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.distill4j.data.DataSets;
import org.distill4j.data.Splits;
import org.distill4j.data.WeightedSubset;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.nn.Models;
import org.distill4j.train.MultiSeedTraining;
import org.distill4j.train.TrainConfig;

/**
 * How good is a selection? Train fresh models on it from several seeds and report the mean and
 * sample standard deviation of their test accuracy, as the coreset literature does.
 *
 * <p>{@code EvaluateSelectionOverSeeds [DATASET [SELECTION.csv [SEEDS [EPOCHS [THREADS]]]]]}:
 * defaults fashion-mnist, selection.csv (as {@link SelectWithModel} writes it), 3 seeds, 20 epochs,
 * one CPU thread per core.
 */
public final class EvaluateSelectionOverSeeds {
    public static void main(String[] args) throws IOException {
        String dataset = args.length > 0 ? args[0] : "fashion-mnist";
        Path csv = Path.of(args.length > 1 ? args[1] : "selection.csv");
        int seeds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : Runtime.getRuntime().availableProcessors();
        MultiSeedTraining.Result r = evaluate(dataset, csv, seeds, epochs, threads);
        for (MultiSeedTraining.SeedRun run : r.runs()) {
            System.out.printf("seed %d: final %.4f, best %.4f%n", run.seed(), run.finalAccuracy(), run.bestAccuracy());
        }
        // The sample std (n - 1) of a single run is undefined: empty, not 0.
        String std = r.finalAccuracy().sampleStd().isPresent()
                ? String.format(" +- %.4f", r.finalAccuracy().sampleStd().getAsDouble()) : "";
        System.out.printf("final test accuracy over %d seeds: %.4f%s%n", r.runs().size(), r.finalAccuracy().mean(), std);
    }

    /** {@code seeds} fresh MLPs trained {@code epochs} epochs on the selection in {@code csv}, on {@code threads} CPU threads. */
    public static MultiSeedTraining.Result evaluate(String dataset, Path csv, int seeds, int epochs, int threads)
            throws IOException {
        Splits data = DataSets.loadNormalized(dataset, null, null);
        // Indices and weights; a weighted selection (CRAIG, GradMatch) weights each example's loss.
        WeightedSubset subset = WeightedSubset.readCsv(csv);
        // The device and thread count hold for this block only (the calling thread), not for the JVM:
        // another thread may compute in its own context meanwhile. Results are the same on any thread count.
        try (ComputeContext cpu = ComputeContext.cpu().threads(threads).open()) {
            MultiSeedTraining.Config cfg = new MultiSeedTraining.Config(TrainConfig.sgd(epochs, 128, 0.01, 0.9, 0), seeds);
            // Seeds 0, 1, ...: each model starts from its own initialisation and sees its own batch order.
            return MultiSeedTraining.run(Models.mlp(data.train().imageShape(), 256, data.train().classes()),
                    data.train(), subset, data.test(), cfg, MultiSeedTraining.Listeners.NONE);
        }
    }
}
