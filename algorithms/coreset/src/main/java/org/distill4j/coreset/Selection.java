package org.distill4j.coreset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.data.Dataset;
import org.distill4j.data.WeightedSubset;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.io.Provenance;

/**
 * The result of a selection: positions into the data set, a weight per selected example (1 where
 * the method has none), a score per selected example (NaN where it has none), the method's name
 * and the settings it ran with. Saved by {@link #writeCsv} with its provenance and the data set's
 * fingerprint, and read back by {@link WeightedSubset#readCsv}.
 */
public record Selection(String method, int[] indices, double[] weights, double[] scores, Map<String, Object> settings) {
    /** The {@code kind} of a selection file's provenance line. */
    public static final String KIND = "distill4j/selection";

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

    /** How many selected examples each class of {@code data} has (index = class). */
    public int[] perClass(Dataset data) {
        int[] counts = new int[data.classes()];
        for (int i : indices) {
            counts[data.label(i)]++;
        }
        return counts;
    }

    /** The selection as what the trainer reads. */
    public WeightedSubset toSubset() {
        return new WeightedSubset(indices, weights);
    }

    /**
     * This selection with {@code more} settings recorded beside the method's own (a key in both
     * takes {@code more}'s value): what the caller knows and the method does not, such as the
     * budget asked for, the selection model and its training, the seed.
     */
    public Selection withSettings(Map<String, Object> more) {
        Map<String, Object> all = new LinkedHashMap<>(settings);
        all.putAll(more);
        return new Selection(method, indices, weights, scores, all);
    }

    /**
     * Writes the selection as CSV: a first line {@code # distill4j selection {...}} with its
     * provenance (one JSON object: distill4j version, method and settings, the data set's name,
     * size and SHA-256 fingerprint ({@link Dataset#fingerprint}), and {@code rows_sha256}, the
     * SHA-256 of every byte after that line), then the header {@code index,label,weight,score}
     * and one row per selected example, in selection order, with labels from {@code data}.
     * {@link WeightedSubset#readCsv} verifies the rows' checksum, and its
     * {@link WeightedSubset#checkAgainst} refuses to apply the selection to another data set.
     * Other readers skip the first line as a comment, e.g. {@code pandas.read_csv(path, comment='#')}.
     * Numbers are written so that they
     * read back exactly; a missing score is {@code NaN}. The file appears whole or not at all, and
     * only where nothing but an earlier selection CSV would be replaced (see {@link Output}).
     */
    public void writeCsv(Path file, Dataset data) throws IOException {
        writeCsv(Output.check(file, OutputKinds.SELECTION_CSV, false), data);
    }

    /** Writes the file to an output path checked beforehand (for callers that check before long work). */
    public void writeCsv(Output out, Dataset data) throws IOException {
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] >= data.size()) {
                throw new IllegalArgumentException("selection by " + method + ": index " + indices[i]
                        + " is out of range for data set '" + data.name() + "' of size " + data.size());
            }
            labels[i] = data.label(indices[i]);
        }
        writeCsv(out, DataRecord.of(data), labels);
    }

    /**
     * What a selection file records of the data set it was made from: its name, size and a SHA-256
     * fingerprint, and what the fingerprint was computed over ({@code of}).
     */
    public record DataRecord(String name, long examples, String sha256, String of) {
        /** {@link Dataset#fingerprint}: the images as float32, then the labels as int32, little-endian. */
        public static DataRecord of(Dataset d) {
            return new DataRecord(d.name(), d.size(), d.fingerprint(),
                    "the images as float32, then the labels as int32, little-endian, as the data set holds them");
        }
    }

    /**
     * Writes the file for a data set that is not held in memory (a distributed engine's): as
     * {@link #writeCsv(Output, Dataset)}, with the data set described by {@code data} and the label
     * of each selected example given in selection order.
     */
    public void writeCsv(Output out, DataRecord data, int[] labels) throws IOException {
        if (labels.length != indices.length) {
            throw new IllegalArgumentException("selection by " + method + ": " + labels.length + " labels for "
                    + indices.length + " selected examples");
        }
        for (int index : indices) {
            if (index >= data.examples()) {
                throw new IllegalArgumentException("selection by " + method + ": index " + index
                        + " is out of range for data set '" + data.name() + "' of size " + data.examples());
            }
        }
        StringBuilder rows = new StringBuilder(OutputKinds.SELECTION_CSV.header()).append('\n');
        for (int i = 0; i < indices.length; i++) {
            rows.append(indices[i]).append(',').append(labels[i]).append(',').append(weights[i]).append(',')
                    .append(scores[i]).append('\n');
        }
        byte[] body = rows.toString().getBytes(StandardCharsets.UTF_8);
        byte[] first = (OutputKinds.SELECTION_CSV.signature() + Json.write(provenance(data, body)) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        out.writeFile(stream -> {
            stream.write(first);
            stream.write(body);
        });
    }

    /** The provenance line's object; {@code body} is what follows the line. */
    private Map<String, Object> provenance(DataRecord data, byte[] body) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", data.name());
        d.put("examples", data.examples());
        d.put("sha256", data.sha256());
        d.put("of", data.of());
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("kind", KIND);
        Provenance.stamp(o);
        o.put("method", method);
        o.put("settings", settings);
        o.put("selected", indices.length);
        o.put("data", d);
        o.put("rows_sha256", HexFormat.of().formatHex(Provenance.sha256().digest(body)));
        return o;
    }
}
