package org.distill4j.autodiff;

import org.distill4j.tensor.Resample;
import org.distill4j.tensor.Tensor;

/**
 * Bilinear grid sampling and affine grids (the geometric transformations of differentiable Siamese
 * augmentation). Sampling is linear in the images for a fixed grid, so its backward pass is its
 * adjoint, and the adjoint's adjoint is sampling again: the pair closes under differentiation, to
 * any order.
 *
 * <pre>
 *   y = gridSample(x, grid)             d/dx = gridSampleT(g, grid)     gridSampleT's adjoint = gridSample
 *   grid = affineGrid(theta)            base (x, y, 1) times theta^T: a matmul, differentiable in theta
 * </pre>
 *
 * The sampling grid is a constant: gradients flow to the images, not to the sampling points (the
 * augmentation's parameters are drawn, not learned).
 */
public final class ResampleOps {
    private ResampleOps() {
    }

    /**
     * {@code x [N, C, H, W]} read at the points of a pixel grid {@code [N or 1, outH, outW, 2]}
     * (column, row of the input; one grid shared by the batch when its first axis is 1), bilinearly,
     * zero outside the image.
     */
    public static Var gridSample(Var x, Tensor pixelGrid) {
        int h = x.dim(2);
        int w = x.dim(3);
        return Var.record("gridSample", Resample.gridSample(x.value(), pixelGrid),
                g -> new Var[]{gridSampleT(g, pixelGrid, h, w)}, x);
    }

    /**
     * PyTorch's {@code F.grid_sample(x, grid, mode='bilinear', padding_mode='zeros', align_corners)}
     * for a normalised grid {@code [N or 1, outH, outW, 2]}.
     */
    public static Var gridSample(Var x, Tensor grid, boolean alignCorners) {
        return gridSample(x, Resample.toPixels(grid, x.dim(2), x.dim(3), alignCorners));
    }

    private static Var gridSampleT(Var gy, Tensor pixelGrid, int h, int w) {
        return Var.record("gridSampleBackward", Resample.gridSampleBackward(gy.value(), pixelGrid, h, w),
                g -> new Var[]{gridSample(g, pixelGrid)}, gy);
    }

    /**
     * PyTorch's {@code F.affine_grid(theta, [N, C, outH, outW], align_corners)}: the normalised grid
     * {@code [N, outH, outW, 2]} of affine matrices {@code theta [N, 2, 3]}, differentiable in theta.
     */
    public static Var affineGrid(Var theta, int outH, int outW, boolean alignCorners) {
        if (theta.rank() != 3 || theta.dim(1) != 2 || theta.dim(2) != 3) {
            throw new IllegalArgumentException("affineGrid expects theta [N, 2, 3], got "
                    + org.distill4j.tensor.Shape.str(theta.shape()));
        }
        Var base = Var.constant(Resample.baseGrid(theta.dtype(), outH, outW, alignCorners));
        return base.matmul(theta.mT()).reshape(theta.dim(0), outH, outW, 2);
    }
}
