package org.distill4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.distill4j.coreset.CoresetMethods;
import org.distill4j.io.AtomicFile;

/**
 * The rows of a coreset benchmark, one per (method, fraction, seed), kept in {@code results.csv}.
 * Each new row rewrites the file through a temporary file and a rename, so an interrupted run
 * leaves every finished row and nothing half-written; a rerun skips the rows already there.
 */
final class BenchResults {
    static final String HEADER = "method,fraction,seed,budget,selected,selection_seconds,pretrain_seconds,"
            + "final_accuracy,best_accuracy,train_seconds";

    record Row(String method, double fraction, long seed, int budget, int selected, double selectionSeconds,
               double pretrainSeconds, double finalAccuracy, double bestAccuracy, double trainSeconds) {
        String csv() {
            return String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.4f,%.4f,%.6f,%.6f,%.3f", method, fraction, seed, budget,
                    selected, selectionSeconds, pretrainSeconds, finalAccuracy, bestAccuracy, trainSeconds);
        }

        String key() {
            return BenchResults.key(method, fraction, seed);
        }
    }

    static String key(String method, double fraction, long seed) {
        return method + "|" + fraction + "|" + seed;
    }

    private final Path file;
    private final Map<String, Row> rows = new LinkedHashMap<>();

    private BenchResults(Path file) {
        this.file = file;
    }

    /** The rows in {@code file}, or none when it does not exist yet. */
    static BenchResults open(Path file) throws IOException {
        BenchResults r = new BenchResults(file);
        if (!Files.exists(file)) {
            return r;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text, so not a coreset-bench results file");
        }
        if (lines.isEmpty() || !lines.get(0).trim().equals(HEADER)) {
            throw new IOException(file + ": not a coreset-bench results file (expected the header " + HEADER + ")");
        }
        String[] names = HEADER.split(",");
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
            Row row = new Row(f[0], v[1], Long.parseLong(f[2]), (int) v[3], (int) v[4], v[5], v[6], v[7], v[8], v[9]);
            r.rows.put(row.key(), row);
        }
        return r;
    }

    /** At most 40 characters of a field, control characters as U+XXXX, for one-line messages. */
    private static String snippet(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(40, s.length()); i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c != 0x7f ? String.valueOf(c) : String.format("U+%04X", (int) c));
        }
        return s.length() > 40 ? sb + "..." : sb.toString();
    }

    boolean has(String method, double fraction, long seed) {
        return rows.containsKey(key(method, fraction, seed));
    }

    List<Row> rows() {
        return new ArrayList<>(rows.values());
    }

    /** Adds a row and rewrites the file atomically. */
    void add(Row row) throws IOException {
        rows.put(row.key(), row);
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Row r : rows.values()) {
            sb.append(r.csv()).append('\n');
        }
        AtomicFile.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Mean and sample standard deviation (n - 1; NaN for one run) of final accuracy, and mean
     * selection seconds, over seeds.
     */
    record Cell(double mean, double sampleStd, int runs, double selectionSeconds) {
    }

    /**
     * method -> fraction -> cell, fractions ascending, methods in {@link CoresetMethods#NAMES}' order (the
     * order of {@code --methods all}, whatever order the rows were made in), any other names after them.
     */
    Map<String, Map<Double, Cell>> cells() {
        Map<String, Map<Double, List<Row>>> grouped = new TreeMap<>(java.util.Comparator
                .comparingInt((String m) -> CoresetMethods.NAMES.contains(m) ? CoresetMethods.NAMES.indexOf(m) : Integer.MAX_VALUE)
                .thenComparing(m -> m));
        for (Row r : rows.values()) {
            grouped.computeIfAbsent(r.method(), m -> new TreeMap<>()).computeIfAbsent(r.fraction(), f -> new ArrayList<>()).add(r);
        }
        Map<String, Map<Double, Cell>> out = new LinkedHashMap<>();
        grouped.forEach((method, byFraction) -> {
            Map<Double, Cell> cells = new TreeMap<>();
            byFraction.forEach((fraction, list) -> {
                double[] acc = list.stream().mapToDouble(Row::finalAccuracy).toArray();
                double sel = list.stream().mapToDouble(Row::selectionSeconds).average().orElse(Double.NaN);
                cells.put(fraction, new Cell(SubsetTraining.mean(acc), SubsetTraining.sampleStd(acc), acc.length, sel));
            });
            out.put(method, cells);
        });
        return out;
    }
}
