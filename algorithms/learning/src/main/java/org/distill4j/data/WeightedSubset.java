package org.distill4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.distill4j.io.Json;
import org.distill4j.io.OutputKinds;
import org.distill4j.io.Printable;
import org.distill4j.io.Provenance;

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
    /** The JSON of the selection file's provenance line, or null when it has none (older or hand-made files, or built in memory). */
    private final String provenance;
    /** The data set the provenance line records, or null. */
    private final Recorded recorded;
    /** The first line of a selection file that records what made it; JSON follows on the same line. */
    private static final String SIGNATURE = OutputKinds.SELECTION_CSV.signature();
    /** The largest selection file read: 60,000 rows are about 2 MB. */
    static final long MAX_FILE_BYTES = 1L << 30;

    public WeightedSubset(int[] indices, double[] weights) {
        this(indices, weights, null, null, null, null);
    }

    private WeightedSubset(int[] indices, double[] weights, String source, int[] lines, String provenance, Recorded recorded) {
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
        this.provenance = provenance;
        this.recorded = recorded;
    }

    /** The data set a selection file was made from: its name, size and {@link Dataset#fingerprint}. */
    private record Recorded(String name, long examples, String sha256) {
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

    /**
     * What the selection file's first line records (distill4j version, method and settings, the
     * data set's {@code name}, {@code examples} and {@code sha256} under {@code data}, the rows'
     * {@code rows_sha256}); empty for a file without that line or a subset built in memory.
     */
    public Optional<Map<String, Object>> provenance() {
        return Optional.ofNullable(provenance).map(Json::parseObject);
    }

    /** True when every weight is 1 (a plain subset). */
    public boolean unweighted() {
        return Arrays.stream(weights).allMatch(w -> w == 1.0);
    }

    /**
     * Refuses a subset read from a selection file that records another data set than {@code d}
     * (their fingerprints differ, see {@link Dataset#fingerprint}), and an index that {@code d}
     * does not have.
     */
    public void checkAgainst(Dataset d) {
        if (recorded != null && !recorded.sha256().equals(d.fingerprint())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s was selected from %s (%,d examples, sha256 %s),"
                            + " not from %s (%,d examples, sha256 %s)", source, snippet(recorded.name(), 120), recorded.examples(),
                    shortHash(recorded.sha256()), snippet(d.name(), 120), d.size(), shortHash(d.fingerprint())));
        }
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
     * Reads a selection file: optionally a first line {@code # distill4j selection {...}} (the
     * provenance that {@code Selection.writeCsv} writes: one JSON object with the data set's name,
     * size and SHA-256 fingerprint and a SHA-256 of the bytes after that line, which is verified
     * here), other lines starting with {@code #} before the header (comments, skipped), a header
     * naming the columns (normally {@code index,label,weight,score}; only {@code index} is
     * required, a missing {@code weight} means 1; other columns are ignored), then one row per
     * selected example. Every way the file can be wrong is one line that starts with its path.
     */
    public static WeightedSubset readCsv(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw FileBytes.missing(p, "");
        }
        long size = Files.size(p);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(p + ": " + size + " bytes, more than the " + MAX_FILE_BYTES + " a selection file can have");
        }
        byte[] bytes = Files.readAllBytes(p);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(p + ": not UTF-8 text, so not a selection CSV");
        }
        int[] idx = new int[64];
        double[] w = new double[64];
        int[] lineOf = new int[64];
        int n = 0;
        int indexCol = -1;
        int weightCol = -1;
        int columns = 0;
        String provenance = null;
        Recorded recorded = null;
        int lineNo = 0;
        int at = text.startsWith("\uFEFF") ? 1 : 0;
        while (at < text.length()) {
            // Lines end at \n, \r or \r\n, as for BufferedReader.readLine.
            int end = at;
            while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            String line = text.substring(at, end);
            at = end + (text.startsWith("\r\n", end) ? 2 : 1);
            lineNo++;
            if (lineNo == 1 && line.startsWith(SIGNATURE)) {
                provenance = line.substring(SIGNATURE.length());
                Map<String, Object> o = provenance(p, provenance);
                int body = text.substring(0, Math.min(at, text.length())).getBytes(StandardCharsets.UTF_8).length;
                checkRows(p, (String) o.get("rows_sha256"), bytes, body);
                Map<?, ?> data = (Map<?, ?>) o.get("data");
                recorded = new Recorded((String) data.get("name"), ((Number) data.get("examples")).longValue(),
                        (String) data.get("sha256"));
                continue;
            }
            if (line.isBlank() || (indexCol < 0 && line.startsWith("#"))) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (indexCol < 0) {
                columns = fields.length;
                for (int j = 0; j < fields.length; j++) {
                    String name = fields[j].trim().toLowerCase(Locale.ROOT);
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
        if (indexCol < 0) {
            throw new IOException(p + ": empty selection file (expected a header index,label,weight,score and rows)");
        }
        if (n == 0) {
            throw new IOException(p + ": no rows after the header");
        }
        return new WeightedSubset(Arrays.copyOf(idx, n), Arrays.copyOf(w, n), p.toString(), Arrays.copyOf(lineOf, n),
                provenance, recorded);
    }

    /**
     * The provenance line's JSON, checked for what the reader relies on: {@code rows_sha256} and
     * {@code data} with {@code name}, {@code examples} and {@code sha256}.
     */
    private static Map<String, Object> provenance(Path p, String json) throws IOException {
        String where = p + ":1: the '" + SIGNATURE.trim() + "' line ";
        Map<String, Object> o;
        try {
            o = Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + "is not one JSON object: " + e.getMessage());
        }
        if (!isSha256(o.get("rows_sha256"))) {
            throw new IOException(where + "must have \"rows_sha256\": 64 hex digits, found " + found(o.get("rows_sha256")));
        }
        if (!(o.get("data") instanceof Map<?, ?> data) || !(data.get("name") instanceof String)
                || !isCount(data.get("examples")) || !isSha256(data.get("sha256"))) {
            throw new IOException(where + "must have \"data\": {\"name\": ..., \"examples\": N, \"sha256\": 64 hex digits}, found "
                    + found(o.get("data")));
        }
        return o;
    }

    /** Refuses a file whose bytes after the provenance line are not the ones it was written with. */
    private static void checkRows(Path p, String recorded, byte[] bytes, int from) throws IOException {
        MessageDigest md = Provenance.sha256();
        md.update(bytes, from, bytes.length - from);
        String found = HexFormat.of().formatHex(md.digest());
        if (!found.equals(recorded)) {
            throw new IOException(p + ": the rows were changed after distill4j wrote them (their sha256 is " + shortHash(found)
                    + ", the first line records " + shortHash(recorded) + "); to use them as they are, delete the first line");
        }
    }

    private static boolean isSha256(Object v) {
        return v instanceof String s && s.length() == 64 && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    private static boolean isCount(Object v) {
        return v instanceof Number x && x.doubleValue() >= 1 && x.doubleValue() <= Integer.MAX_VALUE
                && x.doubleValue() == Math.rint(x.doubleValue());
    }

    private static String found(Object v) {
        return v == null ? "none" : snippet(Json.write(v));
    }

    /** The first 12 hex digits of a SHA-256, enough to tell two apart in a message. */
    private static String shortHash(String sha256) {
        return sha256.substring(0, 12) + "...";
    }

    private static String snippet(String s) {
        return Printable.cut(s, 40);
    }

    private static String snippet(String s, int max) {
        return Printable.cut(s, max);
    }

    private static String where(String source, int[] lines, int i) {
        return source == null ? "weighted subset entry " + i + ": " : source + ":" + lines[i] + ": ";
    }

    @Override
    public String toString() {
        return "WeightedSubset[" + indices.length + " examples" + (source == null ? "" : " from " + source) + "]";
    }
}
