package org.distill4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void readsRowsWithAndWithoutAHeader() throws IOException {
        String rows = "0,1,2,3,1\n0.5,-1.25,1e-3,7,0\n\n4,5,6,7,2.0\n";
        Dataset plain = Csv.read(csv("plain.csv", rows), null);
        Dataset headed = Csv.read(csv("headed.csv", "a,b,c,d,label\r\n" + rows), null);
        for (Dataset d : new Dataset[]{plain, headed}) {
            assertEquals(3, d.size());
            assertEquals(3, d.classes(), "largest label + 1");
            assertArrayEquals(new int[]{1, 1, 4}, d.imageShape());
            assertArrayEquals(new int[]{1, 0, 2}, d.labels());
            assertArrayEquals(new float[]{0, 1, 2, 3, 0.5f, -1.25f, 1e-3f, 7, 4, 5, 6, 7}, d.images().toFloatArray());
        }
        assertEquals("plain", plain.name());
        Dataset images = Csv.read(csv("img.csv", rows), new int[]{1, 2, 2});
        assertArrayEquals(new int[]{1, 2, 2}, images.imageShape());
        assertEquals(7.0, images.images().get(1, 0, 1, 1));
    }

    @Test
    void refusesBadRowsNamingTheLine() throws IOException {
        String[][] cases = {
            {"a,b,label\n1,2,0\n1,2\n", ":3: 2 columns, expected 3"},
            {"1,2,0\n1,x,1\n", ":2: column 2 'x' is not a number"},
            {"1,2,0\n1,2,1.5\n", ":2: label (column 3) '1.5' is not a non-negative integer"},
            {"1,2,-1\n", ":1: label (column 3) '-1' is not a non-negative integer"},
            {"1,NaN,0\n", ":1: column 2 'NaN' is not a finite float"},
            {"1,,0\n", ":1: column 2 '' is not a number"},
            {"7\n", ":1: expected at least one feature and a label"},
        };
        for (String[] c : cases) {
            Path p = csv("bad.csv", c[0]);
            IOException e = assertThrows(IOException.class, () -> Csv.read(p, null), c[0]);
            assertTrue(e.getMessage().contains(p + c[1]), e.getMessage());
        }
    }

    @Test
    void refusesEmptyFilesAndWrongImageShapes() throws IOException {
        Path empty = csv("empty.csv", "");
        assertTrue(assertThrows(IOException.class, () -> Csv.read(empty, null)).getMessage().contains("no data rows"));
        Path header = csv("header.csv", "a,b,label\n");
        assertTrue(assertThrows(IOException.class, () -> Csv.read(header, null)).getMessage().contains("no data rows"));
        Path rows = csv("rows.csv", "1,2,3,0\n");
        IOException e = assertThrows(IOException.class, () -> Csv.read(rows, new int[]{1, 2, 2}));
        assertTrue(e.getMessage().contains("3 features") && e.getMessage().contains("[1, 2, 2] needs 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Csv.read(rows, new int[]{3, 1}));
        assertThrows(IOException.class, () -> Csv.read(dir.resolve("absent.csv"), null));
    }
}
