// rng.cu: uniform and normal numbers from Philox4x32-10 (Salmon et al., SC'11), drawing exactly
// the stream of kernels/Philox.java: element i of a draw with (seed, counter) comes from counter
// block counter + i/4, lane i%4. One thread per block of four elements.
//
// Uniforms match the CPU bit for bit: 24-bit fractions are exact, and the affine map is done with
// _rn intrinsics so nvcc cannot fuse it into an FMA that Java would not do. Normals go through
// log, sqrt, cos and sin, whose last bit may differ between CUDA's libdevice and Java.
// CPU twin: kernels/cpu/Rng.java.
#include "common.cuh"

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

// The four words of block `counter` under `key`: ten rounds of multiply-xor-permute with a
// Weyl-sequence key schedule (Philox.block).
__device__ __forceinline__ void philox_block(unsigned long long key, unsigned long long counter, unsigned out[4]) {
    unsigned c0 = (unsigned) counter, c1 = (unsigned) (counter >> 32), c2 = 0, c3 = 0;
    unsigned k0 = (unsigned) key, k1 = (unsigned) (key >> 32);
#pragma unroll
    for (int round = 0; round < 10; round++) {
        unsigned hi0 = __umulhi(PHILOX_M0, c0), lo0 = PHILOX_M0 * c0;
        unsigned hi1 = __umulhi(PHILOX_M1, c2), lo1 = PHILOX_M1 * c2;
        unsigned n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
        c0 = n0;
        c1 = n1;
        c2 = n2;
        c3 = n3;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

// [0, 1) and (0, 1] with 24 bits of resolution (Philox.unit, Philox.unitOpen).
__device__ __forceinline__ double unit(unsigned bits) { return (double) (bits >> 8) * 0x1.0p-24; }
__device__ __forceinline__ double unit_open(unsigned bits) { return (double) ((bits >> 8) + 1) * 0x1.0p-24; }

// out[i] = lo + (hi - lo) * u_i for i < n.
template <typename T>
__device__ void uniform(unsigned long long seed, unsigned long long counter, T* out, int n, double lo, double hi) {
    double span = __dsub_rn(hi, lo);
    FOR_EACH_INDEX(group, ((long long) n + 3) / 4) {
        unsigned words[4];
        philox_block(seed, counter + group, words);
#pragma unroll
        for (int lane = 0; lane < 4; lane++) {
            long long i = group * 4 + lane;
            if (i < n) out[i] = (T) __dadd_rn(lo, __dmul_rn(span, unit(words[lane])));
        }
    }
}

// out[i] = mean + stddev * z_i, with z from Box-Muller over lane pairs (0, 1) and (2, 3):
// radius sqrt(-2 ln u0) and angle 2 pi u1 give radius*cos (even lane) and radius*sin (odd lane).
template <typename T>
__device__ void normal(unsigned long long seed, unsigned long long counter, T* out, int n, double mean, double stddev) {
    const double two_pi = 2.0 * 3.141592653589793;  // Java's 2.0 * Math.PI, exactly
    FOR_EACH_INDEX(group, ((long long) n + 3) / 4) {
        unsigned words[4];
        philox_block(seed, counter + group, words);
#pragma unroll
        for (int pair = 0; pair < 4; pair += 2) {
            double radius = sqrt(__dmul_rn(-2.0, log(unit_open(words[pair]))));
            double angle = __dmul_rn(two_pi, unit(words[pair + 1]));
            double z[2] = {__dmul_rn(radius, cos(angle)), __dmul_rn(radius, sin(angle))};
#pragma unroll
            for (int odd = 0; odd < 2; odd++) {
                long long i = group * 4 + pair + odd;
                if (i < n) out[i] = (T) __dadd_rn(mean, __dmul_rn(stddev, z[odd]));
            }
        }
    }
}

extern "C" __global__ void uniform_f32(unsigned long long seed, unsigned long long counter, float* out, int n,
                                       double lo, double hi) {
    uniform(seed, counter, out, n, lo, hi);
}
extern "C" __global__ void uniform_f64(unsigned long long seed, unsigned long long counter, double* out, int n,
                                       double lo, double hi) {
    uniform(seed, counter, out, n, lo, hi);
}
extern "C" __global__ void normal_f32(unsigned long long seed, unsigned long long counter, float* out, int n,
                                      double mean, double stddev) {
    normal(seed, counter, out, n, mean, stddev);
}
extern "C" __global__ void normal_f64(unsigned long long seed, unsigned long long counter, double* out, int n,
                                      double mean, double stddev) {
    normal(seed, counter, out, n, mean, stddev);
}
