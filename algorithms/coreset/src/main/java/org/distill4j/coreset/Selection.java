package org.distill4j.coreset;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.data.Dataset;
import org.distill4j.data.WeightedSubset;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;

/**
 * The result of a selection: positions into the data set, a weight per selected example (1 where
 * the method has none), a score per selected example (NaN where it has none), the method's name
 * and the settings it ran with.
 */
public record Selection(String method, int[] indices, double[] weights, double[] scores, Map<String, Object> settings) {

    public Selection {
        if (method == null || method.isEmpty()) {
            throw new IllegalArgumentException("selection: the method name is missing");
        }
        if (indices.length != weights.length || indices.length != scores.length) {
            throw new IllegalArgumentException("selection by " + method + ": " + indices.length + " indices, "
                    + weights.length + " weights and " + scores.length + " scores; the lengths must be equal");
        }
        BitSet seen = new BitSet();
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0) {
                throw new IllegalArgumentException("selection by " + method + ": index " + indices[i] + " (position " + i
                        + ") is negative");
            }
            if (seen.get(indices[i])) {
                throw new IllegalArgumentException("selection by " + method + ": index " + indices[i]
                        + " is selected twice (position " + i + ")");
            }
            seen.set(indices[i]);
            if (!Double.isFinite(weights[i]) || weights[i] <= 0) {
                throw new IllegalArgumentException("selection by " + method + ": weight " + weights[i] + " of index "
                        + indices[i] + " must be finite and > 0");
            }
        }
        indices = indices.clone();
        weights = weights.clone();
        scores = scores.clone();
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings == null ? Map.of() : settings));
    }

    /** Weight 1 for every example. */
    public static Selection unweighted(String method, int[] indices, double[] scores, Map<String, Object> settings) {
        double[] w = new double[indices.length];
        java.util.Arrays.fill(w, 1.0);
        return new Selection(method, indices, w, scores, settings);
    }

    /** The indices (a copy). */
    @Override
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }

    public int size() {
        return indices.length;
    }

    /** The selection as what the trainer reads. */
    public WeightedSubset toSubset() {
        return new WeightedSubset(indices, weights);
    }

    /**
     * Writes {@code index,label,weight,score} rows, in selection order, with labels from {@code data}.
     * Numbers are written so that they read back exactly; a missing score is {@code NaN}. The file
     * appears whole or not at all, and only where nothing but an earlier selection CSV would be
     * replaced (see {@link Output}).
     */
    public void writeCsv(Path file, Dataset data) throws IOException {
        writeCsv(Output.check(file, OutputKinds.SELECTION_CSV, false), data);
    }

    /** Writes the rows to an output path checked beforehand (for callers that check before long work). */
    public void writeCsv(Output out, Dataset data) throws IOException {
        for (int index : indices) {
            if (index >= data.size()) {
                throw new IllegalArgumentException("selection by " + method + ": index " + index
                        + " is out of range for data set '" + data.name() + "' of size " + data.size());
            }
        }
        out.writeFile(stream -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            w.write(OutputKinds.SELECTION_CSV.header() + "\n");
            for (int i = 0; i < indices.length; i++) {
                w.write(indices[i] + "," + data.label(indices[i]) + "," + weights[i] + "," + scores[i] + "\n");
            }
            w.flush();
        });
    }
}
