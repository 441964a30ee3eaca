package org.distill4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct stride-1 F32 convolution with the Vector API, for layers too thin for im2col + GEMM to
 * pay (LeNet's 1->6 and 6->16 filters: products of 6 rows or 25 columns). Touched only when
 * {@link VectorSupport#AVAILABLE}; {@link Conv} decides when.
 *
 * <p>The image is copied into a zero-padded plane of width {@code Wp} ({@code W + 2*padW} for the
 * weight gradient, {@code W + padW} for forward and input gradient, whose rows share their
 * padding: see {@link DirectConv}). On that grid
 * output {@code (p, q)} sits at {@code i = p*Wp + q} and reads input {@code i + r*Wp + s}: every
 * tap {@code (c, r, s)} is one long contiguous multiply-add over all output positions (the
 * columns {@code q >= OW} are computed and dropped, as are positions past the last row that
 * round the grid up to whole vectors). Outputs are register-blocked: four (or two) filters by {@link #V}
 * vectors stay in registers across all taps. The weight gradient is one dot product per weight
 * over the same grid.
 */
final class VectorConv {
    /**
     * The package's one vector shape ({@link VectorWidth}), as in the GEMM kernels: every Vector API class of this
     * package must use one shape, or the JIT's type profiles of the shared Vector API code mix
     * Float256Vector with Float512Vector and stop compiling it to vector instructions (measured:
     * the direct convolution ran 12 times slower after 512-bit code had run in the same JVM).
     */
    private static final VectorSpecies<Float> S = VectorWidth.F32;
    private static final int L = S.length();
    /** Output vectors per filter held in registers. */
    private static final int V = 3;

    private VectorConv() {
    }

    /** Output positions per filter on the padded grid: {@code oh * wp} rounded up to whole vectors. */
    static int gridLength(int oh, int wp) {
        return (oh * wp + L - 1) / L * L;
    }

    /**
     * Floats per channel of a padded input plane: the plane plus slack for the reads of the
     * dropped columns and of the rounding in {@link #gridLength} (at most {@code s + L} past it).
     */
    static int paddedPlane(int hp, int wp, int s) {
        return hp * wp + s + L;
    }

    /**
     * Copies {@code oh} rows of {@code ow} outputs from the grid ({@code wp} apart, from
     * {@code yp[src]}) to contiguous rows at {@code y[dst]}. Rows of at least one vector move as
     * vectors, the last one overlapping (System.arraycopy costs about 10 ns per short row; LeNet's
     * 28-wide rows made the copy a third of the convolution). When {@code b} is not null,
     * {@code b[bi]} is added on the way: the float sum a separate bias pass would make, without the pass.
     */
    static void crop(float[] yp, int src, int wp, int oh, int ow, float[] b, int bi, float[] y, int dst) {
        boolean biased = b != null;
        float bias = biased ? b[bi] : 0f;
        if (ow < L) {
            for (int p = 0; p < oh; p++) {
                for (int q = 0; q < ow; q++) {
                    float v = yp[src + p * wp + q];
                    y[dst + p * ow + q] = biased ? v + bias : v;
                }
            }
            return;
        }
        FloatVector bv = FloatVector.broadcast(S, bias);
        for (int p = 0; p < oh; p++) {
            int from = src + p * wp;
            int to = dst + p * ow;
            for (int q = 0; q < ow - L; q += L) {
                move(yp, from + q, biased, bv, y, to + q);
            }
            // The last vector may overlap the one before: it reads the grid, not y, so no output gets the bias twice.
            move(yp, from + ow - L, biased, bv, y, to + ow - L);
        }
    }

    private static void move(float[] yp, int from, boolean biased, FloatVector bias, float[] y, int to) {
        FloatVector v = FloatVector.fromArray(S, yp, from);
        (biased ? v.add(bias) : v).intoArray(y, to);
    }

    /**
     * Copies image {@code x[xOff]} ({@code c x h x w}) into planes of {@code plane} floats at
     * {@code xp[0]}, each {@code wp} wide, the image at row {@code top} and column {@code left}. The
     * cells around it are not written: the caller zeroes the planes once ({@code Arrays.fill(xp, 0,
     * c * plane, 0f)}) before the first image of a run of images of one geometry, whose copies all
     * write the same cells (clearing the planes for every image was 1% of LeNet's training step).
     */
    static void pad(float[] x, int xOff, int c, int h, int w, int top, int left, int wp, int plane, float[] xp) {
        for (int ch = 0; ch < c; ch++) {
            for (int row = 0; row < h; row++) {
                System.arraycopy(x, xOff + (ch * h + row) * w, xp, ch * plane + (row + top) * wp + left, w);
            }
        }
    }

    /** The offset of each tap {@code (c, r, s)}, in weight order, within the padded planes. */
    static int[] tapOffsets(int c, int r, int s, int plane, int wp) {
        int[] off = new int[c * r * s];
        int t = 0;
        for (int ch = 0; ch < c; ch++) {
            for (int dr = 0; dr < r; dr++) {
                for (int ds = 0; ds < s; ds++) {
                    off[t++] = ch * plane + dr * wp + ds;
                }
            }
        }
        return off;
    }

    /**
     * {@code yp[k, i] = sum over taps t of w[k, t] * xp[tap[t] + i]} for {@code i < n} ({@code n}
     * from {@link #gridLength}, taps from {@link #tapOffsets}): one image's outputs on the padded grid.
     * The taps are one flat loop: C2 keeps the accumulators of a flat loop in registers, but boxed
     * them across the three nested (c, r, s) loops (measured five times slower).
     */
    static void forward(float[] xp, int[] tap, float[] w, int wOff, int k, float[] yp, int n) {
        int taps = tap.length;
        int kk = 0;
        if (n >= V * L) {
            for (; kk + 3 < k; kk += 4) {
                for (int i0 = 0; i0 < n; i0 += V * L) {
                    // The last block may overlap the one before: recomputed outputs are identical.
                    forwardBlock4(xp, tap, w, wOff + kk * taps, yp, kk * n, n, Math.min(i0, n - V * L));
                }
            }
            for (; kk + 1 < k; kk += 2) {
                for (int i0 = 0; i0 < n; i0 += V * L) {
                    // The last block may overlap the one before: recomputed outputs are identical.
                    int i = Math.min(i0, n - V * L);
                    forwardBlock(xp, tap, w, wOff + kk * taps, wOff + (kk + 1) * taps, yp, kk * n, (kk + 1) * n, i);
                }
            }
        }
        for (; kk < k; kk++) {
            if (n >= V * L) {
                for (int i0 = 0; i0 < n; i0 += V * L) {
                    forwardBlock(xp, tap, w, wOff + kk * taps, yp, kk * n, Math.min(i0, n - V * L));
                }
                continue;
            }
            for (int i = 0; i < n; i += L) {
                FloatVector a = FloatVector.zero(S);
                for (int t = 0; t < taps; t++) {
                    a = FloatVector.fromArray(S, xp, tap[t] + i).fma(FloatVector.broadcast(S, w[wOff + kk * taps + t]), a);
                }
                a.intoArray(yp, kk * n + i);
            }
        }
    }

    /** Positions per block of {@link #forwardFilters}: 5 positions of a row by 2 filter vectors, 10 accumulators. */
    private static final int P = 5;

    /**
     * Whether {@link #forwardFilters} serves {@code k} filters over an {@code oh x ow} output plane:
     * {@code k} a multiple of two vectors, rows of at least one block ({@link #P} outputs, at most
     * one vector), and a small plane (at most 400 outputs, where the grid's dropped columns are a
     * large share: LeNet conv2 computes 100 outputs on a 144-long grid).
     */
    static boolean filterVectorised(int k, int oh, int ow) {
        return L >= P && k % (2 * L) == 0 && ow >= P && oh * ow <= 400;
    }

    /**
     * The offset on the padded grid ({@code wp} wide) of each of the {@code oh x ow} outputs, row by row.
     */
    static int[] positionOffsets(int oh, int ow, int wp) {
        int[] pos = new int[oh * ow];
        for (int p = 0; p < oh; p++) {
            for (int q = 0; q < ow; q++) {
                pos[p * ow + q] = p * wp + q;
            }
        }
        return pos;
    }

    /**
     * {@code wt[t * k + kk] = w[wOff + kk * taps + t]}: the weights {@code [k, taps]} laid out
     * {@code [taps, k]}, so the filters of one tap are contiguous vectors.
     */
    static void transposeWeights(float[] w, int wOff, int k, int taps, float[] wt) {
        for (int kk = 0; kk < k; kk++) {
            for (int t = 0; t < taps; t++) {
                wt[t * k + kk] = w[wOff + kk * taps + t];
            }
        }
    }

    /**
     * The same outputs as {@link #forward}, vectorised over filters instead of positions:
     * {@code yt[j * k + kk] = sum over taps t of xp[tap[t] + pos[j]] * wt[t * k + kk]} for every
     * output {@code j} (at grid offset {@code pos[j]}, {@link #positionOffsets}), with {@code wt}
     * from {@link #transposeWeights}. Only the outputs that are kept are computed (no dropped
     * columns, no rounding of the grid). Each output sums the same products in the same order as
     * {@link #forward} (one fused multiply-add per tap, from zero), so the results are bit for bit
     * the same. {@code k} is a multiple of {@code 2 L} and the rows ({@code ow} outputs) hold at
     * least {@link #P} ({@link #filterVectorised}).
     */
    static void forwardFilters(float[] xp, int[] tap, float[] wt, int k, int[] pos, int ow, float[] yt) {
        for (int kk = 0; kk < k; kk += 2 * L) {
            for (int row = 0; row < pos.length; row += ow) {
                for (int q0 = 0; q0 < ow; q0 += P) {
                    // The last block of a row may overlap the one before: recomputed outputs are identical.
                    forwardFilterBlock(xp, tap, wt, k, kk, pos, row + Math.min(q0, ow - P), yt);
                }
            }
        }
    }

    /** Shuffles that copy lane i of a vector to all lanes, i < P. */
    private static final jdk.incubator.vector.VectorShuffle<Float> LANE0 = lane(0), LANE1 = lane(1), LANE2 = lane(2),
            LANE3 = lane(3), LANE4 = lane(4);

    private static jdk.incubator.vector.VectorShuffle<Float> lane(int i) {
        return jdk.incubator.vector.VectorShuffle.fromOp(S, l -> Math.min(i, L - 1));
    }

    /**
     * Five consecutive positions of one row, from {@code j}, by filters {@code kk .. kk + 2L - 1},
     * all taps: 10 accumulators; the five inputs of a tap come from one vector load, each spread to
     * all lanes by a shuffle (five scalar loads cost five bounds checks per tap).
     */
    private static void forwardFilterBlock(float[] xp, int[] tap, float[] wt, int k, int kk, int[] pos, int j, float[] yt) {
        int o0 = pos[j];
        FloatVector a0 = FloatVector.zero(S), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0;
        FloatVector d0 = a0, d1 = a0, e0 = a0, e1 = a0;
        for (int t = 0; t < tap.length; t++) {
            int wi = t * k + kk;
            FloatVector w0 = FloatVector.fromArray(S, wt, wi);
            FloatVector w1 = FloatVector.fromArray(S, wt, wi + L);
            FloatVector v = FloatVector.fromArray(S, xp, tap[t] + o0);
            FloatVector x = v.rearrange(LANE0);
            a0 = x.fma(w0, a0); a1 = x.fma(w1, a1);
            x = v.rearrange(LANE1);
            b0 = x.fma(w0, b0); b1 = x.fma(w1, b1);
            x = v.rearrange(LANE2);
            c0 = x.fma(w0, c0); c1 = x.fma(w1, c1);
            x = v.rearrange(LANE3);
            d0 = x.fma(w0, d0); d1 = x.fma(w1, d1);
            x = v.rearrange(LANE4);
            e0 = x.fma(w0, e0); e1 = x.fma(w1, e1);
        }
        int o = j * k + kk;
        a0.intoArray(yt, o); a1.intoArray(yt, o + L);
        o += k;
        b0.intoArray(yt, o); b1.intoArray(yt, o + L);
        o += k;
        c0.intoArray(yt, o); c1.intoArray(yt, o + L);
        o += k;
        d0.intoArray(yt, o); d1.intoArray(yt, o + L);
        o += k;
        e0.intoArray(yt, o); e1.intoArray(yt, o + L);
    }

    /**
     * {@code y[dst + kk * np + j] = yt[j * k + kk]} (plus {@code b[bOff + kk]} when {@code b} is not
     * null, the float sum {@link #crop} makes): {@link #forwardFilters}' outputs in filter-major order.
     */
    static void untranspose(float[] yt, int k, int np, float[] b, int bOff, float[] y, int dst) {
        for (int kk = 0; kk < k; kk++) {
            int to = dst + kk * np;
            if (b != null) {
                float bias = b[bOff + kk];
                for (int j = 0; j < np; j++) {
                    y[to + j] = yt[j * k + kk] + bias;
                }
            } else {
                for (int j = 0; j < np; j++) {
                    y[to + j] = yt[j * k + kk];
                }
            }
        }
    }

    /** One filter by V vectors of outputs from position {@code i}: an odd last filter. */
    private static void forwardBlock(float[] xp, int[] tap, float[] w, int w0, float[] yp, int y0, int i) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        for (int t = 0; t < tap.length; t++) {
            int at = tap[t] + i;
            FloatVector wa = FloatVector.broadcast(S, w[w0 + t]);
            a0 = FloatVector.fromArray(S, xp, at).fma(wa, a0);
            a1 = FloatVector.fromArray(S, xp, at + L).fma(wa, a1);
            a2 = FloatVector.fromArray(S, xp, at + 2 * L).fma(wa, a2);
        }
        a0.intoArray(yp, y0 + i);
        a1.intoArray(yp, y0 + i + L);
        a2.intoArray(yp, y0 + i + 2 * L);
    }

    /**
     * Four filters by V vectors of outputs from position {@code i}, all taps: 12 accumulators,
     * enough independent FMA chains to cover the FMA latency on two ports, and 7 loads per 12 FMAs.
     * Filter {@code f}'s weights start at {@code w0 + f * taps}, its outputs at {@code y0 + f * n}.
     */
    private static void forwardBlock4(float[] xp, int[] tap, float[] w, int w0, float[] yp, int y0, int n, int i) {
        int taps = tap.length;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0;
        FloatVector c0 = a0, c1 = a0, c2 = a0;
        FloatVector d0 = a0, d1 = a0, d2 = a0;
        for (int t = 0; t < taps; t++) {
            int at = tap[t] + i;
            FloatVector x0 = FloatVector.fromArray(S, xp, at);
            FloatVector x1 = FloatVector.fromArray(S, xp, at + L);
            FloatVector x2 = FloatVector.fromArray(S, xp, at + 2 * L);
            FloatVector wa = FloatVector.broadcast(S, w[w0 + t]);
            a0 = x0.fma(wa, a0); a1 = x1.fma(wa, a1); a2 = x2.fma(wa, a2);
            FloatVector wb = FloatVector.broadcast(S, w[w0 + taps + t]);
            b0 = x0.fma(wb, b0); b1 = x1.fma(wb, b1); b2 = x2.fma(wb, b2);
            FloatVector wc = FloatVector.broadcast(S, w[w0 + 2 * taps + t]);
            c0 = x0.fma(wc, c0); c1 = x1.fma(wc, c1); c2 = x2.fma(wc, c2);
            FloatVector wd = FloatVector.broadcast(S, w[w0 + 3 * taps + t]);
            d0 = x0.fma(wd, d0); d1 = x1.fma(wd, d1); d2 = x2.fma(wd, d2);
        }
        int o = y0 + i;
        a0.intoArray(yp, o); a1.intoArray(yp, o + L); a2.intoArray(yp, o + 2 * L);
        o += n;
        b0.intoArray(yp, o); b1.intoArray(yp, o + L); b2.intoArray(yp, o + 2 * L);
        o += n;
        c0.intoArray(yp, o); c1.intoArray(yp, o + L); c2.intoArray(yp, o + 2 * L);
        o += n;
        d0.intoArray(yp, o); d1.intoArray(yp, o + L); d2.intoArray(yp, o + 2 * L);
    }

    /** Two filters by V vectors of outputs from position {@code i}, all taps. */
    private static void forwardBlock(float[] xp, int[] tap, float[] w, int wa0, int wb0, float[] yp, int y0, int y1, int i) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector b0 = FloatVector.zero(S);
        FloatVector b1 = FloatVector.zero(S);
        FloatVector b2 = FloatVector.zero(S);
        for (int t = 0; t < tap.length; t++) {
            int at = tap[t] + i;
            FloatVector wa = FloatVector.broadcast(S, w[wa0 + t]);
            FloatVector wb = FloatVector.broadcast(S, w[wb0 + t]);
            FloatVector x0 = FloatVector.fromArray(S, xp, at);
            FloatVector x1 = FloatVector.fromArray(S, xp, at + L);
            FloatVector x2 = FloatVector.fromArray(S, xp, at + 2 * L);
            a0 = x0.fma(wa, a0);
            a1 = x1.fma(wa, a1);
            a2 = x2.fma(wa, a2);
            b0 = x0.fma(wb, b0);
            b1 = x1.fma(wb, b1);
            b2 = x2.fma(wb, b2);
        }
        a0.intoArray(yp, y0 + i);
        a1.intoArray(yp, y0 + i + L);
        a2.intoArray(yp, y0 + i + 2 * L);
        b0.intoArray(yp, y1 + i);
        b1.intoArray(yp, y1 + i + L);
        b2.intoArray(yp, y1 + i + 2 * L);
    }

    /**
     * Adds one image's weight gradient, lane by lane, to {@code lanes}: lane l of weight
     * {@code (k, t)} (at {@code lanes[(k * taps + t) * L + l]}) gets the products {@code gyp[k, i]
     * * xp[tap[t] + i]} of the positions {@code i < n} with {@code i % L == l}, where {@code gyp}
     * holds the output gradient on the padded grid with zeros in the dropped columns and past the
     * last row. Four taps at a time share each load of the gradient and keep four independent
     * accumulator chains. The lanes are summed once per group of images ({@link #sumLanes}): summed
     * per image, they cost as much as the multiply-adds of LeNet's second layer (18 vectors an image).
     */
    static void weight(float[] xp, int[] tap, float[] gyp, int k, int n, float[] lanes) {
        int taps = tap.length;
        int kk = 0;
        for (; kk + 1 < k && taps >= 4; kk += 2) {
            weightPair(xp, tap, gyp, kk, n, lanes);
        }
        for (; kk < k; kk++) {
            int g0 = kk * n;
            int out = kk * taps;
            int t = 0;
            for (; t + 3 < taps; t += 4) {
                int o0 = tap[t];
                int o1 = tap[t + 1];
                int o2 = tap[t + 2];
                int o3 = tap[t + 3];
                FloatVector a0 = FloatVector.zero(S);
                FloatVector a1 = FloatVector.zero(S);
                FloatVector a2 = FloatVector.zero(S);
                FloatVector a3 = FloatVector.zero(S);
                for (int i = 0; i < n; i += L) {
                    FloatVector g = FloatVector.fromArray(S, gyp, g0 + i);
                    a0 = FloatVector.fromArray(S, xp, o0 + i).fma(g, a0);
                    a1 = FloatVector.fromArray(S, xp, o1 + i).fma(g, a1);
                    a2 = FloatVector.fromArray(S, xp, o2 + i).fma(g, a2);
                    a3 = FloatVector.fromArray(S, xp, o3 + i).fma(g, a3);
                }
                addLanes(lanes, out + t, a0);
                addLanes(lanes, out + t + 1, a1);
                addLanes(lanes, out + t + 2, a2);
                addLanes(lanes, out + t + 3, a3);
            }
            for (; t < taps; t++) {
                FloatVector a = FloatVector.zero(S);
                for (int i = 0; i < n; i += L) {
                    a = FloatVector.fromArray(S, xp, tap[t] + i).fma(FloatVector.fromArray(S, gyp, g0 + i), a);
                }
                addLanes(lanes, out + t, a);
            }
        }
    }

    /**
     * {@link #weight} for filters {@code kk} and {@code kk + 1} together: two gradient vectors by
     * four taps, eight accumulator chains sharing six loads. Each weight sums the same products in
     * the same order as the one-filter loop, so the result is bit for bit the same.
     */
    private static void weightPair(float[] xp, int[] tap, float[] gyp, int kk, int n, float[] lanes) {
        int taps = tap.length;
        int g0 = kk * n;
        int g1 = g0 + n;
        int out0 = kk * taps;
        int out1 = out0 + taps;
        int t = 0;
        for (; t + 3 < taps; t += 4) {
            int o0 = tap[t];
            int o1 = tap[t + 1];
            int o2 = tap[t + 2];
            int o3 = tap[t + 3];
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            for (int i = 0; i < n; i += L) {
                FloatVector ga = FloatVector.fromArray(S, gyp, g0 + i);
                FloatVector gb = FloatVector.fromArray(S, gyp, g1 + i);
                FloatVector x0 = FloatVector.fromArray(S, xp, o0 + i);
                a0 = x0.fma(ga, a0); b0 = x0.fma(gb, b0);
                FloatVector x1 = FloatVector.fromArray(S, xp, o1 + i);
                a1 = x1.fma(ga, a1); b1 = x1.fma(gb, b1);
                FloatVector x2 = FloatVector.fromArray(S, xp, o2 + i);
                a2 = x2.fma(ga, a2); b2 = x2.fma(gb, b2);
                FloatVector x3 = FloatVector.fromArray(S, xp, o3 + i);
                a3 = x3.fma(ga, a3); b3 = x3.fma(gb, b3);
            }
            addLanes(lanes, out0 + t, a0);
            addLanes(lanes, out0 + t + 1, a1);
            addLanes(lanes, out0 + t + 2, a2);
            addLanes(lanes, out0 + t + 3, a3);
            addLanes(lanes, out1 + t, b0);
            addLanes(lanes, out1 + t + 1, b1);
            addLanes(lanes, out1 + t + 2, b2);
            addLanes(lanes, out1 + t + 3, b3);
        }
        for (; t < taps; t++) {
            FloatVector a = FloatVector.zero(S);
            FloatVector b = FloatVector.zero(S);
            for (int i = 0; i < n; i += L) {
                FloatVector x = FloatVector.fromArray(S, xp, tap[t] + i);
                a = x.fma(FloatVector.fromArray(S, gyp, g0 + i), a);
                b = x.fma(FloatVector.fromArray(S, gyp, g1 + i), b);
            }
            addLanes(lanes, out0 + t, a);
            addLanes(lanes, out1 + t, b);
        }
    }

    /** {@code lanes[w * L ..] += v}: one weight's lane sums. */
    private static void addLanes(float[] lanes, int w, FloatVector v) {
        FloatVector.fromArray(S, lanes, w * L).add(v).intoArray(lanes, w * L);
    }

    /** Floats of {@link #weight}'s lane sums for {@code weights} weights. */
    static int laneLength(int weights) {
        return weights * L;
    }

    /** {@code gw[gwOff + w] = } the sum of weight w's lanes, for {@code w < weights}. */
    static void sumLanes(float[] lanes, int weights, float[] gw, int gwOff) {
        for (int w = 0; w < weights; w++) {
            gw[gwOff + w] = LaneSum.of(lanes, w * L);
        }
    }
}
