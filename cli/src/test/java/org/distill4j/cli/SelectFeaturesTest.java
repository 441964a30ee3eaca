package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.distill4j.coreset.KCenterGreedy;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.coreset.submodular.Similarity;
import org.distill4j.coreset.submodular.StochasticGreedy;
import org.distill4j.coreset.submodular.SubmodularSelection;
import org.distill4j.data.WeightedSubset;
import org.distill4j.io.Json;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code select --features input} on feature vectors given as images.npy [N, D] + labels.npy, and its engine flags. */
class SelectFeaturesTest extends CommandTest {
    private static final int N = 90;
    private static final int D = 5;

    @TempDir
    Path dir;

    private Path data;
    private float[] features;
    private int[] labels;

    @BeforeEach
    void featureFolder() throws IOException {
        Generator g = new Generator(3);
        features = new float[N * D];
        labels = new int[N];
        for (int i = 0; i < N; i++) {
            labels[i] = i % 3;
            for (int d = 0; d < D; d++) {
                features[i * D + d] = (float) (g.nextDouble() + (d == labels[i] ? 2 : 0));
            }
        }
        data = write("rows", features);
    }

    private Path write(String name, float[] x) throws IOException {
        Path folder = dir.resolve(name);
        Files.createDirectories(folder);
        Npy.write(folder.resolve("images.npy"), Tensor.fromFloats(x, N, D));
        Npy.write(folder.resolve("labels.npy"), Tensor.fromInts(labels, N));
        return folder;
    }

    private String[] select(Path folder, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("select", "--device", "cpu", "--dataset", folder.toString(),
                "--features", "input", "--out", dir.resolve("sel.csv").toString()));
        args.addAll(List.of(extra));
        return args.toArray(new String[0]);
    }

    private Map<String, Object> lastJson() {
        List<String> lines = out.toString().lines().toList();
        return Json.parseObject(lines.get(lines.size() - 1));
    }

    private SelectionContext context() {
        return SelectionContext.ofFeatures(Tensor.fromFloats(features, N, D), labels, 3, 0, true);
    }

    @Test
    void facilityLocationOnTheRowsThemselvesIsTheLibrarysSelectionWithItsObjective() throws IOException {
        assertEquals(0, run(select(data, "--method", "facility-location", "--budget", "9", "--json")), err.toString());
        SubmodularSelection fl = new SubmodularSelection("facility-location", SubmodularSelection.Features.EMBEDDINGS,
                Similarity.Kernel.COSINE, SubmodularSelection.Optimizer.LAZY, Double.NaN, StochasticGreedy.DEFAULT_EPSILON);
        int[] expected = fl.select(context(), 9).indices();
        WeightedSubset written = WeightedSubset.readCsv(dir.resolve("sel.csv"));
        assertArrayEquals(expected, written.indices());
        Map<String, Object> o = lastJson();
        assertEquals("input", o.get("features"));
        assertFalse(o.containsKey("model"), "no selection model was trained");
        @SuppressWarnings("unchecked")
        Map<String, Object> objective = (Map<String, Object>) o.get("objective");
        assertEquals("facility-location", objective.get("name"));
        assertEquals(fl.objective(context(), expected).value(), ((Number) objective.get("value")).doubleValue(), 1e-9);
        String provenance = Files.readAllLines(dir.resolve("sel.csv")).get(0);
        assertTrue(provenance.matches(".*\"features\": ?\"input\".*"), provenance);
    }

    @Test
    void kCenterReportsItsRadiusAndUniformHasNoObjective() {
        assertEquals(0, run(select(data, "--method", "kcenter", "--budget", "6", "--json", "--force")), err.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> objective = (Map<String, Object>) lastJson().get("objective");
        int[] picks = new KCenterGreedy().select(context(), 6).indices();
        assertEquals(new KCenterGreedy().objective(context(), picks).value(), ((Number) objective.get("value")).doubleValue(), 1e-9);
        assertEquals(0, run(select(data, "--method", "uniform", "--budget", "6", "--json", "--force")), err.toString());
        assertFalse(lastJson().containsKey("objective"));
    }

    /** Exit code 2, one line on stderr containing every one of {@code parts}, and no selection file. */
    private void failsWithOneLine(String[] args, String... parts) {
        assertEquals(2, run(args), err.toString());
        String[] lines = errLines();
        assertEquals(1, lines.length, err.toString());
        for (String p : parts) {
            assertTrue(lines[0].contains(p), "'" + lines[0] + "' should contain '" + p + "'");
        }
        assertTrue(Files.notExists(dir.resolve("sel.csv")), "nothing is written on bad input");
    }

    @Test
    void badInputIsOneLineAndWritesNothing() throws IOException {
        float[] bad = features.clone();
        bad[7 * D + 2] = Float.NaN;
        failsWithOneLine(select(write("nan", bad), "--method", "kcenter", "--budget", "6"), "feature 2 of row 7 is NaN");
        bad[7 * D + 2] = Float.POSITIVE_INFINITY;
        failsWithOneLine(select(write("inf", bad), "--method", "kcenter", "--budget", "6"), "row 7 is Infinity");
        failsWithOneLine(select(data, "--method", "least-confidence", "--budget", "6"), "least-confidence needs a selection model");
        failsWithOneLine(select(data, "--method", "kcenter", "--budget", "6", "--partitions", "4"), "need --engine spark");
        failsWithOneLine(select(data, "--method", "kcenter", "--budget", "6", "--engine", "flink"), "--engine must be local or spark");
        String[] model = select(data, "--method", "kcenter", "--budget", "6", "--engine", "spark");
        model[java.util.Arrays.asList(model).indexOf("input")] = "model";
        failsWithOneLine(model, "trains no selection model");
        // The cli's tests run without the spark module: the engine is looked up at run time and its absence said in one line.
        failsWithOneLine(select(data, "--method", "kcenter", "--budget", "6", "--engine", "spark"),
                "the spark engine is not on the classpath", "spark-submit");
    }
}
