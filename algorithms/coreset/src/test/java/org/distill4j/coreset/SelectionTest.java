package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.distill4j.data.Dataset;
import org.distill4j.data.WeightedSubset;
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
        assertEquals("index,label,weight,score", lines.get(0));
        assertEquals("4,0,0.1,7.25", lines.get(1));
        assertEquals("2,2,2.5,NaN", lines.get(2));
        assertEquals(-1e-9, Double.parseDouble(lines.get(3).split(",")[3]));
        WeightedSubset back = WeightedSubset.readCsv(f);
        assertArrayEquals(s.indices(), back.indices());
        assertArrayEquals(s.weights(), back.weights(), 0.0);
        assertArrayEquals(s.indices(), s.toSubset().indices());
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void writingAnIndexTheDataSetLacksFailsAndLeavesNoFile() {
        Selection s = Selection.unweighted("m", new int[]{0, 9}, new double[]{1, 1}, Map.of());
        Path f = dir.resolve("bad.csv");
        assertThrows(IllegalArgumentException.class, () -> s.writeCsv(f, tiny()));
        assertTrue(Files.notExists(f));
    }
}
