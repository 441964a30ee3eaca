// common.cuh: what every kernel family shares.
//
// The same sources compile twice: with nvcc into the fatbins the CUDA backend loads, and with g++
// through src/test/native/emulation.h, which runs them on the host for the tests.
#pragma once

#ifdef __CUDACC__
#include <climits>
#include <math.h>
#else
#include "emulation.h"
#endif

// ---- strided views ----------------------------------------------------------------------------

// The most axes a strided view may have after the host merged the axes it could (Layouts.java).
#define MAX_RANK 8

// A strided read over `rank` axes: element i, counted row-major over size[], lives at
// sum_d index_d * stride[d] elements from the view's base pointer. Stride 0 broadcasts.
// Passed by value; the host packs it as 1 + 2 * MAX_RANK ints (KernelArgs.layout).
struct Layout {
    int rank;
    int size[MAX_RANK];
    int stride[MAX_RANK];
};

__device__ __forceinline__ long long layout_offset(long long i, const Layout& l) {
    // Element counts fit in an int (Java sizes), so the divisions are 32-bit: a 64-bit division
    // costs a GPU dozens of instructions. Offsets accumulate in 64 bits.
    if (l.rank <= 1) return l.rank == 0 ? 0 : i * l.stride[0];  // contiguous or 1-d: no division
    unsigned rest = (unsigned) i;
    long long offset = 0;
    // Unrolled with a guard instead of looping to l.rank, so the arrays stay in registers and
    // parameter space instead of a local-memory copy.
#pragma unroll
    for (int d = MAX_RANK - 1; d >= 0; d--) {
        if (d < l.rank) {
            unsigned s = (unsigned) l.size[d];
            offset += (long long) (rest % s) * l.stride[d];
            rest /= s;
        }
    }
    return offset;
}

// Grid-stride loop over [0, n): the host caps the grid, each thread takes every stride-th element.
// The index is 64-bit so that i + stride cannot overflow; n itself is at most INT_MAX, so kernels
// take (int) i for their index arithmetic.
#define FOR_EACH_INDEX(i, n) \
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (n); \
         i += (long long) blockDim.x * gridDim.x)

// ---- math that reads the same in float and double ---------------------------------------------

__device__ __forceinline__ float math_exp(float x) { return expf(x); }
__device__ __forceinline__ double math_exp(double x) { return exp(x); }
__device__ __forceinline__ float math_log(float x) { return logf(x); }
__device__ __forceinline__ double math_log(double x) { return log(x); }
__device__ __forceinline__ float math_log1p(float x) { return log1pf(x); }
__device__ __forceinline__ double math_log1p(double x) { return log1p(x); }
__device__ __forceinline__ float math_sqrt(float x) { return sqrtf(x); }
__device__ __forceinline__ double math_sqrt(double x) { return sqrt(x); }
__device__ __forceinline__ float math_tanh(float x) { return tanhf(x); }
__device__ __forceinline__ double math_tanh(double x) { return tanh(x); }
__device__ __forceinline__ float math_abs(float x) { return fabsf(x); }
__device__ __forceinline__ double math_abs(double x) { return fabs(x); }
__device__ __forceinline__ float math_pow(float x, float y) { return powf(x, y); }
__device__ __forceinline__ double math_pow(double x, double y) { return pow(x, y); }

template <typename T>
__device__ __forceinline__ bool is_nan(T x) { return x != x; }

// Java's Math.max/min, which the CPU backend uses: NaN wins (fmax would drop it).
template <typename T>
__device__ __forceinline__ T java_max(T a, T b) { return is_nan(a) ? a : is_nan(b) ? b : (a > b ? a : b); }
template <typename T>
__device__ __forceinline__ T java_min(T a, T b) { return is_nan(a) ? a : is_nan(b) ? b : (a < b ? a : b); }

// Java's Math.pow where it differs from C's pow: NaN exponents and (+-1)^(+-inf) give NaN.
template <typename T>
__device__ __forceinline__ T java_pow(T x, T y) {
    if (y == 0) return T(1);
    if (is_nan(y) || (math_abs(x) == T(1) && math_abs(y) == T(INFINITY))) return T(NAN);
    return math_pow(x, y);
}

// Java's (int) cast of a double: NaN gives 0, out-of-range values saturate (C leaves both undefined).
__device__ __forceinline__ int java_to_int(double v) {
    if (is_nan(v)) return 0;
    if (v >= 2147483647.0) return INT_MAX;
    if (v <= -2147483648.0) return INT_MIN;
    return (int) v;
}

// ---- warp and block reductions ----------------------------------------------------------------

struct SumOp {
    template <typename T> __device__ __forceinline__ T operator()(T a, T b) const { return a + b; }
};
struct MaxOp {
    template <typename T> __device__ __forceinline__ T operator()(T a, T b) const { return java_max(a, b); }
};
struct MinOp {
    template <typename T> __device__ __forceinline__ T operator()(T a, T b) const { return java_min(a, b); }
};

// Butterfly reduction over the 32 lanes of a warp: every lane ends with op over all lanes. The
// combination order is fixed, so the result does not change from run to run.
template <typename T, typename Op>
__device__ __forceinline__ T warp_allreduce(T v, Op op) {
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) {
        v = op(v, __shfl_xor_sync(0xffffffffu, v, offset));
    }
    return v;
}

// op over all threads of a block (blockDim.x a multiple of 32, at most 1024); every thread gets
// the result. Warps reduce with shuffles, then each warp reduces the per-warp partials.
template <typename T, typename Op>
__device__ T block_allreduce(T v, Op op, T identity) {
    __shared__ T partial[32];
    int lane = threadIdx.x % 32;
    int warp = threadIdx.x / 32;
    v = warp_allreduce(v, op);
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    int warps = blockDim.x / 32;
    v = lane < warps ? partial[lane] : identity;
    v = warp_allreduce(v, op);
    __syncthreads();  // partial[] may be reused by the next call
    return v;
}

// ---- device-side error reports ----------------------------------------------------------------

// A kernel cannot throw. Kernels that read indices record the first bad one in a 4-int status
// word: {1, kernel code, index, axis size}; the host checks it at the next download.
__device__ __forceinline__ void report_bad_index(int* status, int kernel, int index, int size) {
    if (atomicCAS(status, 0, 1) == 0) {
        status[1] = kernel;
        status[2] = index;
        status[3] = size;
    }
}
