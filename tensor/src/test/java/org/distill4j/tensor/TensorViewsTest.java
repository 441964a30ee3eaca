package org.distill4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.kernels.DType;
import org.junit.jupiter.api.Test;

class TensorViewsTest {
    private static Tensor range(int... shape) {
        return Tensor.arange(DType.F64, Shape.size(shape)).reshape(shape);
    }

    @Test
    void reshapeInfersMinusOneAndRejectsBadSizes() {
        Tensor t = range(2, 3, 4);
        assertArrayEquals(new int[]{6, 4}, t.reshape(-1, 4).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.reshape(5, -1));
        assertTrue(e.getMessage().contains("[2, 3, 4]"), e.getMessage());
    }

    @Test
    void permuteAndTransposeReadTheRightElements() {
        Tensor t = range(2, 3, 4);
        Tensor p = t.permute(2, 0, 1);
        assertArrayEquals(new int[]{4, 2, 3}, p.shape());
        assertEquals(t.get(1, 2, 3), p.get(3, 1, 2));
        assertFalse(p.isContiguous());
        Tensor c = p.contiguous();
        assertTrue(c.isContiguous());
        assertEquals(t.get(1, 0, 2), c.get(2, 1, 0));
        assertEquals(t.get(0, 1, 2), t.transpose(0, 2).get(2, 1, 0));
    }

    @Test
    void sliceSelectAndStepsShareTheBuffer() {
        Tensor t = range(5, 6);
        Tensor s = t.slice(1, 1, 6, 2);
        assertArrayEquals(new int[]{5, 3}, s.shape());
        assertEquals(t.get(4, 5), s.get(4, 2));
        assertEquals(t.get(3, 1), t.select(0, 3).get(1));
        assertTrue(s.buffer() == t.buffer());
        assertThrows(IndexOutOfBoundsException.class, () -> t.slice(0, 2, 7));
        assertThrows(IndexOutOfBoundsException.class, () -> t.select(1, 6));
    }

    @Test
    void expandRepeatsWithoutCopying() {
        Tensor row = range(1, 3);
        Tensor e = row.expand(4, 3);
        assertArrayEquals(new int[]{0, 1}, e.strides());
        assertArrayEquals(new double[]{0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2}, e.toDoubleArray());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> range(2, 3).expand(4, 3));
        assertTrue(ex.getMessage().contains("cannot broadcast [2, 3] to [4, 3]"), ex.getMessage());
    }

    @Test
    void squeezeUnsqueezeRoundTrip() {
        Tensor t = range(3, 4);
        Tensor u = t.unsqueeze(1);
        assertArrayEquals(new int[]{3, 1, 4}, u.shape());
        assertArrayEquals(t.toDoubleArray(), u.squeeze(1).toDoubleArray());
        assertArrayEquals(new int[]{3, 4, 1}, t.unsqueeze(-1).shape());
        assertThrows(IllegalArgumentException.class, () -> t.squeeze(0));
    }

    @Test
    void broadcastRulesAndMessages() {
        assertArrayEquals(new int[]{2, 3, 4}, Shape.broadcast(new int[]{3, 1}, new int[]{2, 1, 4}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shape.broadcast(new int[]{3, 4}, new int[]{5}));
        assertEquals("cannot broadcast [3, 4] with [5]", e.getMessage());
        assertArrayEquals(new int[]{0, 2}, Shape.broadcastAxes(new int[]{3, 1}, new int[]{2, 3, 4}));
    }

    @Test
    void getChecksBoundsAndDtypeConversionsRoundTrip() {
        Tensor t = range(2, 2);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> t.get(0, 7));
        assertEquals("index 7 out of bounds for axis 1 of size 2", e.getMessage());
        assertArrayEquals(new int[]{0, 1, 2, 3}, t.toIntArray());
        assertEquals(DType.F32, t.to(DType.F32).dtype());
        assertArrayEquals(new float[]{0, 1, 2, 3}, t.to(DType.F32).toFloatArray());
        assertTrue(t.toString().startsWith("Tensor[F64 [2, 2]] [0.000, 1.000"), t.toString());
    }

    @Test
    void generatorIsDeterministicAndForksDiffer() {
        Tensor a = Tensor.randn(new Generator(7), DType.F32, 1000);
        Tensor b = Tensor.randn(new Generator(7), DType.F32, 1000);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        Generator g = new Generator(7);
        Tensor first = Tensor.rand(g, DType.F64, 10);
        Tensor second = Tensor.rand(g, DType.F64, 10);
        assertFalse(java.util.Arrays.equals(first.toDoubleArray(), second.toDoubleArray()));
        assertFalse(new Generator(7).fork(1).seed() == new Generator(7).fork(2).seed());
        double[] n = Tensor.randn(new Generator(3), DType.F64, 20000).toDoubleArray();
        double mean = java.util.Arrays.stream(n).average().orElseThrow();
        double var = java.util.Arrays.stream(n).map(x -> (x - mean) * (x - mean)).average().orElseThrow();
        assertEquals(0, mean, 0.03);
        assertEquals(1, var, 0.03);
        int[] perm = new Generator(1).permutation(50);
        assertArrayEquals(java.util.stream.IntStream.range(0, 50).toArray(),
                java.util.Arrays.stream(perm).sorted().toArray());
    }
}
