package org.distill4j.cli;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.distill4j.distill.BaselineComparison;
import org.distill4j.options.Progress;
import org.distill4j.train.SampleStats;

/**
 * The library's result records as the commands show them in text: the table of distilled-set
 * evaluations. A sample std left undefined by one value is "-" (their JSON is the records' own
 * {@code toMap}, where it is null).
 */
final class Figures {
    private Figures() {
    }

    /** {@code std} formatted by {@code format}, or "-" where one value leaves it undefined. */
    static String std(String format, OptionalDouble std) {
        return std.isPresent() ? String.format(Locale.ROOT, format, std.getAsDouble()) : "-";
    }

    /** Test accuracy, mean +- sample std over the networks ("-" for one network, where it is undefined). */
    static String table(List<BaselineComparison.Row> rows, String initNote) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-28s %-22s %-22s%n", "method",
                "replay (" + initNote + ")", "ordinary SGD training"));
        for (BaselineComparison.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-28s %-22s %-22s%n", r.method(), cell(r.result().replay()),
                    cell(r.result().ordinaryTraining())));
        }
        sb.append("(test accuracy, mean +- sample std over the networks; - where there is one network)\n");
        return sb.toString();
    }

    private static String cell(SampleStats s) {
        return String.format(Locale.ROOT, "%.2f%% +- %s", 100 * s.mean(), s.sampleStd().isPresent()
                ? String.format(Locale.ROOT, "%.2f", 100 * s.sampleStd().getAsDouble()) : "-");
    }

    /** "fixed init" or "N random inits": the replay column's note. */
    static String initNote(boolean fixed, int networks) {
        return fixed ? "fixed init" : Progress.count(networks, "random init");
    }
}
