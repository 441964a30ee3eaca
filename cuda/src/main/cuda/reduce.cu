// reduce.cu: sum/max/min over a set of axes, and argmax along one axis.
//
// The host splits the input's axes into the kept ones (`kept`, whose row-major order is the
// output's) and the reduced ones (`red`). Output o reduces the R = prod(red.size) elements at
// x + layout_offset(o, kept) + layout_offset(j, red), j < R. Three shapes of work, all computing
// the same thing and picked by the host (CudaReduce.java):
//   reduce_thread  one thread per output: few elements per output, or outputs adjacent in memory
//   reduce_warp    one warp per output, shuffle tree
//   reduce_block   one block per output, shuffle tree then shared memory: few, long reductions
// Sums accumulate in double, as the CPU reference does; the combination order is fixed.
// CPU twin: kernels/cpu/Reduce.java.
#include "common.cuh"

// In the order of org.distill4j.kernels.ReduceOp.
enum ReduceCode { REDUCE_SUM, REDUCE_MAX, REDUCE_MIN };

__device__ __forceinline__ double reduce_identity(int op) {
    return op == REDUCE_SUM ? 0.0 : op == REDUCE_MAX ? -INFINITY : INFINITY;
}

__device__ __forceinline__ double reduce_combine(int op, double a, double b) {
    return op == REDUCE_SUM ? a + b : op == REDUCE_MAX ? java_max(a, b) : java_min(a, b);
}

// This thread's share of output o: elements first, first + step, ... of the R to reduce.
template <typename T>
__device__ __forceinline__ double reduce_strided(int op, const T* x, long long base, const Layout& red, int count,
                                                 int first, int step) {
    double acc = reduce_identity(op);
    for (int j = first; j < count; j += step) {
        acc = reduce_combine(op, acc, (double) x[base + layout_offset(j, red)]);
    }
    return acc;
}

__device__ __forceinline__ double warp_reduce(int op, double v) {
    if (op == REDUCE_SUM) return warp_allreduce(v, SumOp());
    if (op == REDUCE_MAX) return warp_allreduce(v, MaxOp());
    return warp_allreduce(v, MinOp());
}

// out[o] = op over the R elements of output o, one thread per output.
template <typename T>
__device__ void reduce_thread(int op, Layout kept, Layout red, const T* x, T* out, int outputs, int count) {
    FOR_EACH_INDEX(o, outputs) {
        out[o] = (T) reduce_strided(op, x, layout_offset(o, kept), red, count, 0, 1);
    }
}

// Same, one warp per output: lanes stride over the R elements, then a butterfly combines them.
template <typename T>
__device__ void reduce_warp(int op, Layout kept, Layout red, const T* x, T* out, int outputs, int count) {
    int lane = threadIdx.x % 32;
    long long warp = ((long long) blockIdx.x * blockDim.x + threadIdx.x) / 32;
    long long warps = (long long) gridDim.x * blockDim.x / 32;
    // Every lane of a warp takes the same trip count, so the shuffles see full warps.
    for (long long o = warp; o < outputs; o += warps) {
        double acc = reduce_strided(op, x, layout_offset(o, kept), red, count, lane, 32);
        acc = warp_reduce(op, acc);
        if (lane == 0) out[o] = (T) acc;
    }
}

// Same, one block per output (blockDim.x a multiple of 32).
template <typename T>
__device__ void reduce_block(int op, Layout kept, Layout red, const T* x, T* out, int outputs, int count) {
    for (long long o = blockIdx.x; o < outputs; o += gridDim.x) {
        double acc = reduce_strided(op, x, layout_offset(o, kept), red, count, threadIdx.x, blockDim.x);
        if (op == REDUCE_SUM) acc = block_allreduce(acc, SumOp(), 0.0);
        else if (op == REDUCE_MAX) acc = block_allreduce(acc, MaxOp(), (double) -INFINITY);
        else acc = block_allreduce(acc, MinOp(), (double) INFINITY);
        if (threadIdx.x == 0) out[o] = (T) acc;
    }
}

// out[o, i] = the first j maximising x[o, j, i] over a contiguous [outer, len, inner] block.
// One thread per output; the scan is sequential so ties and NaNs resolve as in the CPU loop
// (a NaN never compares greater, so it is chosen only in position 0).
template <typename T>
__device__ void argmax(int outer, int len, int inner, const T* x, int* out) {
    FOR_EACH_INDEX(t, (long long) outer * inner) {
        int o = (int) t / inner, i = (int) t % inner;
        const T* row = x + (long long) o * len * inner + i;
        int best = 0;
        T best_value = row[0];
        for (int j = 1; j < len; j++) {
            T v = row[(long long) j * inner];
            if (v > best_value) {
                best_value = v;
                best = j;
            }
        }
        out[t] = best;
    }
}

// ---- entry points -----------------------------------------------------------------------------

#define REDUCE_KERNELS(t, T)                                                                              \
    extern "C" __global__ void reduce_thread_##t(int op, Layout kept, Layout red, const T* x, T* out,     \
                                                 int outputs, int count) {                                \
        reduce_thread(op, kept, red, x, out, outputs, count);                                             \
    }                                                                                                     \
    extern "C" __global__ void reduce_warp_##t(int op, Layout kept, Layout red, const T* x, T* out,       \
                                               int outputs, int count) {                                  \
        reduce_warp(op, kept, red, x, out, outputs, count);                                               \
    }                                                                                                     \
    extern "C" __global__ void reduce_block_##t(int op, Layout kept, Layout red, const T* x, T* out,      \
                                                int outputs, int count) {                                 \
        reduce_block(op, kept, red, x, out, outputs, count);                                              \
    }                                                                                                     \
    extern "C" __global__ void argmax_##t(int outer, int len, int inner, const T* x, int* out) {          \
        argmax(outer, len, inner, x, out);                                                                \
    }
REDUCE_KERNELS(f32, float)
REDUCE_KERNELS(f64, double)
