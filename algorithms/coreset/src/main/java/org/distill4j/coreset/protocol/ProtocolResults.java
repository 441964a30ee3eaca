package org.distill4j.coreset.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.distill4j.coreset.CoresetMethods;
import org.distill4j.io.AtomicFile;
import org.distill4j.io.Printable;
import org.distill4j.train.SampleStats;

/**
 * The rows of a coreset protocol run, one per (method, fraction, seed), kept in {@code results.csv}.
 * Each new row rewrites the file through a temporary file and a rename, so an interrupted run
 * leaves every finished row and nothing half-written; a rerun skips the rows already there.
 * Safe to share between the protocol's jobs.
 */
public final class ProtocolResults {
    private final Path file;
    private final Map<ProtocolRun, ProtocolRow> rows = new LinkedHashMap<>();

    private ProtocolResults(Path file) {
        this.file = file;
    }

    /** The rows in {@code file}, or none when it does not exist yet. */
    public static ProtocolResults open(Path file) throws IOException {
        ProtocolResults r = new ProtocolResults(file);
        if (!Files.exists(file)) {
            return r;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text, so not a coreset-bench results file");
        }
        if (lines.isEmpty() || !lines.get(0).trim().equals(ProtocolRow.HEADER)) {
            throw new IOException(file + ": not a coreset-bench results file (expected the header " + ProtocolRow.HEADER + ")");
        }
        String[] names = ProtocolRow.HEADER.split(",");
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != names.length) {
                throw new IOException(file + ":" + (i + 1) + ": " + f.length + " columns, expected " + names.length);
            }
            String where = file + ":" + (i + 1) + ": ";
            if (!f[0].matches("[a-z0-9-]+")) {
                throw new IOException(where + "method '" + snippet(f[0]) + "' is not a method name (a-z, 0-9, '-')");
            }
            double[] v = new double[names.length];
            for (int c = 1; c < names.length; c++) {
                try {
                    v[c] = c == 2 ? Long.parseLong(f[c]) : Double.parseDouble(f[c]);
                } catch (NumberFormatException e) {
                    throw new IOException(where + names[c] + " '" + snippet(f[c]) + "' is not a number");
                }
                // fraction in (0, 1]; counts and seconds >= 0; accuracies in [0, 1]; the seed any integer.
                boolean ok = switch (c) {
                    case 1 -> v[c] > 0 && v[c] <= 1;
                    case 2 -> true;
                    case 3, 4 -> v[c] >= 0 && v[c] <= Integer.MAX_VALUE && v[c] == Math.rint(v[c]);
                    case 7, 8 -> v[c] >= 0 && v[c] <= 1;
                    default -> v[c] >= 0 && Double.isFinite(v[c]);
                };
                if (!ok) {
                    throw new IOException(where + names[c] + " " + snippet(f[c]) + " is out of range");
                }
            }
            ProtocolRow row = new ProtocolRow(f[0], v[1], Long.parseLong(f[2]), (int) v[3], (int) v[4], v[5], v[6], v[7], v[8], v[9]);
            r.rows.put(row.run(), row);
        }
        return r;
    }

    private static String snippet(String s) {
        return Printable.cut(s, 40);
    }

    /** The file the rows are kept in. */
    public Path file() {
        return file;
    }

    /** Whether {@code run}'s row is there. */
    public synchronized boolean has(ProtocolRun run) {
        return rows.containsKey(run);
    }

    /** The rows, in the order they were made (those read from the file first). */
    public synchronized List<ProtocolRow> rows() {
        return new ArrayList<>(rows.values());
    }

    /** Adds a row (replacing one of the same run) and rewrites the file atomically. */
    public synchronized void add(ProtocolRow row) throws IOException {
        rows.put(row.run(), row);
        StringBuilder sb = new StringBuilder(ProtocolRow.HEADER).append('\n');
        for (ProtocolRow r : rows.values()) {
            sb.append(r.csv()).append('\n');
        }
        AtomicFile.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Mean and sample standard deviation (n - 1; NaN for one run) of final accuracy, and mean
     * selection seconds, over seeds.
     */
    public record Cell(double mean, double sampleStd, int runs, double selectionSeconds) {
    }

    /**
     * method -> fraction -> cell, fractions ascending, methods in {@link CoresetMethods#NAMES}' order (the
     * order of {@code --methods all}, whatever order the rows were made in), any other names after them.
     */
    public synchronized Map<String, Map<Double, Cell>> cells() {
        Map<String, Map<Double, List<ProtocolRow>>> grouped = new TreeMap<>(java.util.Comparator
                .comparingInt((String m) -> CoresetMethods.NAMES.contains(m) ? CoresetMethods.NAMES.indexOf(m) : Integer.MAX_VALUE)
                .thenComparing(m -> m));
        for (ProtocolRow r : rows.values()) {
            grouped.computeIfAbsent(r.method(), m -> new TreeMap<>()).computeIfAbsent(r.fraction(), f -> new ArrayList<>()).add(r);
        }
        Map<String, Map<Double, Cell>> out = new LinkedHashMap<>();
        grouped.forEach((method, byFraction) -> {
            Map<Double, Cell> cells = new TreeMap<>();
            byFraction.forEach((fraction, list) -> {
                double[] acc = list.stream().mapToDouble(ProtocolRow::finalAccuracy).toArray();
                double sel = list.stream().mapToDouble(ProtocolRow::selectionSeconds).average().orElse(Double.NaN);
                SampleStats stats = SampleStats.of(acc);
                cells.put(fraction, new Cell(stats.mean(), stats.sampleStd().orElse(Double.NaN), acc.length, sel));
            });
            out.put(method, cells);
        });
        return out;
    }
}
