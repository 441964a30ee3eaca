package org.distill4j.tensor;

import org.distill4j.kernels.ConvGeometry;

/** 2-d convolution over NCHW tensors (cross-correlation, no bias, dilation 1) and its backward passes. */
public final class Conv {
    private Conv() {
    }

    /** The geometry of {@code conv2d(x, w)} with the given strides and paddings. */
    public static ConvGeometry geometry(int[] xShape, int[] wShape, int strideH, int strideW, int padH, int padW) {
        if (xShape.length != 4 || wShape.length != 4) {
            throw new IllegalArgumentException("conv2d expects input [N, C, H, W] and weight [K, C, R, S], got "
                    + Shape.str(xShape) + " and " + Shape.str(wShape));
        }
        if (xShape[1] != wShape[1]) {
            throw new IllegalArgumentException("conv2d: input " + Shape.str(xShape) + " has " + xShape[1]
                    + " channels, weight " + Shape.str(wShape) + " expects " + wShape[1]);
        }
        return new ConvGeometry(xShape[0], xShape[1], xShape[2], xShape[3], wShape[0], wShape[2], wShape[3],
                strideH, strideW, padH, padW);
    }

    public static Tensor conv2d(ConvGeometry g, Tensor x, Tensor w) {
        return conv2d(g, x, w, null);
    }

    /**
     * {@code conv2d(x, w) + b} with {@code b} of shape {@code [K]} (or null: no bias), the bias
     * added as the outputs are written rather than in a pass of its own.
     */
    public static Tensor conv2d(ConvGeometry g, Tensor x, Tensor w, Tensor b) {
        Elementwise.checkSameDType(x, w, "conv2d");
        check(x, new int[]{g.n(), g.c(), g.h(), g.w()}, "input");
        check(w, new int[]{g.k(), g.c(), g.r(), g.s()}, "weight");
        Tensor xc = x.contiguous();
        Tensor wc = w.contiguous();
        Tensor y = Tensor.unfilled(x.backend(), x.dtype(), g.n(), g.k(), g.outH(), g.outW());
        if (b == null) {
            x.backend().conv2d(g, xc.buffer(), xc.offset(), wc.buffer(), wc.offset(), y.buffer(), 0);
            return y;
        }
        Elementwise.checkSameDType(x, b, "conv2d");
        check(b, new int[]{g.k()}, "bias");
        Tensor bc = b.contiguous();
        x.backend().conv2dBias(g, xc.buffer(), xc.offset(), wc.buffer(), wc.offset(), bc.buffer(), bc.offset(),
                y.buffer(), 0);
        return y;
    }

    /** The gradient of {@code sum(gy * conv2d(x, w))} with respect to {@code x}. */
    public static Tensor backwardInput(ConvGeometry g, Tensor gy, Tensor w) {
        Elementwise.checkSameDType(gy, w, "conv2d backward");
        check(gy, new int[]{g.n(), g.k(), g.outH(), g.outW()}, "output gradient");
        check(w, new int[]{g.k(), g.c(), g.r(), g.s()}, "weight");
        Tensor gyc = gy.contiguous();
        Tensor wc = w.contiguous();
        Tensor gx = Tensor.unfilled(gy.backend(), gy.dtype(), g.n(), g.c(), g.h(), g.w());
        gy.backend().conv2dBackwardInput(g, gyc.buffer(), gyc.offset(), wc.buffer(), wc.offset(), gx.buffer(), 0);
        return gx;
    }

    /** The gradient of {@code sum(gy * conv2d(x, w))} with respect to {@code w}. */
    public static Tensor backwardWeight(ConvGeometry g, Tensor x, Tensor gy) {
        Elementwise.checkSameDType(x, gy, "conv2d backward");
        check(x, new int[]{g.n(), g.c(), g.h(), g.w()}, "input");
        check(gy, new int[]{g.n(), g.k(), g.outH(), g.outW()}, "output gradient");
        Tensor xc = x.contiguous();
        Tensor gyc = gy.contiguous();
        // Every CPU kernel path writes the whole gradient (an empty batch: nothing to sum, zeros).
        Tensor gw = g.n() == 0 ? Tensor.zeros(x.backend(), x.dtype(), g.k(), g.c(), g.r(), g.s())
                : Tensor.unfilled(x.backend(), x.dtype(), g.k(), g.c(), g.r(), g.s());
        x.backend().conv2dBackwardWeight(g, xc.buffer(), xc.offset(), gyc.buffer(), gyc.offset(), gw.buffer(), 0);
        return gw;
    }

    static void check(Tensor t, int[] expected, String what) {
        Elementwise.checkFloating(t, "conv2d");
        if (!java.util.Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException("conv2d: " + what + " has shape " + Shape.str(t.shape())
                    + ", expected " + Shape.str(expected));
        }
    }
}
