package org.distill4j.kernels.cpu;

/**
 * Per-plane F32 loops of {@link Pool}'s common cases. They live in small methods of their own:
 * inside the large parallel lambdas of {@code Pool} C2 compiled the same loops four times slower.
 */
final class PoolPlanes {
    private PoolPlanes() {
    }

    /** One plane of max-pool backward when windows do not overlap: each gradient to its arg-max. */
    static void scatter(float[] gy, int gyOff, int[] am, int aOff, int n, float[] gx, int xb, int plane) {
        java.util.Arrays.fill(gx, xb, xb + plane, 0f);
        for (int o = 0; o < n; o++) {
            gx[xb + am[aOff + o]] = gy[gyOff + o];
        }
    }

    /**
     * One plane of 2x2 stride-2 average pooling. Each output is summed in double in the
     * reference's order, {@code ((x[i] + x[i + 1]) + x[i + w]) + x[i + w + 1]}, then divided by 4
     * (a multiplication by 0.25, the same double), the same float result bit for bit; a row of
     * outputs at a time, one pass per term over {@code row} (scratch of at least {@code ow}
     * doubles). The loop over each output's four terms ran at about 18 cycles an output on an Intel
     * Xeon, its chain of dependent conversions and additions left to the out-of-order window; the
     * four short passes take less than half the time (ConvNet-3's first pooling: 50 -> 23 ms a batch
     * of 256 on one core).
     */
    static void avgForward2x2(float[] x, int xb, int w, float[] y, int ob, int oh, int ow, double[] row) {
        for (int p = 0; p < oh; p++) {
            int top = xb + 2 * p * w;
            int bottom = top + w;
            int out = ob + p * ow;
            for (int q = 0; q < ow; q++) {
                row[q] = (double) x[top + 2 * q] + x[top + 2 * q + 1];
            }
            for (int q = 0; q < ow; q++) {
                row[q] += x[bottom + 2 * q];
            }
            for (int q = 0; q < ow; q++) {
                row[q] += x[bottom + 2 * q + 1];
            }
            for (int q = 0; q < ow; q++) {
                y[out + q] = (float) (row[q] * 0.25);
            }
        }
    }

    /** One plane of 2x2 stride-2 average-pool backward: each gradient / 4 into its four cells. */
    static void avgBackward2x2(float[] gy, int ob, int oh, int ow, float[] gx, int xb, int w) {
        for (int p = 0; p < oh; p++) {
            int top = xb + 2 * p * w;
            int src = ob + p * ow;
            for (int q = 0; q < ow; q++) {
                // gy / 4 in float equals the reference's double quotient rounded to float (4 is a power of 2).
                float dy = gy[src + q] * 0.25f;
                gx[top + 2 * q] = dy;
                gx[top + 2 * q + 1] = dy;
            }
            System.arraycopy(gx, top, gx, top + w, 2 * ow);
        }
    }
}
