package org.distill4j.tensor;

import org.distill4j.kernels.DType;
import org.distill4j.kernels.PoolGeometry;

/** Max and average pooling over NCHW tensors, and their backward passes. */
public final class Pool {
    private Pool() {
    }

    /** The pooled values and, per output, the flat index of the chosen element within its input plane. */
    public record MaxPoolResult(Tensor values, Tensor argmax) {
    }

    public static PoolGeometry geometry(int[] xShape, int kh, int kw, int strideH, int strideW, int padH, int padW) {
        if (xShape.length != 4) {
            throw new IllegalArgumentException("pool2d expects input [N, C, H, W], got " + Shape.str(xShape));
        }
        return new PoolGeometry(xShape[0], xShape[1], xShape[2], xShape[3], kh, kw, strideH, strideW, padH, padW);
    }

    public static MaxPoolResult maxPool2d(PoolGeometry g, Tensor x) {
        check(x, g, "input");
        Tensor xc = x.contiguous();
        Tensor y = Tensor.unfilled(x.backend(), x.dtype(), g.n(), g.c(), g.outH(), g.outW());
        Tensor idx = Tensor.unfilled(x.backend(), DType.I32, g.n(), g.c(), g.outH(), g.outW());
        x.backend().maxPool2d(g, xc.buffer(), xc.offset(), y.buffer(), 0, idx.buffer(), 0);
        return new MaxPoolResult(y, idx);
    }

    /** The values of {@link #maxPool2d} alone, for inference: no arg-max is kept. */
    public static Tensor maxPool2dValues(PoolGeometry g, Tensor x) {
        check(x, g, "input");
        Tensor xc = x.contiguous();
        Tensor y = Tensor.unfilled(x.backend(), x.dtype(), g.n(), g.c(), g.outH(), g.outW());
        x.backend().maxPool2dValues(g, xc.buffer(), xc.offset(), y.buffer(), 0);
        return y;
    }

    public static Tensor maxPool2dBackward(PoolGeometry g, Tensor gy, Tensor argmax) {
        checkOut(gy, g);
        Tensor gyc = gy.contiguous();
        Tensor ac = argmax.contiguous();
        Tensor gx = Tensor.unfilled(gy.backend(), gy.dtype(), g.n(), g.c(), g.h(), g.w());
        gy.backend().maxPool2dBackward(g, gyc.buffer(), gyc.offset(), ac.buffer(), ac.offset(), gx.buffer(), 0);
        return gx;
    }

    public static Tensor avgPool2d(PoolGeometry g, Tensor x) {
        check(x, g, "input");
        Tensor xc = x.contiguous();
        Tensor y = Tensor.unfilled(x.backend(), x.dtype(), g.n(), g.c(), g.outH(), g.outW());
        x.backend().avgPool2d(g, xc.buffer(), xc.offset(), y.buffer(), 0);
        return y;
    }

    public static Tensor avgPool2dBackward(PoolGeometry g, Tensor gy) {
        checkOut(gy, g);
        Tensor gyc = gy.contiguous();
        Tensor gx = Tensor.unfilled(gy.backend(), gy.dtype(), g.n(), g.c(), g.h(), g.w());
        gy.backend().avgPool2dBackward(g, gyc.buffer(), gyc.offset(), gx.buffer(), 0);
        return gx;
    }

    private static void check(Tensor x, PoolGeometry g, String what) {
        Elementwise.checkFloating(x, "pool2d");
        int[] expected = {g.n(), g.c(), g.h(), g.w()};
        if (!java.util.Arrays.equals(x.shape(), expected)) {
            throw new IllegalArgumentException("pool2d: " + what + " has shape " + Shape.str(x.shape())
                    + ", expected " + Shape.str(expected));
        }
    }

    private static void checkOut(Tensor gy, PoolGeometry g) {
        Elementwise.checkFloating(gy, "pool2d backward");
        int[] expected = {g.n(), g.c(), g.outH(), g.outW()};
        if (!java.util.Arrays.equals(gy.shape(), expected)) {
            throw new IllegalArgumentException("pool2d backward: output gradient has shape " + Shape.str(gy.shape())
                    + ", expected " + Shape.str(expected));
        }
    }
}
