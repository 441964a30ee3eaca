// conv.cu: the data movement of a 2-d convolution done as GEMMs (Chellapilla et al. 2006,
// "High Performance Convolutional Neural Networks for Document Processing").
//
// For a chunk of `images` images of x[n, c, h, w] and weights w[k, c, r, s], with P = out_h*out_w:
//   im2col   col[(c*r + i)*s + j][b*P + p*out_w + q] = x[b, c, p*stride - pad + i, q*stride - pad + j]
//            (0 where that falls in the padding): the patches as columns of a [c*r*s, images*P] matrix.
//   forward          y[b]   = w[k, crs] x col[crs, P of image b]          (batched GEMM)
//   backward input   dcol   = w^T x gy[b], then col2im sums dcol back onto the pixels
//   backward weight  dw    += gy^T-arranged[k, images*P] x col^T          (one GEMM per chunk)
// The GEMMs run on cuBLAS or gemm.cu; the host plans the chunks (CudaConv.java).
// CPU twin: kernels/cpu/Conv.java.
#include "common.cuh"

// The host packs this from ConvGeometry (13 ints, in this order).
struct ConvShape {
    int n, c, h, w;
    int k, r, s;
    int stride_h, stride_w;
    int pad_h, pad_w;
    int out_h, out_w;
};

// col[crs, b*P + pq] for the `images` images starting at x. One thread per col element; threads
// next to each other take neighbouring output positions, so writes are coalesced.
template <typename T>
__device__ void im2col(ConvShape g, int images, const T* x, T* col) {
    int P = g.out_h * g.out_w;
    int width = images * P;  // the host keeps c*r*s * width within an int (ConvPlan)
    FOR_EACH_INDEX(t, (long long) g.c * g.r * g.s * width) {
        int column = (int) t % width, row = (int) t / width;
        int j = row % g.s, i = (row / g.s) % g.r, ch = row / (g.s * g.r);
        int b = column / P, pq = column % P;
        int p = pq / g.out_w, q = pq % g.out_w;
        int ih = p * g.stride_h - g.pad_h + i;
        int iw = q * g.stride_w - g.pad_w + j;
        bool inside = ih >= 0 && ih < g.h && iw >= 0 && iw < g.w;
        col[t] = inside ? x[(((long long) b * g.c + ch) * g.h + ih) * g.w + iw] : T(0);
    }
}

// x[b, ch, ih, iw] = sum of the col entries that im2col copied from that pixel: the adjoint of
// im2col. One thread per pixel gathers them (no atomics, a fixed order).
template <typename T>
__device__ void col2im(ConvShape g, int images, const T* col, T* x) {
    int P = g.out_h * g.out_w;
    int width = images * P;
    FOR_EACH_INDEX(e, (long long) images * g.c * g.h * g.w) {
        int pixel = (int) e;
        int iw = pixel % g.w, ih = (pixel / g.w) % g.h;
        int ch = (pixel / (g.w * g.h)) % g.c;
        int b = pixel / (g.w * g.h * g.c);
        T acc = T(0);
        for (int i = 0; i < g.r; i++) {
            int ph = ih + g.pad_h - i;  // = p * stride_h for the output row p that used this pixel
            if (ph < 0 || ph % g.stride_h != 0) continue;
            int p = ph / g.stride_h;
            if (p >= g.out_h) continue;
            for (int j = 0; j < g.s; j++) {
                int pw = iw + g.pad_w - j;
                if (pw < 0 || pw % g.stride_w != 0) continue;
                int q = pw / g.stride_w;
                if (q >= g.out_w) continue;
                int row = (ch * g.r + i) * g.s + j;
                acc += col[(long long) row * width + b * P + p * g.out_w + q];
            }
        }
        x[e] = acc;
    }
}

extern "C" __global__ void im2col_f32(ConvShape g, int images, const float* x, float* col) { im2col(g, images, x, col); }
extern "C" __global__ void im2col_f64(ConvShape g, int images, const double* x, double* col) { im2col(g, images, x, col); }
extern "C" __global__ void col2im_f32(ConvShape g, int images, const float* col, float* x) { col2im(g, images, col, x); }
extern "C" __global__ void col2im_f64(ConvShape g, int images, const double* col, double* x) { col2im(g, images, col, x); }
