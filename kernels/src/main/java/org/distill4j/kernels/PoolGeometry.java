package org.distill4j.kernels;

/**
 * Shapes of a 2-d pooling window over NCHW input {@code [n, c, h, w]} giving
 * {@code [n, c, outH, outW]}. Average pooling counts padded cells (PyTorch's count_include_pad).
 */
public record PoolGeometry(int n, int c, int h, int w, int kh, int kw,
                           int strideH, int strideW, int padH, int padW) {

    public PoolGeometry {
        if (n <= 0 || c <= 0 || h <= 0 || w <= 0 || kh <= 0 || kw <= 0 || strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("pool2d: sizes and strides must be positive, got input [" + n + ", "
                    + c + ", " + h + ", " + w + "], window " + kh + "x" + kw + ", stride (" + strideH + ", " + strideW + ")");
        }
        if (padH < 0 || padW < 0 || 2 * padH > kh || 2 * padW > kw) {
            throw new IllegalArgumentException("pool2d: padding must be between 0 and half the window, got ("
                    + padH + ", " + padW + ") for window " + kh + "x" + kw);
        }
        if (h + 2 * padH < kh || w + 2 * padW < kw) {
            throw new IllegalArgumentException("pool2d: window " + kh + "x" + kw + " larger than padded input "
                    + (h + 2 * padH) + "x" + (w + 2 * padW));
        }
    }

    public int outH() {
        return (h + 2 * padH - kh) / strideH + 1;
    }

    public int outW() {
        return (w + 2 * padW - kw) / strideW + 1;
    }

    public int inputSize() {
        return n * c * h * w;
    }

    public int outputSize() {
        return n * c * outH() * outW();
    }
}
