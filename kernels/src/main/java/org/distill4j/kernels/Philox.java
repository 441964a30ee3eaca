package org.distill4j.kernels;

/**
 * Philox4x32-10, the counter-based generator of Salmon et al., "Parallel Random Numbers: As Easy as
 * 1, 2, 3" (SC'11). Each (key, counter) pair maps to four independent 32-bit words, so any element of
 * a random stream can be computed on its own: CPU threads and GPU threads draw the same numbers
 * whatever the split of work.
 *
 * <p>Stream layout used by every backend: element {@code i} of a draw with counter {@code c} comes
 * from block {@code c + i / 4}, lane {@code i % 4}. Uniforms use the top 24 bits (exact in float and
 * double); normals pair lanes (0, 1) and (2, 3) through Box-Muller.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;

    private Philox() {
    }

    /** The four output words of block {@code counter} under {@code key}, written to {@code out[0..3]}. */
    public static void block(long key, long counter, int[] out) {
        int c0 = (int) counter;
        int c1 = (int) (counter >>> 32);
        int c2 = 0;
        int c3 = 0;
        int k0 = (int) key;
        int k1 = (int) (key >>> 32);
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
            k0 += W0;
            k1 += W1;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** Maps a 32-bit word to [0, 1) with 24 bits of resolution. */
    public static double unit(int bits) {
        return (bits >>> 8) * 0x1.0p-24;
    }

    /** Maps a 32-bit word to (0, 1], safe for a logarithm. */
    public static double unitOpen(int bits) {
        return ((bits >>> 8) + 1) * 0x1.0p-24;
    }

    /** Element {@code i} of the uniform stream {@code (key, counter)} in [0, 1). */
    public static double uniform(long key, long counter, long i, int[] scratch) {
        block(key, counter + i / 4, scratch);
        return unit(scratch[(int) (i % 4)]);
    }

    /** Element {@code i} of the standard normal stream {@code (key, counter)}. */
    public static double normal(long key, long counter, long i, int[] scratch) {
        block(key, counter + i / 4, scratch);
        int lane = (int) (i % 4);
        int pair = lane & ~1;
        double radius = Math.sqrt(-2.0 * Math.log(unitOpen(scratch[pair])));
        double angle = 2.0 * Math.PI * unit(scratch[pair + 1]);
        return (lane & 1) == 0 ? radius * Math.cos(angle) : radius * Math.sin(angle);
    }
}
