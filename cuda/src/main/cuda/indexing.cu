// indexing.cu: index-select along an axis and its adjoint index-add; one-per-row gather and its
// adjoint scatter-add (cross-entropy's pick of the label's log-probability, and its backward).
//
// Indices come from device memory, so a bad one cannot throw here: the kernel skips it and
// records it in `status` (report_bad_index); the host raises IndexOutOfBoundsException at the
// next download. Kernel codes for that report, in the order of CudaIndexing.java:
//   1 index_select, 2 index_add, 3 gather_rows, 4 scatter_add_rows.
// CPU twin: kernels/cpu/Indexing.java.
#include "common.cuh"

// out[o, j, i] = x[o, idx[j], i] over [outer, count, inner]; x is [outer, len, inner].
template <typename T>
__device__ void index_select(int outer, int len, int inner, const T* x, const int* idx, int count, T* out,
                             int* status) {
    FOR_EACH_INDEX(t, (long long) outer * count * inner) {
        int i = (int) t % inner, j = ((int) t / inner) % count, o = (int) t / (inner * count);
        int src = idx[j];
        if (src < 0 || src >= len) {
            report_bad_index(status, 1, src, len);
            out[t] = T(0);
        } else {
            out[t] = x[((long long) o * len + src) * inner + i];
        }
    }
}

// out[o, idx[j], i] += src[o, j, i]. Repeated indices add into the same element, so the adds are
// atomic; with repeats, float sums may then round differently from run to run.
template <typename T>
__device__ void index_add(int outer, int len, int inner, const T* src, const int* idx, int count, T* out,
                          int* status) {
    FOR_EACH_INDEX(t, (long long) outer * count * inner) {
        int i = (int) t % inner, j = ((int) t / inner) % count, o = (int) t / (inner * count);
        int dst = idx[j];
        if (dst < 0 || dst >= len) {
            report_bad_index(status, 2, dst, len);
        } else {
            atomicAdd(&out[((long long) o * len + dst) * inner + i], src[t]);
        }
    }
}

// out[r] = x[r, idx[r]] for a contiguous [rows, cols] block.
template <typename T>
__device__ void gather_rows(int rows, int cols, const T* x, const int* idx, T* out, int* status) {
    FOR_EACH_INDEX(r, rows) {
        int j = idx[r];
        if (j < 0 || j >= cols) {
            report_bad_index(status, 3, j, cols);
            out[r] = T(0);
        } else {
            out[r] = x[r * cols + j];
        }
    }
}

// out[r, idx[r]] += src[r]. Each row is touched by one thread only: no atomics needed.
template <typename T>
__device__ void scatter_add_rows(int rows, int cols, const T* src, const int* idx, T* out, int* status) {
    FOR_EACH_INDEX(r, rows) {
        int j = idx[r];
        if (j < 0 || j >= cols) {
            report_bad_index(status, 4, j, cols);
        } else {
            out[r * cols + j] += src[r];
        }
    }
}

#define INDEXING_KERNELS(t, T)                                                                              \
    extern "C" __global__ void index_select_##t(int outer, int len, int inner, const T* x, const int* idx,  \
                                                int count, T* out, int* status) {                           \
        index_select(outer, len, inner, x, idx, count, out, status);                                        \
    }                                                                                                       \
    extern "C" __global__ void index_add_##t(int outer, int len, int inner, const T* src, const int* idx,   \
                                             int count, T* out, int* status) {                              \
        index_add(outer, len, inner, src, idx, count, out, status);                                         \
    }                                                                                                       \
    extern "C" __global__ void gather_rows_##t(int rows, int cols, const T* x, const int* idx, T* out,      \
                                               int* status) {                                               \
        gather_rows(rows, cols, x, idx, out, status);                                                       \
    }                                                                                                       \
    extern "C" __global__ void scatter_add_rows_##t(int rows, int cols, const T* src, const int* idx,       \
                                                    T* out, int* status) {                                  \
        scatter_add_rows(rows, cols, src, idx, out, status);                                                \
    }
INDEXING_KERNELS(f32, float)
INDEXING_KERNELS(f64, double)
INDEXING_KERNELS(i32, int)
