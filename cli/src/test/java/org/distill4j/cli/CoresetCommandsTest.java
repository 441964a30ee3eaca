package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.distill4j.coreset.protocol.ProtocolRow;
import org.distill4j.io.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coreset commands ({@code select}, {@code evaluate}, {@code coreset-bench})
 * on a tiny CSV data set: the happy path and the bad-input paths.
 */
class CoresetCommandsTest extends CommandTest {
    @TempDir
    Path dir;

    private Path data;

    @BeforeEach
    void tinyDataSet() throws IOException {
        StringBuilder sb = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < 40; i++) {
            int label = i % 3;
            sb.append(label + 0.1 * (i % 7)).append(',').append(-label + 0.05 * i % 1).append(',')
                    .append(0.3 * (i % 5)).append(',').append(label * 2).append(',').append(label).append('\n');
        }
        data = dir.resolve("tiny.csv");
        Files.writeString(data, sb.toString());
    }

    /** Exit code 2 and exactly one line on stderr containing every one of {@code parts}. */
    private void failsWithOneLine(String[] args, String... parts) {
        assertEquals(2, run(args), err.toString());
        String[] lines = errLines();
        assertEquals(1, lines.length, err.toString());
        for (String p : parts) {
            assertTrue(lines[0].contains(p), "'" + lines[0] + "' should contain '" + p + "'");
        }
    }

    private String[] select(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("select", "--device", "cpu", "--dataset", data.toString(), "--model", "mlp",
                "--selection-epochs", "1", "--batch-size", "8", "--out", dir.resolve("sel.csv").toString()));
        args.addAll(List.of(extra));
        return args.toArray(new String[0]);
    }

    @Test
    void selectWritesTheSelectionAndPrintsJson() throws IOException {
        assertEquals(0, run(select("--method", "kcenter", "--fraction", "0.25", "--json")), err.toString());
        List<String> stdout = out.toString().lines().toList();
        Map<String, Object> o = Json.parseObject(stdout.get(stdout.size() - 1));
        assertEquals(10, ((Number) o.get("selected")).intValue());
        assertEquals("kcenter", o.get("method"));
        assertEquals(List.of(4, 3, 3), ((List<?>) o.get("per_class")).stream().map(n -> ((Number) n).intValue()).toList());
        assertTrue(((Number) o.get("selection_seconds")).doubleValue() >= 0);
        List<String> rows = Files.readAllLines(dir.resolve("sel.csv"));
        assertTrue(rows.get(0).startsWith("# distill4j selection {"), rows.get(0));
        assertEquals("index,label,weight,score", rows.get(1));
        assertEquals(12, rows.size());
        assertTrue(stdout.get(0).startsWith("selected 10 of 40 examples by kcenter"), stdout.get(0));
    }

    @Test
    void selectRefusesBadInputWithOneLine() {
        failsWithOneLine(select("--method", "kcenter", "--fraction", "1.5"), "fraction must be in (0, 1], got 1.5");
        failsWithOneLine(select("--method", "kcenter", "--fraction", "0"), "fraction must be in (0, 1], got 0.0");
        failsWithOneLine(select("--method", "kcentre", "--fraction", "0.1"), "unknown coreset method 'kcentre'",
                "uniform, full, herding, kcenter");
        failsWithOneLine(select("--method", "uniform", "--budget", "41"), "--budget 41", "40 examples");
        failsWithOneLine(select("--method", "uniform"), "--fraction", "--budget");
        failsWithOneLine(select("--method", "uniform", "--fraction", "0.1", "--budget", "3"), "mutually exclusive");
        failsWithOneLine(select("--method", "ccs", "--score", "kcenter", "--fraction", "0.1"),
                "ccs cannot use 'kcenter' as its score", "scores: ", "forgetting");
        failsWithOneLine(select("--method", "d2-pruning", "--score", "nosuch", "--fraction", "0.1"),
                "d2-pruning: unknown score 'nosuch'");
        failsWithOneLine(select("--method", "importance", "--importance-bound", "nosuch", "--fraction", "0.1"),
                "unknown --importance-bound 'nosuch'; known: loss, gradient-norm, kmeans");
        failsWithOneLine(select("--method", "grand", "--score-models", "0", "--fraction", "0.1"), "models must be >= 1");
        failsWithOneLine(select("--method", "ccs", "--hard-cutoff", "1", "--fraction", "0.1"), "hard cutoff must be in [0, 1)");
        assertTrue(Files.notExists(dir.resolve("sel.csv")), "nothing is written on bad input");
    }

    @Test
    void selectTakesEveryMethodsHyperparameters() throws IOException {
        assertEquals(0, run(select("--method", "ccs", "--score", "forgetting", "--cut-score", "el2n", "--score-models", "2",
                "--el2n-epoch", "1", "--hard-cutoff", "0.2", "--strata", "5", "--fraction", "0.25")), err.toString());
        Map<String, Object> p = provenance();
        assertEquals("forgetting", p.get("score"));
        assertEquals("el2n", p.get("cut_score"));
        assertEquals(0.2, ((Number) p.get("cutoff")).doubleValue());
        assertEquals(5, ((Number) p.get("strata")).intValue());
        assertTrue(err.toString().contains("recording each example's loss") == false, "forgetting and EL2N need no dynamics");
        assertEquals(0, run(select("--method", "grand", "--score-models", "3", "--grand-epoch", "1", "--fraction", "0.25",
                "--force")), err.toString());
        p = provenance();
        assertEquals(3, ((Number) p.get("models")).intValue());
        assertEquals(1, ((Number) p.get("epoch")).intValue());
        assertEquals(0, run(select("--method", "importance", "--importance-draws", "with-replacement", "--fraction", "0.5",
                "--force")), err.toString());
        p = provenance();
        assertEquals("loss", p.get("bound"));
        assertEquals(20, ((Number) p.get("m")).intValue());
        assertTrue(err.toString().contains("recording each example's loss"), err.toString());
        assertEquals(0, run(select("--method", "gradmatch", "--gradmatch-lambda", "2", "--fraction", "0.25", "--force")),
                err.toString());
        assertEquals(2.0, ((Number) provenance().get("lambda")).doubleValue());
        assertEquals(0, run(select("--method", "glister", "--fraction", "0.25", "--force")), err.toString());
        assertEquals(0.01, ((Number) provenance().get("eta")).doubleValue(), "the selection model's --lr by default");
    }

    /** The method's settings from the selection file's provenance line. */
    private Map<String, Object> provenance() throws IOException {
        String first = Files.readAllLines(dir.resolve("sel.csv")).get(0);
        Map<String, Object> o = Json.parseObject(first.substring(first.indexOf('{')));
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) o.get("settings");
        return settings;
    }

    @Test
    void evaluateTrainsOnTheSubsetFromSeveralSeeds() throws IOException {
        Path sel = dir.resolve("ok.csv");
        Files.writeString(sel, "index,label,weight,score\n0,0,1.0,NaN\n1,1,2.0,NaN\n2,2,1.5,NaN\n5,2,1,NaN\n");
        assertEquals(0, run("evaluate", "--device", "cpu", "--dataset", data.toString(), "--subset", sel.toString(), "--model", "mlp",
                "--epochs", "2", "--seeds", "2", "--json"), err.toString());
        List<String> stdout = out.toString().lines().toList();
        Map<String, Object> o = Json.parseObject(stdout.get(stdout.size() - 1));
        assertEquals(2, ((List<?>) o.get("final_accuracy")).size());
        double mean = ((Number) o.get("final_mean")).doubleValue();
        assertTrue(mean >= 0 && mean <= 1, "accuracy " + mean);
        assertTrue(stdout.get(0).startsWith("seed 0: final test accuracy"), stdout.get(0));
    }

    @Test
    void evaluateRefusesUnknownIndicesAndBadWeights() throws IOException {
        Path unknown = dir.resolve("unknown.csv");
        Files.writeString(unknown, "index,label,weight,score\n0,0,1,NaN\n40,1,1,NaN\n");
        String[] base = {"evaluate", "--device", "cpu", "--dataset", data.toString(), "--model", "mlp", "--epochs", "1", "--subset"};
        failsWithOneLine(concat(base, unknown.toString()), "index 40", "out of range", "unknown.csv:3");
        Path negative = dir.resolve("negative.csv");
        Files.writeString(negative, "index,label,weight,score\n0,0,-1,NaN\n");
        failsWithOneLine(concat(base, negative.toString()), "weight -1.0", "must be finite and > 0");
        Path text = dir.resolve("text.csv");
        Files.writeString(text, "index,label,weight,score\n0,0,heavy,NaN\n");
        failsWithOneLine(concat(base, text.toString()), "weight 'heavy' is not a number");
        failsWithOneLine(concat(base, dir.resolve("missing.csv").toString()), "missing.csv");
    }

    private static String[] concat(String[] a, String b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + 1);
        r[a.length] = b;
        return r;
    }

    @Test
    void coresetBenchPassesTheMethodsHyperparametersAndPinsThem() throws IOException {
        Path report = dir.resolve("opts");
        String[] base = {"coreset-bench", "--device", "cpu", "--dataset", data.toString(), "--model", "mlp", "--fractions", "0.25",
                "--seeds", "1", "--selection-epochs", "1", "--epochs", "1", "--batch-size", "8", "--out", report.toString()};
        failsWithOneLine(concat(concat(concat(base, "--methods"), "ccs,kcentre"), "--force"), "unknown coreset method 'kcentre'");
        String[] ccs = concat(concat(concat(concat(base, "--methods"), "ccs"), "--score"), "kcenter");
        failsWithOneLine(ccs, "ccs cannot use 'kcenter' as its score");
        assertTrue(Files.notExists(report), "refused before anything is written");
        String[] ok = concat(concat(concat(concat(base, "--methods"), "ccs,d2-pruning"), "--hard-cutoff"), "0.1");
        assertEquals(0, run(ok), err.toString());
        Map<String, Object> settings = Json.parseObject(Files.readString(report.resolve("settings.json")));
        @SuppressWarnings("unchecked")
        Map<String, Object> options = (Map<String, Object>) settings.get("method_options");
        assertEquals(0.1, ((Number) options.get("ccs_cutoff")).doubleValue());
        assertEquals(0.1, ((Number) options.get("d2_cutoff")).doubleValue());
        assertEquals(3, Files.readAllLines(report.resolve("results.csv")).size());
        failsWithOneLine(concat(concat(base, "--methods"), "ccs,d2-pruning"), "holds results made with other settings",
                "method_options");
    }

    @Test
    void coresetBenchReportsScoreModelsAsThemselves() {
        // EL2N trains its own models for --el2n-epoch epochs: their progress is not the selection model's (1 epoch here).
        String[] args = {"coreset-bench", "--device", "cpu", "--dataset", data.toString(), "--model", "mlp", "--methods", "el2n",
                "--fractions", "0.25", "--seeds", "1", "--selection-epochs", "1", "--epochs", "1", "--batch-size", "8",
                "--score-models", "2", "--el2n-epoch", "3", "--out", dir.resolve("el2n").toString()};
        assertEquals(0, run(args), err.toString());
        String progress = err.toString();
        assertTrue(progress.contains("seed 0 score model 1 epoch 3/3") && progress.contains("seed 0 score model 2 epoch 3/3"),
                progress);
        assertTrue(!progress.contains("selection model epoch 2/1") && !progress.contains("selection model epoch 3/1"), progress);
    }

    @Test
    void coresetBenchWritesResumableResultsTableAndPlot() throws IOException {
        Path report = dir.resolve("report");
        String[] args = {"coreset-bench", "--device", "cpu", "--dataset", data.toString(), "--model", "mlp", "--methods",
                "uniform,kcenter,full", "--fractions", "0.1,0.5", "--seeds", "2", "--selection-epochs", "1", "--epochs", "1",
                "--batch-size", "8", "--out", report.toString()};
        assertEquals(0, run(args), err.toString());
        List<String> rows = Files.readAllLines(report.resolve("results.csv"));
        assertEquals(ProtocolRow.HEADER, rows.get(0));
        assertEquals(1 + 2 * (2 * 2 + 1), rows.size(), "two methods x two fractions, plus full once, per seed");
        String md = Files.readString(report.resolve("results.md"));
        assertTrue(md.contains("| method | 10% | 50% | 100% |"), md);
        assertTrue(md.contains("| kcenter |") && md.contains(" ± "), md);
        assertTrue(md.indexOf("| uniform |") < md.indexOf("| full |") && md.indexOf("| full |") < md.indexOf("| kcenter |"),
                "methods in the documented order, not the order given: " + md);
        var png = javax.imageio.ImageIO.read(report.resolve("accuracy.png").toFile());
        assertEquals(960, png.getWidth());
        for (String f : List.of("results.csv", "results.md", "accuracy.png", "settings.json")) {
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(report.resolve(f))), f + " is readable like any file, not private");
        }

        assertEquals(0, run(args), err.toString());
        assertTrue(!err.toString().contains("training the selection model"), "a rerun resumes: nothing left to do\n" + err);
        assertEquals(rows, Files.readAllLines(report.resolve("results.csv")));

        String[] other = args.clone();
        other[java.util.Arrays.asList(other).indexOf("--epochs") + 1] = "2";
        failsWithOneLine(other, "holds results made with other settings");

        // The same settings on other data at the same path (one label changed): refused, the rows kept.
        String csv = Files.readString(data);
        Files.writeString(data, csv.replaceFirst("\n(0[^\n]*),0\n", "\n$1,1\n"));
        failsWithOneLine(args, report + " holds results made with other settings (data set ", ", here ", "--force");
        assertEquals(rows, Files.readAllLines(report.resolve("results.csv")));
        Files.writeString(data, csv);

        // Two jobs at once: the same rows, whatever ran beside what (each run is seeded by itself).
        Path parallel = dir.resolve("report-jobs");
        String[] jobs = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--jobs", "2"))
                .toArray(String[]::new);
        jobs[java.util.Arrays.asList(jobs).indexOf("--out") + 1] = parallel.toString();
        assertEquals(0, run(jobs), err.toString());
        assertEquals(accuracies(rows), accuracies(Files.readAllLines(parallel.resolve("results.csv"))));
    }

    /** method, fraction, seed, selected and final/best accuracy of each row, sorted: a row without its seconds. */
    private static List<String> accuracies(List<String> csv) {
        return csv.stream().skip(1).map(line -> {
            String[] f = line.split(",");
            return String.join(",", f[0], f[1], f[2], f[4], f[7], f[8]);
        }).sorted().toList();
    }
}
