package org.distill4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.data.Normalization;
import org.distill4j.data.Splits;
import org.distill4j.distill.DistilledEvaluation;
import org.distill4j.distill.DistilledSet;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;

/** What the distillation commands share: normalised data, the model check, the evaluation table. */
final class DistillData {
    final Dataset train;
    final Dataset test;
    final Normalization norm;

    private DistillData(Dataset train, Dataset test, Normalization norm) {
        this.train = train;
        this.test = test;
        this.norm = norm;
    }

    /** Loads both splits, normalised with {@code norm}, or with the training set's own statistics when null. */
    static DistillData load(String dataset, Path dataDir, Normalization norm) throws IOException {
        Splits s = DataSets.loadNormalized(dataset, dataDir, norm);
        return new DistillData(s.train(), s.test(), s.norm());
    }

    static Map<String, Object> normMap(Normalization n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", n.mean());
        m.put("std", n.std());
        return m;
    }

    static Normalization normOf(Map<String, Object> meta) throws IOException {
        if (!(meta.get("normalization") instanceof Map<?, ?> m) || !(m.get("mean") instanceof List<?> mean)
                || !(m.get("std") instanceof List<?> std)) {
            throw new IOException("meta.json: 'normalization' must be {\"mean\": [...], \"std\": [...]}");
        }
        return Normalization.of(doubles(mean), doubles(std));
    }

    private static double[] doubles(List<?> l) {
        return l.stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }

    /** One table row: replay accuracy over {@code inits}, and ordinary-training accuracy. */
    static Map<String, Object> evaluate(String name, Model model, DistilledSet set, Dataset test, Params[] inits,
                                        int trainEpochs, long seed) {
        DistilledEvaluation.Stats replay = DistilledEvaluation.replay(model, set, test, inits);
        DistilledEvaluation.Stats ordinary = DistilledEvaluation.trainOrdinary(model, set, test, inits, trainEpochs, 0.01, seed);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("method", name);
        row.put("replay", replay.toMap());
        row.put("ordinary_training", ordinary.toMap());
        return row;
    }

    /** Test accuracy, mean +- sample std over the networks ("-" for one network, where it is undefined). */
    @SuppressWarnings("unchecked")
    static String table(List<Map<String, Object>> rows, String initNote) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(java.util.Locale.ROOT, "%-28s %-22s %-22s%n", "method",
                "replay (" + initNote + ")", "ordinary SGD training"));
        for (Map<String, Object> r : rows) {
            Map<String, Object> a = (Map<String, Object>) r.get("replay");
            Map<String, Object> b = (Map<String, Object>) r.get("ordinary_training");
            sb.append(String.format(java.util.Locale.ROOT, "%-28s %-22s %-22s%n", r.get("method"), cell(a), cell(b)));
        }
        sb.append("(test accuracy, mean +- sample std over the networks; - where there is one network)\n");
        return sb.toString();
    }

    private static String cell(Map<String, Object> s) {
        return String.format(java.util.Locale.ROOT, "%.2f%% +- %s", 100 * (double) s.get("mean"),
                s.get("sample_std") instanceof Number std ? String.format(java.util.Locale.ROOT, "%.2f", 100 * std.doubleValue()) : "-");
    }

    static void checkModel(Model model, Dataset train) {
        if (!java.util.Arrays.equals(model.inputShape(), train.imageShape())) {
            throw new IllegalArgumentException("model " + model.name() + " expects images "
                    + org.distill4j.tensor.Shape.str(model.inputShape()) + ", data have " + org.distill4j.tensor.Shape.str(train.imageShape()));
        }
    }
}
