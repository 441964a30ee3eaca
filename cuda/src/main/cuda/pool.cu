// pool.cu: max and average pooling over NCHW planes, forward and backward.
//
// Forward: one thread per output. Backward: one thread per *input* element, which gathers from
// the few output windows that contain it. Gathering instead of scattering needs no atomics, so
// the sums are deterministic even when windows overlap (stride < window).
// CPU twin: kernels/cpu/Pool.java.
#include "common.cuh"

// The host packs this from PoolGeometry (12 ints, in this order).
struct PoolShape {
    int n, c, h, w;
    int kh, kw;
    int stride_h, stride_w;
    int pad_h, pad_w;
    int out_h, out_w;
};

// The output rows p whose window covers input row ih: p*stride - pad <= ih <= p*stride - pad + k - 1.
__device__ __forceinline__ void covering(int i, int k, int stride, int pad, int out, int* first, int* last) {
    int from_start = i + pad - k + 1;  // p*stride >= from_start
    *first = from_start <= 0 ? 0 : (from_start + stride - 1) / stride;
    int p_last = (i + pad) / stride;   // p*stride <= i + pad
    *last = p_last < out - 1 ? p_last : out - 1;
}

// y[plane, p, q] = max over the window; argmax gets the flat index of the chosen element within
// the input plane (the first on ties; padded cells are never chosen).
template <typename T>
__device__ void max_pool_forward(PoolShape g, const T* x, T* y, int* argmax) {
    FOR_EACH_INDEX(o, (long long) g.n * g.c * g.out_h * g.out_w) {
        int q = (int) o % g.out_w, p = ((int) o / g.out_w) % g.out_h;
        int plane = (int) o / (g.out_w * g.out_h);
        const T* xp = x + (long long) plane * g.h * g.w;
        T best = T(-INFINITY);
        int best_index = -1;
        for (int r = 0; r < g.kh; r++) {
            int ih = p * g.stride_h - g.pad_h + r;
            if (ih < 0 || ih >= g.h) continue;
            for (int s = 0; s < g.kw; s++) {
                int iw = q * g.stride_w - g.pad_w + s;
                if (iw < 0 || iw >= g.w) continue;
                T v = xp[ih * g.w + iw];
                if (best_index < 0 || v > best) {
                    best = v;
                    best_index = ih * g.w + iw;
                }
            }
        }
        y[o] = best;
        argmax[o] = best_index;
    }
}

// gx[plane, e] = sum of gy over the windows covering e whose argmax is e. `argmax` must come from
// max_pool_forward with the same shape, so it always points inside its own window.
template <typename T>
__device__ void max_pool_backward(PoolShape g, const T* gy, const int* argmax, T* gx) {
    FOR_EACH_INDEX(e, (long long) g.n * g.c * g.h * g.w) {
        int iw = (int) e % g.w, ih = ((int) e / g.w) % g.h;
        int plane = (int) e / (g.w * g.h);
        int p0, p1, q0, q1;
        covering(ih, g.kh, g.stride_h, g.pad_h, g.out_h, &p0, &p1);
        covering(iw, g.kw, g.stride_w, g.pad_w, g.out_w, &q0, &q1);
        long long out_plane = (long long) plane * g.out_h * g.out_w;
        int self = ih * g.w + iw;
        T acc = T(0);
        for (int p = p0; p <= p1; p++) {
            for (int q = q0; q <= q1; q++) {
                long long o = out_plane + p * g.out_w + q;
                if (argmax[o] == self) acc += gy[o];
            }
        }
        gx[e] = acc;
    }
}

// y = mean over the window, padded cells counted as zeros (PyTorch's count_include_pad).
template <typename T>
__device__ void avg_pool_forward(PoolShape g, const T* x, T* y) {
    T area = T(g.kh * g.kw);
    FOR_EACH_INDEX(o, (long long) g.n * g.c * g.out_h * g.out_w) {
        int q = (int) o % g.out_w, p = ((int) o / g.out_w) % g.out_h;
        int plane = (int) o / (g.out_w * g.out_h);
        const T* xp = x + (long long) plane * g.h * g.w;
        T acc = T(0);
        for (int r = 0; r < g.kh; r++) {
            int ih = p * g.stride_h - g.pad_h + r;
            if (ih < 0 || ih >= g.h) continue;
            for (int s = 0; s < g.kw; s++) {
                int iw = q * g.stride_w - g.pad_w + s;
                if (iw >= 0 && iw < g.w) acc += xp[ih * g.w + iw];
            }
        }
        y[o] = acc / area;
    }
}

// gx[plane, e] = sum over the windows covering e of gy / area.
template <typename T>
__device__ void avg_pool_backward(PoolShape g, const T* gy, T* gx) {
    T area = T(g.kh * g.kw);
    FOR_EACH_INDEX(e, (long long) g.n * g.c * g.h * g.w) {
        int iw = (int) e % g.w, ih = ((int) e / g.w) % g.h;
        int plane = (int) e / (g.w * g.h);
        int p0, p1, q0, q1;
        covering(ih, g.kh, g.stride_h, g.pad_h, g.out_h, &p0, &p1);
        covering(iw, g.kw, g.stride_w, g.pad_w, g.out_w, &q0, &q1);
        const T* gyp = gy + (long long) plane * g.out_h * g.out_w;
        T acc = T(0);
        for (int p = p0; p <= p1; p++) {
            for (int q = q0; q <= q1; q++) acc += gyp[p * g.out_w + q] / area;
        }
        gx[e] = acc;
    }
}

#define POOL_KERNELS(t, T)                                                                                   \
    extern "C" __global__ void max_pool_forward_##t(PoolShape g, const T* x, T* y, int* argmax) {            \
        max_pool_forward(g, x, y, argmax);                                                                   \
    }                                                                                                        \
    extern "C" __global__ void max_pool_backward_##t(PoolShape g, const T* gy, const int* argmax, T* gx) {   \
        max_pool_backward(g, gy, argmax, gx);                                                                \
    }                                                                                                        \
    extern "C" __global__ void avg_pool_forward_##t(PoolShape g, const T* x, T* y) { avg_pool_forward(g, x, y); } \
    extern "C" __global__ void avg_pool_backward_##t(PoolShape g, const T* gy, T* gx) {                      \
        avg_pool_backward(g, gy, gx);                                                                        \
    }
POOL_KERNELS(f32, float)
POOL_KERNELS(f64, double)
