// emulation_selftest.cu: kernels that check the emulation itself (EmulationSelfTest.java), each
// correct only if emulation.h keeps the promise it tests. Never compiled by nvcc.
#include "../../main/cuda/common.cuh"

// Reverses each block's slice of data through shared memory: right only if __syncthreads is a
// real barrier (a thread reads the slot another thread wrote).
extern "C" __global__ void selftest_reverse(int* data) {
    __shared__ int tile[256];
    int base = blockIdx.x * blockDim.x;
    tile[threadIdx.x] = data[base + threadIdx.x];
    __syncthreads();
    data[base + threadIdx.x] = tile[blockDim.x - 1 - threadIdx.x];
}

// out[t] = lane sums and shuffles: the warp total by butterfly, the value of lane+1, lane^3, lane 5.
extern "C" __global__ void selftest_shuffles(int* out) {
    int lane = threadIdx.x % 32;
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    out[4 * t] = warp_allreduce(lane, SumOp());
    out[4 * t + 1] = __shfl_down_sync(0xffffffffu, lane, 1);
    out[4 * t + 2] = __shfl_xor_sync(0xffffffffu, lane, 3);
    out[4 * t + 3] = __shfl_sync(0xffffffffu, lane, 5);
}

// Every thread of the grid adds 1 (ints) and 0.5 (doubles): right only if atomics are atomic.
extern "C" __global__ void selftest_atomics(int* count, double* sum) {
    atomicAdd(count, 1);
    atomicAdd(sum, 0.5);
}

// A bug the emulation must report rather than hang on: odd threads return before a barrier.
extern "C" __global__ void selftest_early_return(int* data) {
    if (threadIdx.x % 2 == 1) return;
    __syncthreads();
    data[threadIdx.x] = 1;
}
