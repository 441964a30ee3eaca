package org.distill4j.data;

import static org.distill4j.data.TestFiles.numbered;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightedSubsetTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("selection.csv"), text);
    }

    @Test
    void readsTheSelectionFile() throws IOException {
        WeightedSubset s = WeightedSubset.readCsv(file("index,label,weight,score\n4,1,2.5,0.9\n\n0,0,1,0.1\n4,1,0.5,\n"));
        assertArrayEquals(new int[]{4, 0, 4}, s.indices());
        assertArrayEquals(new double[]{2.5, 1, 0.5}, s.weights());
        assertEquals(3, s.size());
        assertFalse(s.unweighted());

        WeightedSubset noWeights = WeightedSubset.readCsv(file("index,label,score\n3,0,0.5\n1,1,0.2\n"));
        assertArrayEquals(new double[]{1, 1}, noWeights.weights(), "a missing weight column means 1");
        assertTrue(noWeights.unweighted());

        WeightedSubset reordered = WeightedSubset.readCsv(file("weight, Index\n2,7\n"));
        assertArrayEquals(new int[]{7}, reordered.indices());
        assertArrayEquals(new double[]{2}, reordered.weights());
    }

    @Test
    void refusesBadFilesNamingTheLine() throws IOException {
        String[][] io = {
            {"label,weight\n1,2\n", ":1: the header must name an 'index' column"},
            {"index,weight\n1,2\nx,1\n", ":3: index 'x' is not an integer"},
            {"index,weight\n1,2\n2,heavy\n", ":3: weight 'heavy' is not a number"},
            {"index,weight\n1,2,3\n", ":2: 3 columns, the header has 2"},
            {"", "empty selection file"},
            {"index,weight\n", "no rows after the header"},
        };
        for (String[] c : io) {
            Path p = file(c[0]);
            IOException e = assertThrows(IOException.class, () -> WeightedSubset.readCsv(p), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
        String[][] values = {
            {"index,weight\n1,2\n\n3,-1\n", ":4: weight -1.0 of index 3 must be finite and > 0"},
            {"index,weight\n1,0\n", ":2: weight 0.0"},
            {"index,weight\n1,NaN\n", ":2: weight NaN"},
            {"index,weight\n-2,1\n", ":2: index -2 is negative"},
        };
        for (String[] c : values) {
            Path p = file(c[0]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightedSubset.readCsv(p), c[0]);
            assertTrue(e.getMessage().contains(p + c[1]), e.getMessage());
        }
    }

    @Test
    void checksIndicesAgainstTheDataSet() throws IOException {
        Dataset d = numbered(5, 1, 2, 2, 2);
        Path p = file("index,weight\n1,1\n4,2\n5,1\n");
        WeightedSubset s = WeightedSubset.readCsv(p);
        String m = assertThrows(IllegalArgumentException.class, () -> s.checkAgainst(d)).getMessage();
        assertTrue(m.contains(p + ":4: index 5") && m.contains("size 5"), m);

        WeightedSubset ok = new WeightedSubset(new int[]{4, 1}, new double[]{2, 1});
        ok.checkAgainst(d);
        Dataset chosen = ok.select(d);
        assertArrayEquals(new int[]{0, 1}, chosen.labels());
        assertEquals(4.0, chosen.images().get(0, 0, 0, 0));
        m = assertThrows(IllegalArgumentException.class,
                () -> new WeightedSubset(new int[]{9}, new double[]{1}).checkAgainst(d)).getMessage();
        assertTrue(m.contains("entry 0: index 9"), m);
    }

    @Test
    void constructorValidates() {
        assertThrows(IllegalArgumentException.class, () -> new WeightedSubset(new int[]{1, 2}, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> new WeightedSubset(new int[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new WeightedSubset(new int[]{-1}, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> new WeightedSubset(new int[]{1}, new double[]{Double.POSITIVE_INFINITY}));
        assertThrows(IllegalArgumentException.class, () -> new WeightedSubset(new int[]{1}, new double[]{0}));
        assertArrayEquals(new double[]{1, 1}, WeightedSubset.uniform(new int[]{3, 2}).weights());
    }
}
