package org.distill4j.kernels;

/**
 * Shapes of bilinear grid sampling: input planes {@code [n, c, h, w]}, output {@code [n, c, outH, outW]},
 * and a grid of sampling points {@code [gridN, outH, outW, 2]} holding (column, row) in pixel units
 * of the input. {@code gridN} is {@code n} (one grid per image) or 1 (one grid shared by the batch).
 */
public record SampleGeometry(int n, int c, int h, int w, int outH, int outW, int gridN) {

    public SampleGeometry {
        if (n <= 0 || c <= 0 || h <= 0 || w <= 0 || outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("gridSample: sizes must be positive, got input [" + n + ", " + c + ", " + h
                    + ", " + w + "] and output " + outH + "x" + outW);
        }
        if (gridN != n && gridN != 1) {
            throw new IllegalArgumentException("gridSample: the grid has " + gridN + " images; expected " + n + " or 1");
        }
        if ((long) n * c * Math.max((long) h * w, (long) outH * outW) > Integer.MAX_VALUE
                || (long) gridN * outH * outW * 2 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("gridSample: more than " + Integer.MAX_VALUE + " elements");
        }
    }

    public int inputSize() {
        return n * c * h * w;
    }

    public int outputSize() {
        return n * c * outH * outW;
    }

    public int gridSize() {
        return gridN * outH * outW * 2;
    }
}
