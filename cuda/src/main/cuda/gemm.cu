// gemm.cu: our own tiled GEMM, used when cuBLAS cannot be loaded.
//
//   C = alpha * op(A) * op(B) + beta * C, row-major, op(A) m x k, op(B) k x n,
//   lda/ldb/ldc the row strides as stored, blockIdx.z the batch index (strides apart).
//
// The classic shared-memory tiling (Volkov & Demmel 2008; llm.c's matmul kernels, simplified):
// a block of 256 threads owns a 64 x 64 tile of C. It walks k in steps of 16, staging a 64 x 16
// slab of A and a 16 x 64 slab of B in shared memory, and each thread accumulates a 4 x 4
// patch of C in registers: thread (ty, tx) owns rows ty + 16i and columns tx + 16j, so a warp's
// shared-memory reads are broadcasts (A) or consecutive (B), and its writes to C are coalesced.
// With beta == 0, C is not read (NaNs in it do not leak), as in BLAS.
// CPU twin: kernels/cpu/Gemm.java.
#include "common.cuh"

#define GEMM_TILE_M 64
#define GEMM_TILE_N 64
#define GEMM_TILE_K 16
#define GEMM_THREADS 256  // 16 x 16 threads, 4 x 4 outputs each

template <typename T>
__device__ void gemm_tiled(int trans_a, int trans_b, int m, int n, int k, T alpha,
                           const T* a, int lda, long long stride_a,
                           const T* b, int ldb, long long stride_b,
                           T beta, T* c, int ldc, long long stride_c) {
    // One padding column keeps the column-wise stores of the transposing loads off a single bank.
    __shared__ T a_tile[GEMM_TILE_K][GEMM_TILE_M + 1];
    __shared__ T b_tile[GEMM_TILE_K][GEMM_TILE_N + 1];
    a += blockIdx.z * stride_a;
    b += blockIdx.z * stride_b;
    c += blockIdx.z * stride_c;
    const int row0 = blockIdx.y * GEMM_TILE_M;
    const int col0 = blockIdx.x * GEMM_TILE_N;
    const int tx = threadIdx.x % 16;
    const int ty = threadIdx.x / 16;

    T acc[4][4];
#pragma unroll
    for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j] = T(0);

    for (int k0 = 0; k0 < k; k0 += GEMM_TILE_K) {
        // Each thread stages 4 elements of each slab. Neighbouring threads take neighbouring
        // addresses of the matrix as stored (k-contiguous unless transposed), for coalescing.
#pragma unroll
        for (int e = 0; e < 4; e++) {
            int t = threadIdx.x + e * GEMM_THREADS;
            int i = trans_a ? t % GEMM_TILE_M : t / GEMM_TILE_K;
            int kk = trans_a ? t / GEMM_TILE_M : t % GEMM_TILE_K;
            int gi = row0 + i, gk = k0 + kk;
            T av = T(0);
            if (gi < m && gk < k) av = trans_a ? a[(long long) gk * lda + gi] : a[(long long) gi * lda + gk];
            a_tile[kk][i] = av;

            int j = trans_b ? t / GEMM_TILE_K : t % GEMM_TILE_N;
            kk = trans_b ? t % GEMM_TILE_K : t / GEMM_TILE_N;
            int gj = col0 + j;
            gk = k0 + kk;
            T bv = T(0);
            if (gj < n && gk < k) bv = trans_b ? b[(long long) gj * ldb + gk] : b[(long long) gk * ldb + gj];
            b_tile[kk][j] = bv;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < GEMM_TILE_K; kk++) {
            T af[4], bf[4];
#pragma unroll
            for (int i = 0; i < 4; i++) af[i] = a_tile[kk][ty + 16 * i];
#pragma unroll
            for (int j = 0; j < 4; j++) bf[j] = b_tile[kk][tx + 16 * j];
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
                for (int j = 0; j < 4; j++) acc[i][j] += af[i] * bf[j];
        }
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < 4; i++) {
        int gi = row0 + ty + 16 * i;
        if (gi >= m) continue;
#pragma unroll
        for (int j = 0; j < 4; j++) {
            int gj = col0 + tx + 16 * j;
            if (gj >= n) continue;
            T* cij = c + (long long) gi * ldc + gj;
            *cij = beta == T(0) ? alpha * acc[i][j] : alpha * acc[i][j] + beta * *cij;
        }
    }
}

extern "C" __global__ void __launch_bounds__(GEMM_THREADS)
gemm_f32(int trans_a, int trans_b, int m, int n, int k, float alpha, const float* a, int lda, long long stride_a,
         const float* b, int ldb, long long stride_b, float beta, float* c, int ldc, long long stride_c) {
    gemm_tiled(trans_a, trans_b, m, n, k, alpha, a, lda, stride_a, b, ldb, stride_b, beta, c, ldc, stride_c);
}
extern "C" __global__ void __launch_bounds__(GEMM_THREADS)
gemm_f64(int trans_a, int trans_b, int m, int n, int k, double alpha, const double* a, int lda, long long stride_a,
         const double* b, int ldb, long long stride_b, double beta, double* c, int ldc, long long stride_c) {
    gemm_tiled(trans_a, trans_b, m, n, k, alpha, a, lda, stride_a, b, ldb, stride_b, beta, c, ldc, stride_c);
}
