package org.distill4j.autodiff;

import org.distill4j.kernels.ConvGeometry;
import org.distill4j.tensor.Conv;

/**
 * 2-d convolution and its two backward passes, each a differentiable op, so that second-order
 * gradients flow through convolutions. The three maps are bilinear and adjoint to one another:
 *
 * <pre>
 *   y  = conv(x, w)              d/dx = convT(g, w)         d/dw = convW(x, g)
 *   gx = convT(gy, w)            d/dgy = conv(g, w)         d/dw = convW(g, gy)
 *   gw = convW(x, gy)            d/dx = convT(gy, g)        d/dgy = conv(x, g)
 * </pre>
 *
 * where convT is the transposed convolution (the input gradient) and convW the weight gradient.
 */
public final class ConvOps {
    private ConvOps() {
    }

    /**
     * {@code conv2d(x, w) + b} with symmetric stride and padding; {@code b} ([K]) may be null. One
     * node: the bias is added as the outputs are written, and its gradient is {@code g} summed over
     * images and positions.
     */
    public static Var conv2d(Var x, Var w, Var b, int stride, int padding) {
        if (b == null) {
            return conv2d(x, w, stride, stride, padding, padding);
        }
        ConvGeometry geo = Conv.geometry(x.shape(), w.shape(), stride, stride, padding, padding);
        Var bias = b.shape().length == 1 ? b : ShapeOps.reshape(b, b.size());
        return Var.record("conv2dBias", Conv.conv2d(geo, x.value(), w.value(), bias.value()),
                g -> new Var[]{
                        x.requiresGrad() ? convT(geo, g, w) : null,
                        w.requiresGrad() ? convW(geo, x, g) : null,
                        bias.requiresGrad() ? ReduceOps.sum(g, new int[]{0, 2, 3}, false) : null}, x, w, bias);
    }

    public static Var conv2d(Var x, Var w, int strideH, int strideW, int padH, int padW) {
        ConvGeometry g = Conv.geometry(x.shape(), w.shape(), strideH, strideW, padH, padW);
        return conv(g, x, w);
    }

    static Var conv(ConvGeometry geo, Var x, Var w) {
        return Var.record("conv2d", Conv.conv2d(geo, x.value(), w.value()),
                g -> new Var[]{
                        x.requiresGrad() ? convT(geo, g, w) : null,
                        w.requiresGrad() ? convW(geo, x, g) : null}, x, w);
    }

    static Var convT(ConvGeometry geo, Var gy, Var w) {
        return Var.record("conv2dBackwardInput", Conv.backwardInput(geo, gy.value(), w.value()),
                g -> new Var[]{
                        gy.requiresGrad() ? conv(geo, g, w) : null,
                        w.requiresGrad() ? convW(geo, g, gy) : null}, gy, w);
    }

    static Var convW(ConvGeometry geo, Var x, Var gy) {
        return Var.record("conv2dBackwardWeight", Conv.backwardWeight(geo, x.value(), gy.value()),
                g -> new Var[]{
                        x.requiresGrad() ? convT(geo, gy, g) : null,
                        gy.requiresGrad() ? conv(geo, x, g) : null}, x, gy);
    }
}
