package org.distill4j.cuda;

import org.distill4j.kernels.ConvGeometry;

/**
 * How many images of a convolution go through im2col and the GEMMs at a time. The workspace of
 * one chunk holds its columns ({@code c*r*s} rows of {@code P = outH*outW} per image) and, for the
 * weight gradient, its rearranged output gradient ({@code k} rows of P per image); the chunk is the
 * largest number of images, at least one, whose workspace fits the budget.
 */
record ConvPlan(int imagesPerChunk, long colRows, long positions, long workspaceElements) {

    static ConvPlan of(ConvGeometry g, long workspaceBytes, int elementBytes) {
        long colRows = (long) g.c() * g.r() * g.s();
        long positions = (long) g.outH() * g.outW();
        long perImage = (colRows + g.k()) * positions;
        long fit = workspaceBytes / elementBytes / perImage;
        int images = (int) Math.max(1, Math.min(g.n(), fit));
        long widest = (long) images * positions;
        if (widest > Integer.MAX_VALUE || colRows * widest > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("conv2d: one image needs " + colRows + " x " + positions
                    + " im2col columns, more than the CUDA backend addresses in one call");
        }
        return new ConvPlan(images, colRows, positions, perImage * images);
    }

    /** Columns of the im2col matrix of a chunk of {@code images} images: its row stride. */
    int width(int images) {
        return (int) (images * positions);
    }
}
