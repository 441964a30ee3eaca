package org.distill4j.coreset.protocol;

import java.util.Locale;

/**
 * The result of one {@link ProtocolRun}: one line of {@code results.csv}.
 *
 * @param budget           the examples asked for: {@code fraction} of the training set, at least 1
 * @param selected         the examples the method selected
 * @param selectionSeconds the method's own time (not the selection model's training or features)
 * @param pretrainSeconds  the training of the seed's selection model, shared by the seed's runs
 * @param finalAccuracy    test accuracy after the last epoch on the selection
 * @param bestAccuracy     the best test accuracy over those epochs
 * @param trainSeconds     the training on the selection
 */
public record ProtocolRow(String method, double fraction, long seed, int budget, int selected, double selectionSeconds,
                          double pretrainSeconds, double finalAccuracy, double bestAccuracy, double trainSeconds) {
    /** The columns of {@code results.csv}, in order. */
    public static final String HEADER = "method,fraction,seed,budget,selected,selection_seconds,pretrain_seconds,"
            + "final_accuracy,best_accuracy,train_seconds";

    /** The run this row is the result of. */
    public ProtocolRun run() {
        return new ProtocolRun(method, fraction, seed);
    }

    /** The row as a line of {@code results.csv} (without the line end). */
    public String csv() {
        return String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.4f,%.4f,%.6f,%.6f,%.3f", method, fraction, seed, budget,
                selected, selectionSeconds, pretrainSeconds, finalAccuracy, bestAccuracy, trainSeconds);
    }
}
