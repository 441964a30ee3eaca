package org.distill4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.distill4j.io.Mutations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged selection CSV reads as a valid subset or fails with one line naming the file; never anything else. */
class WeightedSubsetFuzzTest {
    @TempDir
    Path dir;

    private static final String VALID = "index,label,weight,score\n4,1,2.5,0.9\n0,0,1,0.125\n17,2,0.5,\n3,1,1.0E-5,1.0E10\n";

    @Test
    void mutatedSelectionFilesAreReadOrRefusedInOneLine() throws IOException {
        Path f = dir.resolve("selection.csv");
        int accepted = Mutations.assertOnlyCleanFailures(
                Mutations.of(VALID.getBytes(StandardCharsets.UTF_8), 15, Integer.MAX_VALUE, 1_000), b -> {
                    Files.write(f, b);
                    try {
                        WeightedSubset s = WeightedSubset.readCsv(f);
                        assertEquals(s.indices().length, s.weights().length);
                    } catch (IOException | IllegalArgumentException e) {
                        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
                        throw e;
                    }
                });
        assertTrue(accepted > 30 && accepted < 700, accepted + " of 1,086 accepted");
    }

    /**
     * The same with the provenance line: a change to the rows is caught by the checksum, a change
     * to the line is refused or read; a read subset is then checked against the data set it
     * records (or a damaged record of it), and a refusal is one line too.
     */
    @Test
    void mutatedSelectionFilesWithProvenanceAreReadOrRefusedInOneLine() throws IOException {
        Dataset data = TestFiles.numbered(20, 1, 2, 2, 3);
        byte[] valid = TestFiles.selectionFile(data, VALID).getBytes(StandardCharsets.UTF_8);
        Path f = dir.resolve("selection.csv");
        int[] otherData = {0};
        int accepted = Mutations.assertOnlyCleanFailures(Mutations.of(valid, 16, Integer.MAX_VALUE, 2_000), b -> {
            Files.write(f, b);
            WeightedSubset s;
            try {
                s = WeightedSubset.readCsv(f);
            } catch (IOException | IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
                throw e;
            }
            try {
                s.checkAgainst(data);
            } catch (IllegalArgumentException e) {
                Mutations.assertOneLine(e.getMessage(), "checked against the data");
                assertTrue(e.getMessage().startsWith(f + " was selected from "), e.getMessage());
                otherData[0]++;
            }
        });
        // Truncations keep the rows' checksum from matching (except the whole file); some
        // mutations of the line (its other keys, spaces, the data set's record) keep it readable.
        assertTrue(accepted > 100 && accepted < 800 && otherData[0] > 5, accepted + " of " + (valid.length + 2_000)
                + " accepted, " + otherData[0] + " recording another data set");
        String text = new String(valid, StandardCharsets.UTF_8);
        Files.writeString(f, text.replace("\"numbered\"", "\"a\\nb\\u0000" + "x".repeat(300) + "\""));
        String m = assertThrows(IllegalArgumentException.class,
                () -> WeightedSubset.readCsv(f).checkAgainst(TestFiles.numbered(21, 1, 2, 2, 3))).getMessage();
        Mutations.assertOneLine(m, "a data set name with a line break");
        assertTrue(m.startsWith(f + " was selected from aU+000AbU+0000xxx"), m);
    }

    @Test
    void wrongValuesNameTheLineAndTheValue() throws IOException {
        String[][] cases = {
                {"index,weight\n99999999999,1\n", ":2: index '99999999999' is not an integer from 0 to 2147483647"},
                {"index,weight\n-3,1\n", ":2: index -3 is negative"},
                {"index,weight\n1,NaN\n", ":2: weight NaN of index 1 must be finite and > 0"},
                {"index,weight\n1,-Infinity\n", ":2: weight -Infinity of index 1 must be finite and > 0"},
                {"index,weight\n1,0\n", ":2: weight 0.0 of index 1 must be finite and > 0"},
                {"index,weight\n1,2\u0001x\n", ":2: weight '2U+0001x' is not a number"},
                {"index,weight\n" + "9".repeat(100_000) + ",1\n", ":2: index '" + "9".repeat(40) + "...' is not an integer"},
                {"label,\u0000" + "x".repeat(100) + "\n", ":1: the header must name an 'index' column (index,label,weight,score), "
                        + "found 'label,U+0000" + "x".repeat(33) + "...'"},
                {"index,weight\n", ": no rows after the header"},
                {"\n\n", ": empty selection file"},
                {"index,weight\n1\n", ":2: 1 columns, the header has 2"},
                {"index\r5\r", null},
                {"\uFEFFindex\n5\n", null},
        };
        Path f = dir.resolve("sel.csv");
        for (String[] c : cases) {
            Files.writeString(f, c[0]);
            if (c[1] == null) {
                assertArrayEquals(new int[]{5}, WeightedSubset.readCsv(f).indices(), c[0]);
                continue;
            }
            Exception e = assertThrows(Exception.class, () -> WeightedSubset.readCsv(f), c[0]);
            assertTrue(e instanceof IOException || e.getClass() == IllegalArgumentException.class, e.toString());
            assertTrue(e.getMessage().startsWith(f + c[1]), c[0] + " -> " + e.getMessage());
            Mutations.assertOneLine(e.getMessage(), c[0]);
        }
        Files.write(f, new byte[]{'i', 'n', 'd', 'e', 'x', '\n', '1', (byte) 0xFF, '\n'});
        IOException e = assertThrows(IOException.class, () -> WeightedSubset.readCsv(f));
        assertEquals(f + ": not UTF-8 text, so not a selection CSV", e.getMessage());
    }
}
