// norm.cu: the moments behind batch, instance and group norm.
//
// Two passes, like the CPU reference: the mean first, then the mean squared deviation from it
// (the one-pass E[x^2] - E[x]^2 loses digits when the mean is large). One block per output,
// accumulation in double, block-wide shuffle trees.
// CPU twin: kernels/cpu/Norm.java.
#include "common.cuh"

// mean[r] = (1/len) sum_j x[r, j];  var[r] = (1/len) sum_j (x[r, j] - mean[r])^2
// for each contiguous row of a [rows, len] block (instance norm: rows = N*C, len = H*W).
template <typename T>
__device__ void row_moments(int rows, int len, const T* x, T* mean, T* var) {
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        const T* xr = x + r * len;
        double sum = 0.0;
        for (int j = threadIdx.x; j < len; j += blockDim.x) sum += (double) xr[j];
        double mu = block_allreduce(sum, SumOp(), 0.0) / len;
        double sq = 0.0;
        for (int j = threadIdx.x; j < len; j += blockDim.x) {
            double d = (double) xr[j] - mu;
            sq += d * d;
        }
        sq = block_allreduce(sq, SumOp(), 0.0);
        if (threadIdx.x == 0) {
            mean[r] = (T) mu;
            var[r] = (T) (sq / len);
        }
    }
}

// The same per channel of a contiguous [n, c, inner] block (batch norm: inner = H*W): channel ch
// reduces the n * inner elements x[b, ch, j].
template <typename T>
__device__ void channel_moments(int n, int c, int inner, const T* x, T* mean, T* var) {
    int count = n * inner;  // at most the length of x, an int
    for (long long ch = blockIdx.x; ch < c; ch += gridDim.x) {
        double sum = 0.0;
        for (int t = threadIdx.x; t < count; t += blockDim.x) {
            int b = t / inner, j = t % inner;
            sum += (double) x[((long long) b * c + ch) * inner + j];
        }
        double mu = block_allreduce(sum, SumOp(), 0.0) / (double) count;
        double sq = 0.0;
        for (int t = threadIdx.x; t < count; t += blockDim.x) {
            int b = t / inner, j = t % inner;
            double d = (double) x[((long long) b * c + ch) * inner + j] - mu;
            sq += d * d;
        }
        sq = block_allreduce(sq, SumOp(), 0.0);
        if (threadIdx.x == 0) {
            mean[ch] = (T) mu;
            var[ch] = (T) (sq / (double) count);
        }
    }
}

extern "C" __global__ void row_moments_f32(int rows, int len, const float* x, float* mean, float* var) {
    row_moments(rows, len, x, mean, var);
}
extern "C" __global__ void row_moments_f64(int rows, int len, const double* x, double* mean, double* var) {
    row_moments(rows, len, x, mean, var);
}
extern "C" __global__ void channel_moments_f32(int n, int c, int inner, const float* x, float* mean, float* var) {
    channel_moments(n, c, inner, x, mean, var);
}
extern "C" __global__ void channel_moments_f64(int n, int c, int inner, const double* x, double* mean,
                                               double* var) {
    channel_moments(n, c, inner, x, mean, var);
}
