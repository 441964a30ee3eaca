package org.distill4j.data;

import static org.distill4j.data.TestFiles.numbered;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void refusesMalformedSets() {
        Tensor x = Tensor.zeros(DType.F32, 3, 1, 2, 2);
        assertTrue(message(() -> new Dataset("d", Tensor.zeros(DType.F32, 3, 4), new int[3], 2)).contains("[N, C, H, W]"));
        assertTrue(message(() -> new Dataset("d", Tensor.zeros(DType.F64, 3, 1, 2, 2), new int[3], 2)).contains("F64"));
        assertTrue(message(() -> new Dataset("d", x, new int[2], 2)).contains("3 images but 2 labels"));
        assertTrue(message(() -> new Dataset("d", x, new int[]{0, 2, 1}, 2)).contains("label 2 of example 1 is outside [0, 2)"));
        assertTrue(message(() -> new Dataset("d", x, new int[]{0, -1, 1}, 2)).contains("label -1"));
        assertTrue(message(() -> new Dataset("d", Tensor.zeros(DType.F32, 0, 1, 2, 2), new int[0], 2)).contains("empty"));
        assertTrue(message(() -> new Dataset("d", x, new int[3], 0)).contains("classes must be positive"));
    }

    @Test
    void answersItsShapeLabelsAndCounts() {
        Dataset d = numbered(7, 2, 3, 4, 3);
        assertEquals(7, d.size());
        assertArrayEquals(new int[]{2, 3, 4}, d.imageShape());
        assertArrayEquals(new int[]{3, 2, 2}, d.classCounts());
        Tensor labels = d.labelTensor();
        assertEquals(DType.I32, labels.dtype());
        assertArrayEquals(new int[]{0, 1, 2, 0, 1, 2, 0}, labels.toIntArray());
        int[] copy = d.labels();
        copy[0] = 2;
        assertEquals(0, d.label(0), "labels() hands out a copy");
    }

    @Test
    void subsetCopiesTheChosenRowsInOrder() {
        Dataset d = numbered(6, 1, 2, 2, 3);
        Dataset s = d.subset(new int[]{4, 1, 4});
        assertEquals("numbered[subset]", s.name());
        assertEquals(3, s.classes());
        assertArrayEquals(new int[]{1, 1, 1}, s.labels());
        assertEquals(4.0, s.images().get(0, 0, 0, 0));
        assertEquals(1.003, s.images().get(1, 0, 1, 1), 1e-6);
        assertEquals(4.002, s.images().get(2, 0, 1, 0), 1e-6);
        String m = message(() -> d.subset(new int[]{0, 6}));
        assertTrue(m.contains("index 6") && m.contains("size 6"), m);
        assertTrue(message(() -> d.subset(new int[0])).contains("no indices"));
    }

    @Test
    void batchesInOrderWithAndWithoutTheLastPartialBatch() {
        Dataset d = numbered(10, 1, 2, 2, 3);
        List<Batch> all = d.batches(4, null, false);
        assertEquals(List.of(4, 4, 2), all.stream().map(Batch::size).toList());
        assertArrayEquals(new int[]{8, 9}, all.get(2).indices());
        assertEquals(9.0, all.get(2).images().get(1, 0, 0, 0));
        assertArrayEquals(new int[]{2, 0}, all.get(2).labels().toIntArray());
        assertEquals(List.of(4, 4), d.batches(4, null, true).stream().map(Batch::size).toList());
        assertEquals(1, d.batches(10, null, true).size());
        assertTrue(d.batches(11, null, true).isEmpty());
        assertEquals(1, d.batches(11, null, false).size());
        assertThrows(IllegalArgumentException.class, () -> d.batches(0, null, false));
        assertThrows(IndexOutOfBoundsException.class, () -> all.get(3));
    }

    @Test
    void shuffledBatchesAreASeededPermutationCoveringEveryIndexOnce() {
        Dataset d = numbered(23, 1, 2, 2, 5);
        List<Integer> a = order(d.batches(5, new Generator(7), false));
        List<Integer> same = order(d.batches(5, new Generator(7), false));
        List<Integer> other = order(d.batches(5, new Generator(8), false));
        assertEquals(a, same, "same seed, same order");
        assertFalse(a.equals(other), "another seed, another order");
        assertFalse(a.equals(order(d.batches(5, null, false))), "shuffled differs from in order");
        int[] sorted = a.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] expected = new int[23];
        Arrays.setAll(expected, i -> i);
        assertArrayEquals(expected, sorted, "every index exactly once per epoch");

        Generator gen = new Generator(3);
        List<Integer> epoch1 = order(d.batches(5, gen, false));
        List<Integer> epoch2 = order(d.batches(5, gen, false));
        assertFalse(epoch1.equals(epoch2), "one generator, a new order each epoch");

        for (Batch b : d.batches(5, new Generator(7), true)) {
            int[] idx = b.indices();
            int[] labels = b.labels().toIntArray();
            for (int i = 0; i < idx.length; i++) {
                assertEquals(idx[i], b.images().get(i, 0, 0, 0), "batch row is dataset row " + idx[i]);
                assertEquals(d.label(idx[i]), labels[i]);
            }
        }
        assertEquals(20, order(d.batches(5, new Generator(7), true)).size());
    }

    @Test
    void batchRefusesDisagreeingParts() {
        Tensor x = Tensor.zeros(DType.F32, 2, 1, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> new Batch(x, Tensor.fromInts(new int[3], 3), new int[2]));
        assertThrows(IllegalArgumentException.class, () -> new Batch(x, Tensor.fromInts(new int[2], 2), new int[3]));
    }

    private static List<Integer> order(List<Batch> batches) {
        List<Integer> out = new ArrayList<>();
        for (Batch b : batches) {
            for (int i : b.indices()) {
                out.add(i);
            }
        }
        return out;
    }
}
