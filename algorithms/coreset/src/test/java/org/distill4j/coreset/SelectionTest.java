package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.distill4j.data.Dataset;
import org.distill4j.data.WeightedSubset;
import org.distill4j.io.Json;
import org.distill4j.io.Provenance;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectionTest {
    @TempDir
    Path dir;

    private static Dataset tiny() {
        return new Dataset("tiny", Tensor.zeros(DType.F32, 5, 1, 1, 1), new int[]{0, 1, 2, 1, 0}, 3);
    }

    @Test
    void refusesUnequalLengthsRepeatsAndBadWeights() {
        double nan = Double.NaN;
        assertThrows(IllegalArgumentException.class,
                () -> new Selection("m", new int[]{1, 2}, new double[]{1}, new double[]{nan, nan}, Map.of()));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> Selection.unweighted("m", new int[]{3, 1, 3}, new double[]{nan, nan, nan}, Map.of()));
        assertTrue(twice.getMessage().contains("index 3 is selected twice"), twice.getMessage());
        for (double bad : new double[]{0, -1, Double.POSITIVE_INFINITY, nan}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Selection("m", new int[]{4}, new double[]{bad}, new double[]{nan}, Map.of()));
            assertTrue(e.getMessage().contains("weight " + bad), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> Selection.unweighted("m", new int[]{-1}, new double[]{nan}, Map.of()));
    }

    @Test
    void perClassCountsTheSelectedExamplesOfEachClass() {
        // tiny()'s labels: 0, 1, 2, 1, 0; examples 4, 1 and 3 are classes 0, 1, 1.
        Selection s = Selection.unweighted("m", new int[]{4, 1, 3}, new double[]{1, 2, 3}, Map.of());
        assertArrayEquals(new int[]{1, 2, 0}, s.perClass(tiny()));
        assertArrayEquals(new int[]{0, 0, 0}, Selection.unweighted("m", new int[0], new double[0], Map.of()).perClass(tiny()));
    }

    @Test
    void objectiveValueToMapNamesItsFields() {
        Map<String, Object> m = new Objective.Value("radius", 1.5, false).toMap();
        assertEquals(java.util.List.of("name", "value", "maximised"), java.util.List.copyOf(m.keySet()));
        assertEquals("radius", m.get("name"));
        assertEquals(1.5, m.get("value"));
        assertEquals(false, m.get("maximised"));
    }

    @Test
    void isImmutable() {
        int[] idx = {2, 0};
        Selection s = Selection.unweighted("m", idx, new double[]{1, 2}, Map.of("k", 1));
        idx[0] = 4;
        s.indices()[1] = 4;
        assertArrayEquals(new int[]{2, 0}, s.indices());
        assertEquals(2, s.size());
    }

    @Test
    void csvRoundTripsThroughTheTrainersReader() throws IOException {
        Selection s = new Selection("importance", new int[]{4, 2, 1}, new double[]{0.1, 2.5, 1.0 / 3},
                new double[]{7.25, Double.NaN, -1e-9}, Map.of());
        Path f = dir.resolve("sub/selection.csv");
        s.writeCsv(f, tiny());
        List<String> lines = Files.readAllLines(f);
        assertTrue(lines.get(0).startsWith("# distill4j selection {\"kind\": \"distill4j/selection\", "), lines.get(0));
        assertEquals("index,label,weight,score", lines.get(1));
        assertEquals("4,0,0.1,7.25", lines.get(2));
        assertEquals("2,2,2.5,NaN", lines.get(3));
        assertEquals(-1e-9, Double.parseDouble(lines.get(4).split(",")[3]));
        WeightedSubset back = WeightedSubset.readCsv(f);
        assertArrayEquals(s.indices(), back.indices());
        assertArrayEquals(s.weights(), back.weights(), 0.0);
        assertArrayEquals(s.indices(), s.toSubset().indices());
        back.checkAgainst(tiny());
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
        // Written again over itself: the provenance line marks it as distill4j's selection.
        s.writeCsv(f, tiny());
    }

    @Test
    void theFirstLineRecordsTheMethodItsSettingsTheDataAndTheRowsChecksum() throws IOException {
        Selection s = Selection.unweighted("herding", new int[]{3, 0}, new double[]{1, 2}, Map.of("balance", true))
                .withSettings(Map.of("budget", 2, "seed", 7L, "balance", false));
        assertEquals(Map.of("balance", false, "budget", 2, "seed", 7L), s.settings());
        Path f = dir.resolve("sel.csv");
        s.writeCsv(f, tiny());
        String text = Files.readString(f);
        String first = text.substring(0, text.indexOf('\n'));
        Map<String, Object> p = Json.parseObject(first.substring("# distill4j selection ".length()));
        assertEquals(Selection.KIND, p.get("kind"));
        assertEquals(Provenance.version(), p.get("distill4j_version"));
        assertEquals("herding", p.get("method"));
        assertEquals(Map.of("balance", false, "budget", 2.0, "seed", 7.0), p.get("settings"));
        assertEquals(2.0, p.get("selected"));
        Map<?, ?> data = (Map<?, ?>) p.get("data");
        assertEquals("tiny", data.get("name"));
        assertEquals(5.0, data.get("examples"));
        assertEquals(tiny().fingerprint(), data.get("sha256"));
        String rows = text.substring(text.indexOf('\n') + 1);
        assertEquals(HexFormat.of().formatHex(Provenance.sha256().digest(rows.getBytes(StandardCharsets.UTF_8))),
                p.get("rows_sha256"));
        assertEquals(p, WeightedSubset.readCsv(f).provenance().orElseThrow());

        // Applied to another data set of the same size and name, it is refused.
        Dataset other = new Dataset("tiny", Tensor.zeros(DType.F32, 5, 1, 1, 1), new int[]{0, 1, 2, 1, 1}, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightedSubset.readCsv(f).checkAgainst(other));
        assertEquals(f + " was selected from tiny (5 examples, sha256 " + tiny().fingerprint().substring(0, 12)
                + "...), not from tiny (5 examples, sha256 " + other.fingerprint().substring(0, 12) + "...)", e.getMessage());
    }

    @Test
    void writingAnIndexTheDataSetLacksFailsAndLeavesNoFile() {
        Selection s = Selection.unweighted("m", new int[]{0, 9}, new double[]{1, 1}, Map.of());
        Path f = dir.resolve("bad.csv");
        assertThrows(IllegalArgumentException.class, () -> s.writeCsv(f, tiny()));
        assertTrue(Files.notExists(f));
    }
}
