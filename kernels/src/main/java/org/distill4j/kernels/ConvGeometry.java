package org.distill4j.kernels;

/**
 * Shapes of a 2-d convolution with dilation 1 and one group, NCHW layout:
 * input {@code [n, c, h, w]}, weight {@code [k, c, r, s]}, output {@code [n, k, outH, outW]}.
 */
public record ConvGeometry(int n, int c, int h, int w, int k, int r, int s,
                           int strideH, int strideW, int padH, int padW) {

    public ConvGeometry {
        if (n <= 0 || c <= 0 || h <= 0 || w <= 0 || k <= 0 || r <= 0 || s <= 0) {
            throw new IllegalArgumentException("conv2d: sizes must be positive, got input [" + n + ", " + c + ", "
                    + h + ", " + w + "] and weight [" + k + ", " + c + ", " + r + ", " + s + "]");
        }
        if (strideH <= 0 || strideW <= 0 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: stride must be >= 1 and padding >= 0, got stride ("
                    + strideH + ", " + strideW + ") padding (" + padH + ", " + padW + ")");
        }
        if (h + 2 * padH < r || w + 2 * padW < s) {
            throw new IllegalArgumentException("conv2d: kernel " + r + "x" + s + " larger than padded input "
                    + (h + 2 * padH) + "x" + (w + 2 * padW));
        }
    }

    public int outH() {
        return (h + 2 * padH - r) / strideH + 1;
    }

    public int outW() {
        return (w + 2 * padW - s) / strideW + 1;
    }

    public int inputSize() {
        return n * c * h * w;
    }

    public int weightSize() {
        return k * c * r * s;
    }

    public int outputSize() {
        return n * k * outH() * outW();
    }
}
