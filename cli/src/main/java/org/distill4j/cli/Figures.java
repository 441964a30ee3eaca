package org.distill4j.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.distill4j.distill.BaselineComparison;
import org.distill4j.distill.DistilledEvaluation;
import org.distill4j.train.MultiSeedTraining;
import org.distill4j.train.SampleStats;

/**
 * The library's result records as the commands show them: the text table of distilled-set
 * evaluations, and the JSON objects of {@code --json} and meta.json's results (the one place
 * where field names are chosen). A sample std left undefined by one value is "-" in text and
 * null in JSON.
 */
final class Figures {
    private Figures() {
    }

    /** {@code std} formatted by {@code format}, or "-" where one value leaves it undefined. */
    static String std(String format, OptionalDouble std) {
        return std.isPresent() ? String.format(Locale.ROOT, format, std.getAsDouble()) : "-";
    }

    /** {@code std} for JSON: null where one value leaves it undefined. */
    static Double jsonStd(OptionalDouble std) {
        return std.isPresent() ? std.getAsDouble() : null;
    }

    /** {@code mean}, {@code sample_std} and {@code n}. */
    static Map<String, Object> json(SampleStats s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("mean", s.mean());
        o.put("sample_std", jsonStd(s.sampleStd()));
        o.put("n", s.n());
        return o;
    }

    /** One evaluated set: {@code method}, {@code replay}, {@code ordinary_training}. */
    static Map<String, Object> json(String method, DistilledEvaluation.Result r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("method", method);
        row.put("replay", json(r.replay()));
        row.put("ordinary_training", json(r.ordinaryTraining()));
        return row;
    }

    static Map<String, Object> json(BaselineComparison.Row row) {
        return json(row.method(), row.result());
    }

    /** Per-seed accuracies, their means and sample stds, and the training time. */
    static Map<String, Object> json(MultiSeedTraining.Result r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("final_accuracy", r.runs().stream().map(MultiSeedTraining.SeedRun::finalAccuracy).toList());
        o.put("best_accuracy", r.runs().stream().map(MultiSeedTraining.SeedRun::bestAccuracy).toList());
        o.put("final_mean", r.finalAccuracy().mean());
        o.put("final_sample_std", jsonStd(r.finalAccuracy().sampleStd()));
        o.put("best_mean", r.bestAccuracy().mean());
        o.put("best_sample_std", jsonStd(r.bestAccuracy().sampleStd()));
        o.put("train_seconds", r.seconds());
        return o;
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
