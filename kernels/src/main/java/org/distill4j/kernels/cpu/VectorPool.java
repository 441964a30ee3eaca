package org.distill4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API 2x2, stride-2 max pooling of F32 planes with arg-max, for {@link Pool}; touched only
 * when {@link VectorSupport#AVAILABLE}. Scalar max pooling is bound by mispredicted branches on
 * real data (about 17 ns per output measured); here L outputs take four gathers (the even and
 * odd columns of the row pair) and three compare-and-blend steps. The steps follow the reference's scan
 * (top-left, top-right, bottom-left, bottom-right; replace only when strictly greater), so the
 * first of equal values wins and NaNs land exactly where the reference puts them.
 */
final class VectorPool {
    /**
     * The shape of every Vector API class of this package ({@link VectorWidth}: 8 or 16 floats);
     * with 16 lanes the 14-output rows of a 28x28 plane would
     * all take the padded-copy path, with 8 they take one block and one overlapping one.
     */
    private static final VectorSpecies<Float> S = VectorWidth.F32;
    private static final int L = S.length();
    /**
     * {@code 2 * lane}: the input column offset of each output lane. The arg-max is built in float
     * lanes (plane offsets below 2^24 are exact in float) and written out through a small float
     * array: stored from an {@code IntVector} (blended with masks cast from the float compares), it
     * ran in the Vector API's scalar fallback in a JFR recording of LeNet training with the
     * launcher's inline flags ({@code IntVector.intoArray} and {@code stOp}: 10% of the steady state).
     */
    private static final FloatVector TWICE_LANE = FloatVector.zero(S).addIndex(2);
    /** The largest plane whose offsets the float arg-max lanes hold exactly. */
    private static final int MAX_PLANE = 1 << 24;

    /** Lane l reads column 2l (evens) or 2l + 1 (odds) of a row. */
    private static final int[] EVEN_MAP = java.util.stream.IntStream.range(0, L).map(l -> 2 * l).toArray();
    private static final int[] ODD_MAP = java.util.stream.IntStream.range(0, L).map(l -> 2 * l + 1).toArray();

    private VectorPool() {
    }

    /** Whether this class can serve {@code h x w} planes: offsets exact in float lanes. */
    static boolean supports(int h, int w) {
        return (long) h * w <= MAX_PLANE;
    }

    /**
     * Pools {@code planes} planes of {@code h x w} starting at {@code x[xOff]} into
     * {@code y[yOff]} and {@code am[aOff]} ({@code h/2 x w/2} each); {@code am} null: the values alone.
     */
    static void maxPool2x2(float[] x, int xOff, int h, int w, int planes, float[] y, int yOff, int[] am, int aOff) {
        int oh = h / 2;
        int ow = w / 2;
        // Rows of fewer than L outputs go through zero-padded copies of their two input rows: the
        // masked loads and stores they would otherwise need are not compiled to vector
        // instructions on JDK 17 (measured: 10% of a LeNet step in their scalar fallback).
        float[] rows = ow < L ? new float[4 * L] : null;
        float[] outRow = ow < L ? new float[L] : null;
        int[] argRow = ow < L && am != null ? new int[L] : null;
        boolean shortRows = ow < L;
        float[] index = am != null ? new float[L] : null;
        for (int pl = 0; pl < planes; pl++) {
            int xb = xOff + pl * h * w;
            int ob = pl * oh * ow;
            for (int p = 0; p < oh; p++) {
                int top = 2 * p * w;
                int dst = ob + p * ow;
                if (shortRows) {
                    System.arraycopy(x, xb + top, rows, 0, 2 * ow);
                    System.arraycopy(x, xb + top + w, rows, 2 * L, 2 * ow);
                }
                // Blocks of L outputs, the last one moved back to end at the row's end (overlapping
                // the one before if ow % L != 0); a short row is one block of its padded copy.
                // One call site: with a second one (for the last block or for short rows) C2
                // inlined block() twice, gave up on one of its gathers, and that gather ran in
                // the Vector API's scalar fallback (a sixth of LeNet's inference).
                for (int q0 = 0; q0 < ow; q0 += L) {
                    int q = shortRows ? 0 : Math.min(q0, ow - L);
                    block(shortRows ? rows : x, shortRows ? 0 : xb + top + 2 * q, shortRows ? 2 * L : w, top + 2 * q, w,
                            shortRows ? outRow : y, shortRows ? 0 : yOff + dst + q,
                            shortRows ? argRow : am, shortRows ? 0 : aOff + dst + q, index);
                }
                if (shortRows) {
                    System.arraycopy(outRow, 0, y, yOff + dst, ow);
                    if (am != null) {
                        System.arraycopy(argRow, 0, am, aOff + dst, ow);
                    }
                }
            }
        }
    }

    /**
     * L outputs from the 2L-wide row pair at {@code src[i]} (the bottom row {@code srcW} further
     * on). The arg-max of an output is the plane offset {@code left + 2 * lane} of its top-left
     * cell, plus 1 (right), {@code w} (below) or {@code w + 1}.
     */
    private static void block(float[] src, int i, int srcW, int left0, int w, float[] y, int yo, int[] am, int ao,
                              float[] index) {
        // Even and odd columns of the row pair as gathers: the shuffle-and-blend split they
        // replace was not fully compiled to vector code on JDK 17 (its fallbacks took a fifth of
        // a LeNet step).
        FloatVector te = FloatVector.fromArray(S, src, i, EVEN_MAP, 0);
        FloatVector to = FloatVector.fromArray(S, src, i, ODD_MAP, 0);
        FloatVector be = FloatVector.fromArray(S, src, i + srcW, EVEN_MAP, 0);
        FloatVector bo = FloatVector.fromArray(S, src, i + srcW, ODD_MAP, 0);
        scan(te, to, be, bo, am == null ? null : TWICE_LANE.add((float) left0), w, y, yo, am, ao, index);
    }

    /**
     * The reference's scan over each window's four cells (top-left, top-right, bottom-left,
     * bottom-right; each later cell replaces the best so far only if strictly greater), stored
     * at {@code y[yo]}; with {@code am}, the arg-max too: {@code left} (the top-left cell's plane
     * offset, in float lanes) plus 1, {@code w} or {@code w + 1}, through {@code index} (L floats).
     */
    private static void scan(FloatVector te, FloatVector to, FloatVector be, FloatVector bo, FloatVector left, int w,
                             float[] y, int yo, int[] am, int ao, float[] index) {
        VectorMask<Float> m1 = to.compare(VectorOperators.GT, te);
        FloatVector best = te.blend(to, m1);
        VectorMask<Float> m2 = be.compare(VectorOperators.GT, best);
        best = best.blend(be, m2);
        VectorMask<Float> m3 = bo.compare(VectorOperators.GT, best);
        best = best.blend(bo, m3);
        best.intoArray(y, yo);
        if (am != null) {
            FloatVector at = left.blend(left.add(1f), m1);
            at = at.blend(left.add((float) w), m2);
            at = at.blend(left.add((float) (w + 1)), m3);
            at.intoArray(index, 0);
            for (int l = 0; l < L; l++) {
                am[ao + l] = (int) index[l];
            }
        }
    }

    /**
     * Planes whose output rows are shorter than a vector, pooled a group at a time: a group of
     * {@code P} planes (P = L / gcd(outputs per plane, L)) holds a whole number of vectors of
     * outputs, read with gathers through a table of each output's top-left cell. Row by row,
     * each short row cost three array copies (LeNet's second pooling, 5-wide rows: a sixth of
     * its inference). Returns the planes done: the whole groups among {@code planes}.
     */
    static int maxPoolSmallPlanes(float[] x, int xOff, int h, int w, int planes, float[] y, int yOff, int[] am,
                                  int aOff) {
        int oh = h / 2;
        int ow = w / 2;
        int outPlane = oh * ow;
        if (ow >= L || outPlane == 0) {
            return 0;
        }
        int group = L / gcd(outPlane, L);
        if (planes < group) {
            return 0;
        }
        int outputs = group * outPlane;
        GatherTables tables = gatherTables(h, w, group);
        int[] top = tables.top();
        float[] cell = tables.cell();
        float[] index = am != null ? new float[L] : null;
        int done = planes - planes % group;
        for (int pl = 0; pl < done; pl += group) {
            int base = xOff + pl * h * w;
            int out = pl * outPlane;
            for (int j = 0; j < outputs; j += L) {
                FloatVector te = FloatVector.fromArray(S, x, base, top, j);
                FloatVector to = FloatVector.fromArray(S, x, base + 1, top, j);
                FloatVector be = FloatVector.fromArray(S, x, base + w, top, j);
                FloatVector bo = FloatVector.fromArray(S, x, base + w + 1, top, j);
                scan(te, to, be, bo, am == null ? null : FloatVector.fromArray(S, cell, j), w, y, yOff + out + j, am,
                        aOff + out + j, index);
            }
        }
        return done;
    }

    /**
     * For output j of a group of {@code group} planes: {@code cell[j]}, its top-left input cell
     * within its plane (in float: the arg-max lanes), and {@code top[j]}, that cell from the group's first plane.
     */
    private record GatherTables(int h, int w, int group, int[] top, float[] cell) {
    }

    /** The tables of the last plane size pooled: a network pools the same sizes call after call. */
    private static volatile GatherTables lastTables;

    private static GatherTables gatherTables(int h, int w, int group) {
        GatherTables t = lastTables;
        if (t != null && t.h() == h && t.w() == w && t.group() == group) {
            return t;
        }
        int ow = w / 2;
        int outPlane = (h / 2) * ow;
        int outputs = group * outPlane;
        int[] top = new int[outputs];
        float[] cell = new float[outputs];
        for (int j = 0; j < outputs; j++) {
            int o = j % outPlane;
            int c = 2 * (o / ow) * w + 2 * (o % ow);
            cell[j] = c;
            top[j] = (j / outPlane) * h * w + c;
        }
        t = new GatherTables(h, w, group, top, cell);
        lastTables = t;
        return t;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
