package org.distill4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Examples of a data set chosen by index, each with a positive weight: what training on a coreset
 * reads (loss = sum w*l / sum w). Repeated indices are allowed (sampling with replacement).
 */
public final class WeightedSubset {
    private final int[] indices;
    private final double[] weights;
    /** Where the entries came from, for messages: a file and its line numbers, or null when built in memory. */
    private final String source;
    private final int[] lines;

    public WeightedSubset(int[] indices, double[] weights) {
        this(indices, weights, null, null);
    }

    private WeightedSubset(int[] indices, double[] weights, String source, int[] lines) {
        if (indices.length != weights.length) {
            throw new IllegalArgumentException("weighted subset: " + indices.length + " indices but " + weights.length + " weights");
        }
        if (indices.length == 0) {
            throw new IllegalArgumentException("weighted subset" + (source == null ? "" : " " + source) + " is empty");
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0) {
                throw new IllegalArgumentException(where(source, lines, i) + "index " + indices[i] + " is negative");
            }
            if (!Double.isFinite(weights[i]) || weights[i] <= 0) {
                throw new IllegalArgumentException(where(source, lines, i) + "weight " + weights[i]
                        + " of index " + indices[i] + " must be finite and > 0");
            }
        }
        this.indices = indices.clone();
        this.weights = weights.clone();
        this.source = source;
        this.lines = lines;
    }

    /** Every index once, weight 1. */
    public static WeightedSubset uniform(int[] indices) {
        double[] w = new double[indices.length];
        Arrays.fill(w, 1.0);
        return new WeightedSubset(indices, w);
    }

    public int[] indices() {
        return indices.clone();
    }

    public double[] weights() {
        return weights.clone();
    }

    public int size() {
        return indices.length;
    }

    /** True when every weight is 1 (a plain subset). */
    public boolean unweighted() {
        return Arrays.stream(weights).allMatch(w -> w == 1.0);
    }

    /** Refuses an index that {@code d} does not have. */
    public void checkAgainst(Dataset d) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] >= d.size()) {
                throw new IllegalArgumentException(where(source, lines, i) + "index " + indices[i]
                        + " is out of range for data set '" + d.name() + "' of size " + d.size());
            }
        }
    }

    /** The selected examples of {@code d} (repeats kept), in this subset's order; weights stay here. */
    public Dataset select(Dataset d) {
        checkAgainst(d);
        return d.subset(indices);
    }

    /**
     * Reads a selection file: a header naming the columns (normally {@code index,label,weight,score};
     * only {@code index} is required, a missing {@code weight} means 1; other columns are ignored),
     * then one row per selected example.
     */
    public static WeightedSubset readCsv(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw FileBytes.missing(p, "");
        }
        int[] idx = new int[64];
        double[] w = new double[64];
        int[] lineOf = new int[64];
        int n = 0;
        int indexCol = -1;
        int weightCol = -1;
        int columns = 0;
        try (BufferedReader in = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                if (indexCol < 0) {
                    columns = fields.length;
                    for (int j = 0; j < fields.length; j++) {
                        String name = fields[j].trim().toLowerCase();
                        if (name.equals("index")) {
                            indexCol = j;
                        } else if (name.equals("weight")) {
                            weightCol = j;
                        }
                    }
                    if (indexCol < 0) {
                        throw new IOException(p + ":" + lineNo + ": the header must name an 'index' column"
                                + " (index,label,weight,score), found '" + snippet(line.trim()) + "'");
                    }
                    continue;
                }
                if (fields.length != columns) {
                    throw new IOException(p + ":" + lineNo + ": " + fields.length + " columns, the header has " + columns);
                }
                if (n == idx.length) {
                    idx = Arrays.copyOf(idx, 2 * n);
                    w = Arrays.copyOf(w, 2 * n);
                    lineOf = Arrays.copyOf(lineOf, 2 * n);
                }
                String s = fields[indexCol].trim();
                try {
                    idx[n] = Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    throw new IOException(p + ":" + lineNo + ": index '" + snippet(s) + "' is not an integer from 0 to "
                            + Integer.MAX_VALUE);
                }
                w[n] = 1.0;
                if (weightCol >= 0) {
                    String ws = fields[weightCol].trim();
                    try {
                        w[n] = Double.parseDouble(ws);
                    } catch (NumberFormatException e) {
                        throw new IOException(p + ":" + lineNo + ": weight '" + snippet(ws) + "' is not a number");
                    }
                }
                lineOf[n] = lineNo;
                n++;
            }
        } catch (CharacterCodingException e) {
            throw new IOException(p + ": not UTF-8 text, so not a selection CSV");
        }
        if (indexCol < 0) {
            throw new IOException(p + ": empty selection file (expected a header index,label,weight,score and rows)");
        }
        if (n == 0) {
            throw new IOException(p + ": no rows after the header");
        }
        return new WeightedSubset(Arrays.copyOf(idx, n), Arrays.copyOf(w, n), p.toString(), Arrays.copyOf(lineOf, n));
    }

    /** At most 40 characters of a field, control characters as U+XXXX: messages stay one short line. */
    private static String snippet(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(40, s.length()); i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c != 0x7f ? String.valueOf(c) : String.format("U+%04X", (int) c));
        }
        return s.length() > 40 ? sb + "..." : sb.toString();
    }

    private static String where(String source, int[] lines, int i) {
        return source == null ? "weighted subset entry " + i + ": " : source + ":" + lines[i] + ": ";
    }

    @Override
    public String toString() {
        return "WeightedSubset[" + indices.length + " examples" + (source == null ? "" : " from " + source) + "]";
    }
}
