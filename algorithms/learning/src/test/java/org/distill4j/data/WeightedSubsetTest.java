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
    void readsTheProvenanceLineAndVerifiesTheRows() throws IOException {
        Dataset d = numbered(5, 1, 2, 2, 2);
        String body = "index,label,weight,score\n4,0,2.5,0.9\n1,1,1.0,NaN\n";
        WeightedSubset s = WeightedSubset.readCsv(file(TestFiles.selectionFile(d, body)));
        assertArrayEquals(new int[]{4, 1}, s.indices());
        assertArrayEquals(new double[]{2.5, 1}, s.weights());
        assertEquals("herding", s.provenance().orElseThrow().get("method"));
        assertEquals(d.fingerprint(), ((java.util.Map<?, ?>) s.provenance().orElseThrow().get("data")).get("sha256"));
        ((java.util.Map<?, ?>) s.provenance().orElseThrow().get("data")).clear();
        s.checkAgainst(d);
        assertEquals(2, s.select(d).size());
        assertEquals(d.fingerprint(), ((java.util.Map<?, ?>) s.provenance().orElseThrow().get("data")).get("sha256"),
                "a copy each time: what the caller does with it changes nothing here");

        // Windows line ends and a byte-order mark written by the tool that made the file are covered by the checksum.
        String crlf = TestFiles.selectionFile(d, body.replace("\n", "\r\n")).replace("}\n", "}\r\n");
        assertArrayEquals(new int[]{4, 1}, WeightedSubset.readCsv(file("\uFEFF" + crlf)).indices());

        // Older and hand-made files, with comment lines before the header, still read, without provenance.
        WeightedSubset old = WeightedSubset.readCsv(file("# my picks\n#\nindex\n3\n"));
        assertArrayEquals(new int[]{3}, old.indices());
        assertTrue(old.provenance().isEmpty());
        old.checkAgainst(d);
        assertTrue(WeightedSubset.readCsv(file(body)).provenance().isEmpty());
        assertTrue(WeightedSubset.uniform(new int[]{1}).provenance().isEmpty());
    }

    @Test
    void aChangedFileIsRefusedInOneLine() throws IOException {
        Dataset d = numbered(5, 1, 2, 2, 2);
        String valid = TestFiles.selectionFile(d, "index,label,weight,score\n4,0,2.5,0.9\n1,1,1.0,NaN\n");
        String[][] cases = {
                {valid.replace("4,0,2.5", "3,0,2.5"), ": the rows were changed after distill4j wrote them (their sha256 is "},
                {valid.replace("1,1,1.0,NaN\n", ""), ": the rows were changed after distill4j wrote them"},
                {valid + "2,0,1.0,NaN\n", ": the rows were changed after distill4j wrote them"},
                {valid.substring(0, valid.indexOf('\n') + 1), ": the rows were changed after distill4j wrote them"},
                {valid.replace("\"rows_sha256\": \"", "\"rows_sha256\": \"x"), ":1: the '# distill4j selection' line must have "
                        + "\"rows_sha256\": 64 hex digits, found \"x"},
                {valid.replace("\"sha256\": \"", "\"sha256\": \"0"), ":1: the '# distill4j selection' line must have \"data\": {"},
                {valid.replace("\"examples\": 5", "\"examples\": 0"), ":1: the '# distill4j selection' line must have \"data\""},
                {valid.replace("\"kind\"", "kind"), ":1: the '# distill4j selection' line is not one JSON object: "},
                {"# distill4j selection [1]\nindex\n1\n", ":1: the '# distill4j selection' line is not one JSON object: "},
        };
        for (String[] c : cases) {
            Path p = file(c[0]);
            IOException e = assertThrows(IOException.class, () -> WeightedSubset.readCsv(p), c[0]);
            assertTrue(e.getMessage().startsWith(p + c[1]), e.getMessage());
            org.distill4j.io.Mutations.assertOneLine(e.getMessage(), c[0]);
        }
        IOException e = assertThrows(IOException.class, () -> WeightedSubset.readCsv(file(cases[0][0])));
        String recorded = valid.substring(valid.indexOf("\"rows_sha256\": \"") + 16).substring(0, 12);
        assertTrue(e.getMessage().endsWith(", the first line records " + recorded + "...); to use them as they are, delete the first line"),
                e.getMessage());
    }

    @Test
    void aSelectionFromAnotherDataSetIsRefusedInOneLine() throws IOException {
        Dataset from = numbered(5, 1, 2, 2, 2);
        Path p = file(TestFiles.selectionFile(from, "index,label,weight,score\n4,0,1.0,NaN\n"));
        WeightedSubset s = WeightedSubset.readCsv(p);
        int[] labels = from.labels();
        labels[0] = 1;
        // Same name and size, one label differs: another data set.
        Dataset other = new Dataset("numbered", from.images(), labels, 2);
        String m = assertThrows(IllegalArgumentException.class, () -> s.checkAgainst(other)).getMessage();
        assertEquals(p + " was selected from numbered (5 examples, sha256 " + from.fingerprint().substring(0, 12)
                + "...), not from numbered (5 examples, sha256 " + other.fingerprint().substring(0, 12) + "...)", m);
        assertThrows(IllegalArgumentException.class, () -> s.select(other));
        Dataset larger = numbered(6, 1, 2, 2, 2);
        m = assertThrows(IllegalArgumentException.class, () -> s.checkAgainst(larger)).getMessage();
        assertTrue(m.contains("not from numbered (6 examples, sha256 "), m);
        s.checkAgainst(new Dataset("renamed", from.images(), from.labels(), 2));
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
