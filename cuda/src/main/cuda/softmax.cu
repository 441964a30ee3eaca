// softmax.cu: softmax and log-softmax over contiguous rows, max-shifted for stability.
//
// One warp per row: lanes stride over the columns, shuffles combine the row max and the sum of
// exponentials (accumulated in double, as the CPU reference does), then lanes write their columns.
// Cross-entropy is log_softmax followed by gather_rows (indexing.cu); its backward is
// softmax minus a scatter of ones, built from the same kernels by the layers above.
// CPU twin: kernels/cpu/Softmax.java.
#include "common.cuh"

// y = softmax(x) row by row, or log_softmax(x) when `take_log` is nonzero.
//   softmax:     y_j = exp(x_j - max) / sum_k exp(x_k - max)
//   log_softmax: y_j = (x_j - max) - log(sum_k exp(x_k - max))
template <typename T>
__device__ void softmax_forward(int take_log, int rows, int cols, const T* x, T* y) {
    int lane = threadIdx.x % 32;
    long long warp = ((long long) blockIdx.x * blockDim.x + threadIdx.x) / 32;
    long long warps = (long long) gridDim.x * blockDim.x / 32;
    for (long long r = warp; r < rows; r += warps) {
        const T* xr = x + r * cols;
        T* yr = y + r * cols;
        T max = T(-INFINITY);
        for (int j = lane; j < cols; j += 32) max = java_max(max, xr[j]);
        max = warp_allreduce(max, MaxOp());
        double sum = 0.0;
        for (int j = lane; j < cols; j += 32) sum += (double) math_exp(xr[j] - max);
        sum = warp_allreduce(sum, SumOp());
        if (take_log) {
            T log_sum = (T) math_log(sum);
            for (int j = lane; j < cols; j += 32) yr[j] = (xr[j] - max) - log_sum;
        } else {
            for (int j = lane; j < cols; j += 32) yr[j] = (T) ((double) math_exp(xr[j] - max) / sum);
        }
    }
}

extern "C" __global__ void softmax_f32(int take_log, int rows, int cols, const float* x, float* y) {
    softmax_forward(take_log, rows, cols, x, y);
}
extern "C" __global__ void softmax_f64(int take_log, int rows, int cols, const double* x, double* y) {
    softmax_forward(take_log, rows, cols, x, y);
}
