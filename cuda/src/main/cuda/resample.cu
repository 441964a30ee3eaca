// resample.cu: bilinear grid sampling with zero padding (the affine transforms of differentiable
// Siamese augmentation), forward and its adjoint in the input, over NCHW planes.
//
// The grid holds (column, row) in pixel units of the input, one grid per image or one shared by
// the batch. Forward: one thread per output. Backward: one thread per plane, which zeroes its
// gradient plane and scatters into it; a plane is small (an image channel) and only the synthetic
// images need this gradient, so the serial scatter costs little, and it needs no atomics: the
// sums are deterministic. Weights and sums are in double, in the order of the CPU twin.
// CPU twin: kernels/cpu/Resample.java.
#include "common.cuh"

// The host packs this from SampleGeometry (7 ints, in this order).
struct SampleShape {
    int n, c, h, w;
    int out_h, out_w;
    int grid_n;
};

// The four neighbours of the point (px, py): flat index within the plane, or -1 outside, and weight.
__device__ __forceinline__ void sample_corners(const SampleShape& g, double px, double py, int* index, double* weight) {
    if (!(px - px == 0.0) || !(py - py == 0.0)) {  // NaN or infinite: every neighbour outside
        for (int k = 0; k < 4; k++) {
            index[k] = -1;
            weight[k] = 0.0;
        }
        return;
    }
    double fx0 = floor(px), fy0 = floor(py);
    double ax = px - fx0, ay = py - fy0;
    double wx[2] = {1.0 - ax, ax};
    double wy[2] = {1.0 - ay, ay};
    for (int k = 0; k < 4; k++) {
        double xi = fx0 + (k & 1), yi = fy0 + (k >> 1);
        bool inside = xi >= 0.0 && xi < (double) g.w && yi >= 0.0 && yi < (double) g.h;
        index[k] = inside ? (int) yi * g.w + (int) xi : -1;
        weight[k] = wx[k & 1] * wy[k >> 1];
    }
}

// y[b, ch, i, j] = sum over the four neighbours of grid[g, i, j] of weight * x[b, ch, neighbour].
template <typename T>
__device__ void grid_sample_forward(SampleShape g, const T* x, const T* grid, T* y) {
    int out = g.out_h * g.out_w;
    FOR_EACH_INDEX(o, (long long) g.n * g.c * out) {
        int plane = (int) (o / out), at = (int) (o % out);
        int b = plane / g.c;
        const T* p = grid + ((long long) (g.grid_n == 1 ? 0 : b) * out + at) * 2;
        int index[4];
        double weight[4];
        sample_corners(g, (double) p[0], (double) p[1], index, weight);
        const T* xp = x + (long long) plane * g.h * g.w;
        double acc = 0.0;
        for (int k = 0; k < 4; k++) {
            if (index[k] >= 0) acc += weight[k] * (double) xp[index[k]];
        }
        y[o] = (T) acc;
    }
}

// gx[b, ch] = 0, then each gy[b, ch, i, j] added to the neighbours of grid[g, i, j] with their weights.
// T is double for the double kernel; the float kernel accumulates in the float plane itself.
template <typename T>
__device__ void grid_sample_backward(SampleShape g, const T* gy, const T* grid, T* gx) {
    int out = g.out_h * g.out_w;
    int area = g.h * g.w;
    FOR_EACH_INDEX(plane, (long long) g.n * g.c) {
        int b = (int) plane / g.c;
        T* gp = gx + plane * area;
        for (int e = 0; e < area; e++) gp[e] = T(0);
        const T* gyp = gy + plane * out;
        const T* p = grid + (long long) (g.grid_n == 1 ? 0 : b) * out * 2;
        for (int at = 0; at < out; at++) {
            int index[4];
            double weight[4];
            sample_corners(g, (double) p[2 * at], (double) p[2 * at + 1], index, weight);
            double v = (double) gyp[at];
            for (int k = 0; k < 4; k++) {
                if (index[k] >= 0) gp[index[k]] = (T) ((double) gp[index[k]] + weight[k] * v);
            }
        }
    }
}

#define RESAMPLE_KERNELS(t, T)                                                                                  \
    extern "C" __global__ void grid_sample_forward_##t(SampleShape g, const T* x, const T* grid, T* y) {        \
        grid_sample_forward(g, x, grid, y);                                                                     \
    }                                                                                                           \
    extern "C" __global__ void grid_sample_backward_##t(SampleShape g, const T* gy, const T* grid, T* gx) {     \
        grid_sample_backward(g, gy, grid, gx);                                                                  \
    }
RESAMPLE_KERNELS(f32, float)
RESAMPLE_KERNELS(f64, double)
