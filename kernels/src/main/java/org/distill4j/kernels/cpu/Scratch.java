package org.distill4j.kernels.cpu;

/**
 * Per-thread work arrays that kernels reuse from call to call instead of allocating (an im2col
 * matrix of a 128-channel 3x3 layer is several megabytes). Each thread has a few numbered slots;
 * a slot grows to the largest size asked of it and is never shrunk. A kernel must not hold a slot
 * across a call that may use the same slot on the same thread.
 */
final class Scratch {
    /** Slot of the im2col / col2im matrix or padded input, used inside parallel tasks. */
    static final int COLUMNS = 0;
    /** Slot of per-group partial results, used on the calling thread only. */
    static final int PARTIALS = 1;
    /** Slot of a direct convolution's output grid, used inside parallel tasks. */
    static final int GRID = 2;
    /** Slot of a direct convolution's per-lane weight-gradient sums, used inside parallel tasks. */
    static final int LANES = 3;
    private static final int SLOTS = 4;

    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[SLOTS][0]);
    private static final ThreadLocal<double[][]> DOUBLES = ThreadLocal.withInitial(() -> new double[SLOTS][0]);

    private Scratch() {
    }

    /** At least {@code n} floats of this thread's slot; the contents are whatever was left there. */
    static float[] floats(int slot, int n) {
        float[][] slots = FLOATS.get();
        if (slots[slot].length < n) {
            slots[slot] = new float[n];
        }
        return slots[slot];
    }

    static double[] doubles(int slot, int n) {
        double[][] slots = DOUBLES.get();
        if (slots[slot].length < n) {
            slots[slot] = new double[n];
        }
        return slots[slot];
    }
}
