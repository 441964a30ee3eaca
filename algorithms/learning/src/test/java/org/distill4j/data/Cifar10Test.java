package org.distill4j.data;

import static org.distill4j.data.TestFiles.cifarFolder;
import static org.distill4j.data.TestFiles.cifarRecords;
import static org.distill4j.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {
    @TempDir
    Path dir;

    @Test
    void readsTrainAndTestBatchesInChannelRowColumnOrder() throws IOException {
        cifarFolder(dir, 2, 3);
        Dataset train = Cifar10.read(dir, true);
        assertEquals(10, train.size());
        assertEquals(10, train.classes());
        assertArrayEquals(new int[]{3, 32, 32}, train.imageShape());
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, train.labels(), "batches read in order 1..5");
        byte[] records = cifarRecords(0, 10);
        // Record 7: green channel (1), row 5, column 9 lies at byte 1 + 1024 + 5*32 + 9 of the record.
        int byteAt = 7 * Cifar10.RECORD_BYTES + 1 + 1024 + 5 * 32 + 9;
        assertEquals((records[byteAt] & 0xFF) / 255f, (float) train.images().get(7, 1, 5, 9));
        float[] x = train.images().toFloatArray();
        for (int r = 0; r < 10; r++) {
            for (int p = 0; p < Cifar10.IMAGE_BYTES; p += 97) {
                assertEquals((records[r * Cifar10.RECORD_BYTES + 1 + p] & 0xFF) / 255f, x[r * Cifar10.IMAGE_BYTES + p]);
            }
        }
        Dataset test = Cifar10.read(dir, false);
        assertEquals(3, test.size());
        assertArrayEquals(new int[]{0, 1, 2}, test.labels());
    }

    @Test
    void findsTheBatchesInTheUnpackedSubfolder() throws IOException {
        cifarFolder(dir.resolve(Cifar10.FOLDER), 1, 1);
        assertEquals(5, Cifar10.read(dir, true).size());
    }

    @Test
    void refusesTruncatedAndUnequalBatches() throws IOException {
        cifarFolder(dir, 2, 2);
        Path cut = write(dir.resolve("data_batch_3.bin"), Arrays.copyOf(cifarRecords(0, 2), 2 * 3073 - 100));
        IOException e = assertThrows(IOException.class, () -> Cifar10.read(dir, true));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("3073")
                && e.getMessage().contains("found " + (2 * 3073 - 100)), e.getMessage());

        write(cut, cifarRecords(0, 1)); // cut at a record boundary: only the count gives it away
        e = assertThrows(IOException.class, () -> Cifar10.read(dir, true));
        assertTrue(e.getMessage().contains("holds 1 records") && e.getMessage().contains("holds 2"), e.getMessage());

        write(dir.resolve("test_batch.bin"), new byte[0]);
        e = assertThrows(IOException.class, () -> Cifar10.read(dir, false));
        assertTrue(e.getMessage().contains("found 0"), e.getMessage());
    }

    @Test
    void refusesLabelsOutsideTenClasses() throws IOException {
        byte[] records = cifarRecords(0, 2);
        records[Cifar10.RECORD_BYTES] = 10;
        write(dir.resolve("test_batch.bin"), records);
        IOException e = assertThrows(IOException.class, () -> Cifar10.read(dir, false));
        assertTrue(e.getMessage().contains("label 10 of record 1"), e.getMessage());
    }

    @Test
    void missingBatchSaysHowToGetTheData() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Cifar10.read(dir, true));
        assertTrue(e.getMessage().contains(dir.resolve("data_batch_1.bin").toString())
                && e.getMessage().contains("binary version") && e.getMessage().contains("--data DIR"), e.getMessage());
    }
}
