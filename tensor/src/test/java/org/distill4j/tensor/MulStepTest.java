package org.distill4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.UnaryOp;
import org.junit.jupiter.api.Test;

/**
 * {@code BinaryOp.MUL_STEP} (ReLU's backward in one pass) gives the bits of the two passes it
 * replaced, {@code MUL} by {@code UnaryOp.STEP}'s mask: in float and double, on lengths around
 * the vector width (tails), with a broadcast operand, and on the values where a product by 0 or 1
 * could go wrong (negative gradients times a zero mask give -0; NaN and infinities; x = -0, +0, NaN).
 */
class MulStepTest {
    private static final double[] SPECIAL = {0.0, -0.0, 1.5, -2.25, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, 1e-40, -1e-40};

    private static double[] values(SplittableRandom rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextInt(4) == 0 ? SPECIAL[rng.nextInt(SPECIAL.length)] : rng.nextGaussian();
        }
        return v;
    }

    private static long[] bits(Tensor t) {
        double[] d = t.toDoubleArray();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = Double.doubleToRawLongBits(d[i]);
        }
        return out;
    }

    private static void check(Tensor g, Tensor x, String what) {
        Tensor twoPasses = Elementwise.mul(g, Elementwise.unary(UnaryOp.STEP, x));
        Tensor fused = Elementwise.binary(BinaryOp.MUL_STEP, g, x);
        assertArrayEquals(bits(twoPasses), bits(fused), what);
    }

    @Test
    void fusedIsTheTwoPassesBitForBit() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n = 1; n <= 70; n++) {
            for (DType dtype : new DType[]{DType.F32, DType.F64}) {
                Tensor g = Tensor.from(dtype, values(rng, n), n);
                Tensor x = Tensor.from(dtype, values(rng, n), n);
                check(g, x, dtype + " n=" + n);
                // The mask broadcast over rows, and the gradient broadcast over them.
                Tensor rows = Tensor.from(dtype, values(rng, 3 * n), 3, n);
                check(rows, x, dtype + " rows n=" + n);
                check(x, rows, dtype + " mask rows n=" + n);
            }
        }
    }
}
