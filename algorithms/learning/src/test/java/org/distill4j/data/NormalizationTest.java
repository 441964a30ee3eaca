package org.distill4j.data;

import static org.distill4j.data.TestFiles.numbered;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.kernels.DType;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class NormalizationTest {
    /** Two images, two channels of 2 pixels: channel 0 holds 1, 2, 3, 4; channel 1 holds 10, 10, 10, 30. */
    private static Dataset twoChannels() {
        float[] x = {1, 2, 10, 10, 3, 4, 10, 30};
        return new Dataset("two", Tensor.fromFloats(x, 2, 2, 1, 2), new int[]{0, 1}, 2);
    }

    @Test
    void fitsPerChannelMeanAndPopulationStd() {
        Normalization n = Normalization.fit(twoChannels());
        assertArrayEquals(new double[]{2.5, 15}, n.mean(), 1e-12);
        // Population std: sqrt(mean of squared deviations), not the n-1 sample estimate.
        assertArrayEquals(new double[]{Math.sqrt(1.25), Math.sqrt(75)}, n.std(), 1e-6);
        assertEquals(2, n.channels());
    }

    @Test
    void applyStandardisesAndInvertUndoes() {
        Dataset d = numbered(9, 3, 4, 5, 3);
        Normalization n = Normalization.fit(d);
        Dataset z = d.normalized(n);
        assertArrayEquals(d.labels(), z.labels());
        Normalization after = Normalization.fit(z);
        assertArrayEquals(new double[]{0, 0, 0}, after.mean(), 1e-5);
        assertArrayEquals(new double[]{1, 1, 1}, after.std(), 1e-5);
        assertTrue(Elementwise.allClose(n.invert(z.images()), d.images(), 1e-5, 1e-5));

        Normalization fixed = Normalization.of(new double[]{0.5, 1, -1}, new double[]{2, 4, 0.5});
        Tensor image = d.images().select(0, 2);
        Tensor out = fixed.apply(image);
        assertArrayEquals(new int[]{3, 4, 5}, out.shape());
        assertEquals((image.get(1, 2, 3) - 1) / 4, out.get(1, 2, 3), 1e-6);
        assertEquals((image.get(2, 0, 4) + 1) / 0.5, out.get(2, 0, 4), 1e-5);
        Tensor f64 = fixed.apply(d.images().to(DType.F64));
        assertEquals(DType.F64, f64.dtype());
    }

    @Test
    void refusesBadStatisticsAndMismatchedImages() {
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(new double[]{0}, new double[]{0}));
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(new double[]{0, 1}, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(new double[]{Double.NaN}, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(new double[0], new double[0]));
        Normalization one = Normalization.of(new double[]{0}, new double[]{1});
        String m = assertThrows(IllegalArgumentException.class, () -> one.apply(twoChannels().images())).getMessage();
        assertTrue(m.contains("1 channel") && m.contains("[2, 2, 1, 2]"), m);
        Dataset constant = new Dataset("flat", Tensor.ones(DType.F32, 2, 1, 2, 2), new int[]{0, 0}, 1);
        m = assertThrows(IllegalArgumentException.class, () -> Normalization.fit(constant)).getMessage();
        assertTrue(m.contains("channel 0 is constant"), m);
    }
}
