package org.distill4j.tensor;

import org.distill4j.kernels.SampleGeometry;

/**
 * Affine sampling grids and bilinear grid sampling with zero padding over NCHW tensors (PyTorch's
 * {@code F.affine_grid} and {@code F.grid_sample(mode='bilinear', padding_mode='zeros')}), the
 * geometric transformations of differentiable Siamese augmentation.
 *
 * <p>Grids come in two units. A <em>normalised</em> grid, as {@link #affineGrid} makes and
 * PyTorch's {@code grid_sample} takes, holds (x, y) in [-1, 1] over the image; {@link #toPixels}
 * turns it into a <em>pixel</em> grid, (column, row) of the input, which the kernels take. Whole
 * pixel positions (a shift, a flip) can be given in pixels directly, and are then read exactly.
 */
public final class Resample {
    private Resample() {
    }

    /** The geometry of sampling {@code x [N, C, H, W]} at a pixel grid {@code [N or 1, outH, outW, 2]}. */
    public static SampleGeometry geometry(int[] xShape, int[] gridShape) {
        if (xShape.length != 4) {
            throw new IllegalArgumentException("gridSample expects input [N, C, H, W], got " + Shape.str(xShape));
        }
        if (gridShape.length != 4 || gridShape[3] != 2) {
            throw new IllegalArgumentException("gridSample expects a grid [N, outH, outW, 2], got " + Shape.str(gridShape));
        }
        return new SampleGeometry(xShape[0], xShape[1], xShape[2], xShape[3], gridShape[1], gridShape[2], gridShape[0]);
    }

    /** {@code x} read at the points of the pixel grid {@code grid}, bilinearly, zero outside. */
    public static Tensor gridSample(Tensor x, Tensor grid) {
        Elementwise.checkFloating(x, "gridSample");
        checkGrid(x, grid);
        SampleGeometry g = geometry(x.shape(), grid.shape());
        Tensor xc = x.contiguous();
        Tensor gc = grid.contiguous();
        Tensor y = Tensor.zeros(x.backend(), x.dtype(), g.n(), g.c(), g.outH(), g.outW());
        x.backend().gridSample(g, xc.buffer(), xc.offset(), gc.buffer(), gc.offset(), y.buffer(), 0);
        return y;
    }

    /** The adjoint of {@link #gridSample} in its input, for an input of {@code h x w} planes. */
    public static Tensor gridSampleBackward(Tensor gy, Tensor grid, int h, int w) {
        Elementwise.checkFloating(gy, "gridSample backward");
        checkGrid(gy, grid);
        SampleGeometry g = geometry(new int[] {gy.dim(0), gy.dim(1), h, w}, grid.shape());
        if (gy.dim(2) != g.outH() || gy.dim(3) != g.outW()) {
            throw new IllegalArgumentException("gridSample backward: output gradient " + Shape.str(gy.shape())
                    + " does not match the grid " + Shape.str(grid.shape()));
        }
        Tensor gyc = gy.contiguous();
        Tensor gc = grid.contiguous();
        Tensor gx = Tensor.zeros(gy.backend(), gy.dtype(), g.n(), g.c(), h, w);
        gy.backend().gridSampleBackward(g, gyc.buffer(), gyc.offset(), gc.buffer(), gc.offset(), gx.buffer(), 0);
        return gx;
    }

    private static void checkGrid(Tensor x, Tensor grid) {
        if (grid.dtype() != x.dtype()) {
            throw new IllegalArgumentException("gridSample: the grid is " + grid.dtype() + ", the images " + x.dtype());
        }
    }

    /**
     * The points {@code [outH * outW, 3]} = (x, y, 1) of an {@code outH x outW} output in normalised
     * units: the pixel centres spread over [-1, 1] ({@code alignCorners}: the first and last
     * centres at -1 and 1; otherwise the image's edges at -1 and 1), as {@code F.affine_grid}.
     */
    public static Tensor baseGrid(org.distill4j.kernels.DType dtype, int outH, int outW, boolean alignCorners) {
        double[] v = new double[outH * outW * 3];
        for (int i = 0; i < outH; i++) {
            for (int j = 0; j < outW; j++) {
                int at = 3 * (i * outW + j);
                v[at] = normalised(j, outW, alignCorners);
                v[at + 1] = normalised(i, outH, alignCorners);
                v[at + 2] = 1;
            }
        }
        return Tensor.from(dtype, v, outH * outW, 3);
    }

    private static double normalised(int i, int n, boolean alignCorners) {
        if (alignCorners) {
            return n == 1 ? 0 : -1 + 2.0 * i / (n - 1);
        }
        return (2.0 * i + 1) / n - 1;
    }

    /**
     * {@code F.affine_grid(theta, [N, C, outH, outW])}: for affine matrices {@code theta [N, 2, 3]},
     * the normalised grid {@code [N, outH, outW, 2]} whose point (i, j) is {@code theta} times the
     * output's own point (x_j, y_i, 1).
     */
    public static Tensor affineGrid(Tensor theta, int outH, int outW, boolean alignCorners) {
        checkTheta(theta.shape());
        Tensor base = baseGrid(theta.dtype(), outH, outW, alignCorners);
        return Gemm.matmul(base, theta.mT()).reshape(theta.dim(0), outH, outW, 2);
    }

    static void checkTheta(int[] shape) {
        if (shape.length != 3 || shape[1] != 2 || shape[2] != 3) {
            throw new IllegalArgumentException("affineGrid expects theta [N, 2, 3], got " + Shape.str(shape));
        }
    }

    /**
     * A normalised grid as pixel coordinates of an {@code h x w} input, as {@code F.grid_sample}
     * unnormalises: {@code ((x + 1) / 2) * (w - 1)} with {@code alignCorners}, {@code ((x + 1) * w - 1) / 2}
     * without (rows likewise with h).
     */
    public static Tensor toPixels(Tensor grid, int h, int w, boolean alignCorners) {
        double[] scale = alignCorners ? new double[] {(w - 1) / 2.0, (h - 1) / 2.0} : new double[] {w / 2.0, h / 2.0};
        double[] shift = alignCorners ? new double[] {(w - 1) / 2.0, (h - 1) / 2.0} : new double[] {(w - 1) / 2.0, (h - 1) / 2.0};
        Tensor s = Tensor.from(grid.dtype(), scale, 2);
        Tensor b = Tensor.from(grid.dtype(), shift, 2);
        return Elementwise.add(Elementwise.mul(grid, s), b);
    }
}
