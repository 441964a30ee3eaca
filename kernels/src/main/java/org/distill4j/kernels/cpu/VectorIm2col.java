package org.distill4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.distill4j.kernels.ConvGeometry;

/**
 * {@link Im2col}'s float unfolding and folding for layers of horizontal stride 1, a vector per
 * piece of an output row. Only loaded when {@link VectorSupport#AVAILABLE}.
 *
 * <p>A ConvNet-3 row is 14 or 7 outputs wide: the scalar loops spent more on their per-row set-up
 * (a copy call, two padding fills of one element) than on the elements (JFR, ConvNet-3 training
 * step: the padding fills 6% and the fold 8% of the samples). Here each piece of a row is one
 * masked load (lanes over the padding read as zero) and one store. Stores are whole vectors: one
 * that runs past the end of its row only writes places that a later row overwrites (the last
 * piece of the matrix is stored masked: nothing past the matrix is written); the fold's stores
 * keep the other lanes' bits (blend) and never leave the image, which another thread may be
 * folding next to it. The same copies
 * and the same float additions, per element in the same order, as {@link Im2col}'s loops.
 */
final class VectorIm2col {
    private static final VectorSpecies<Float> S = VectorWidth.F32;
    private static final int L = S.length();
    private static final TailMasks<Float> MASKS = new TailMasks<>(S);

    private VectorIm2col() {
    }

    /** {@link Im2col#im2col(ConvGeometry, float[], int, float[])} for {@code strideW == 1}. */
    static void im2col(ConvGeometry g, float[] x, int xOff, float[] col) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.h();
        int w = g.w();
        int pw = g.padW();
        int end = g.c() * g.r() * g.s() * oh * ow;
        FloatVector zero = FloatVector.zero(S);
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) {
                    int row = ((c * g.r() + r) * g.s() + s) * oh * ow;
                    int q0 = Math.min(ow, Math.max(0, pw - s));
                    int q1 = Math.max(q0, Math.min(ow, w + pw - s));
                    for (int p = 0; p < oh; p++) {
                        int ih = p * g.strideH() - g.padH() + r;
                        boolean inside = ih >= 0 && ih < h;
                        int dst = row + p * ow;
                        // x's index for output column 0 (outside the image when q0 > 0: those lanes are masked).
                        int src = xOff + (c * h + ih) * w - pw + s;
                        for (int j = 0; j < ow; j += L) {
                            FloatVector v = zero;
                            if (inside && j < q1 && j + L > q0) {
                                VectorMask<Float> m = MASKS.upTo(j, q1);
                                if (q0 > j) {
                                    m = m.and(MASKS.from(q0 - j));
                                }
                                v = FloatVector.fromArray(S, x, src + j, m);
                            }
                            int at = dst + j;
                            if (at + L <= end) {
                                v.intoArray(col, at);
                            } else {
                                v.intoArray(col, at, MASKS.upTo(at, dst + ow));
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@link Im2col#col2im(ConvGeometry, float[], float[], int)} for {@code strideW == 1}. */
    static void col2im(ConvGeometry g, float[] col, float[] gx, int gxOff) {
        int oh = g.outH();
        int ow = g.outW();
        int h = g.h();
        int w = g.w();
        int pw = g.padW();
        int imageEnd = gxOff + g.c() * h * w;
        java.util.Arrays.fill(gx, gxOff, imageEnd, 0f);
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) {
                    int row = ((c * g.r() + r) * g.s() + s) * oh * ow;
                    int q0 = Math.min(ow, Math.max(0, pw - s));
                    int q1 = Math.max(q0, Math.min(ow, w + pw - s));
                    for (int p = 0; p < oh; p++) {
                        int ih = p * g.strideH() - g.padH() + r;
                        if (ih < 0 || ih >= h) {
                            continue;
                        }
                        int src = row + p * ow;
                        int dst = gxOff + (c * h + ih) * w - pw + s;
                        for (int j = q0; j < q1; j += L) {
                            int n = Math.min(L, q1 - j);
                            int d = dst + j;
                            if (d + L <= imageEnd) {
                                VectorMask<Float> m = MASKS.first(n);
                                FloatVector old = FloatVector.fromArray(S, gx, d);
                                FloatVector sum = old.add(FloatVector.fromArray(S, col, src + j, m));
                                old.blend(sum, m).intoArray(gx, d);
                            } else {
                                for (int i = 0; i < n; i++) {
                                    gx[d + i] += col[src + j + i];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
