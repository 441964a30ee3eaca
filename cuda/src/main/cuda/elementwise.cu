// elementwise.cu: fill, copy (with dtype conversion), unary, binary and where over strided views.
//
// One thread per output element (grid-stride). Inputs are read through a Layout, so broadcasting
// (stride 0), transposes and slices cost nothing extra; the output is always contiguous.
// CPU twin: kernels/cpu/Elementwise.java.
#include "common.cuh"

// Unary ops, numbered in the order of org.distill4j.kernels.UnaryOp (the host passes ordinal();
// OpCodesTest checks the two lists agree).
enum UnaryCode {
    UNARY_NEG, UNARY_EXP, UNARY_LOG, UNARY_SQRT, UNARY_RSQRT, UNARY_RECIPROCAL, UNARY_SQUARE,
    UNARY_ABS, UNARY_SIGN, UNARY_RELU, UNARY_STEP, UNARY_LEAKY_RELU, UNARY_LEAKY_STEP,
    UNARY_SIGMOID, UNARY_TANH, UNARY_SOFTPLUS, UNARY_CLAMP, UNARY_INSIDE, UNARY_POW, UNARY_AFFINE
};

// Binary ops in the order of org.distill4j.kernels.BinaryOp. Comparisons give 1 or 0.
enum BinaryCode {
    BINARY_ADD, BINARY_SUB, BINARY_MUL, BINARY_DIV, BINARY_POW, BINARY_MAX, BINARY_MIN,
    BINARY_GT, BINARY_GE, BINARY_LT, BINARY_LE, BINARY_EQ, BINARY_MUL_STEP
};

template <typename T>
__device__ __forceinline__ T apply_unary(int op, T x, T p, T q) {
    const T one = T(1), zero = T(0);
    switch (op) {
        case UNARY_NEG: return -x;
        case UNARY_EXP: return math_exp(x);
        case UNARY_LOG: return math_log(x);
        case UNARY_SQRT: return math_sqrt(x);
        case UNARY_RSQRT: return one / math_sqrt(x);
        case UNARY_RECIPROCAL: return one / x;
        case UNARY_SQUARE: return x * x;
        case UNARY_ABS: return math_abs(x);
        case UNARY_SIGN: return x > zero ? one : x < zero ? -one : x;  // Math.signum: keeps 0, -0, NaN
        case UNARY_RELU: return x > zero ? x : zero;
        case UNARY_STEP: return x > zero ? one : zero;
        case UNARY_LEAKY_RELU: return x > zero ? x : p * x;
        case UNARY_LEAKY_STEP: return x > zero ? one : p;
        // Two forms so that exp never overflows: e^-x for x >= 0, e^x otherwise.
        case UNARY_SIGMOID: return x >= zero ? one / (one + math_exp(-x)) : math_exp(x) / (one + math_exp(x));
        case UNARY_TANH: return math_tanh(x);
        // ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|): no overflow for large |x|.
        case UNARY_SOFTPLUS: return java_max(x, zero) + math_log1p(math_exp(-math_abs(x)));
        case UNARY_CLAMP: return java_min(java_max(x, p), q);
        case UNARY_INSIDE: return x > p && x < q ? one : zero;
        case UNARY_POW: return java_pow(x, p);
        case UNARY_AFFINE: return p * x + q;
        default: return T(NAN);
    }
}

template <typename T>
__device__ __forceinline__ T apply_binary(int op, T a, T b) {
    const T one = T(1), zero = T(0);
    switch (op) {
        case BINARY_ADD: return a + b;
        case BINARY_SUB: return a - b;
        case BINARY_MUL: return a * b;
        case BINARY_DIV: return a / b;
        case BINARY_POW: return java_pow(a, b);
        case BINARY_MAX: return java_max(a, b);
        case BINARY_MIN: return java_min(a, b);
        case BINARY_GT: return a > b ? one : zero;
        case BINARY_GE: return a >= b ? one : zero;
        case BINARY_LT: return a < b ? one : zero;
        case BINARY_LE: return a <= b ? one : zero;
        case BINARY_EQ: return a == b ? one : zero;
        case BINARY_MUL_STEP: return a * (b > zero ? one : zero);  // relu's backward: the STEP mask, then MUL
        default: return T(NAN);
    }
}

// Conversions as Java's casts do them (the CPU backend goes through double).
template <typename D> __device__ __forceinline__ D convert(double v) { return (D) v; }
template <> __device__ __forceinline__ int convert<int>(double v) { return java_to_int(v); }

// ---- kernels ----------------------------------------------------------------------------------

// out[i] = value for i < n.
template <typename T>
__device__ void fill(T* out, int n, T value) {
    FOR_EACH_INDEX(i, n) { out[i] = value; }
}

// out[i] = (D) x[layout(i)]: gathers a strided view into a contiguous buffer, converting dtype.
template <typename S, typename D>
__device__ void copy(Layout x, const S* xp, D* out, int n) {
    FOR_EACH_INDEX(i, n) { out[i] = convert<D>((double) xp[layout_offset(i, x)]); }
}

// out[i] = op(x[layout(i)]; p, q).
template <typename T>
__device__ void unary(int op, T p, T q, Layout x, const T* xp, T* out, int n) {
    FOR_EACH_INDEX(i, n) { out[i] = apply_unary(op, xp[layout_offset(i, x)], p, q); }
}

// out[i] = op(a[layout_a(i)], b[layout_b(i)]); broadcasting is a stride 0 in a layout.
template <typename T>
__device__ void binary(int op, Layout a, const T* ap, Layout b, const T* bp, T* out, int n) {
    FOR_EACH_INDEX(i, n) { out[i] = apply_binary(op, ap[layout_offset(i, a)], bp[layout_offset(i, b)]); }
}

// out[i] = cond[i] != 0 ? a[i] : b[i], each read through its own layout. NaN counts as true.
template <typename T, typename C>
__device__ void where(Layout c, const C* cp, Layout a, const T* ap, Layout b, const T* bp, T* out, int n) {
    FOR_EACH_INDEX(i, n) {
        out[i] = cp[layout_offset(i, c)] != C(0) ? ap[layout_offset(i, a)] : bp[layout_offset(i, b)];
    }
}

// ---- entry points: one per dtype, unmangled names for cuModuleGetFunction ---------------------

extern "C" __global__ void fill_f32(float* out, int n, float value) { fill(out, n, value); }
extern "C" __global__ void fill_f64(double* out, int n, double value) { fill(out, n, value); }
extern "C" __global__ void fill_i32(int* out, int n, int value) { fill(out, n, value); }

// copy_<from>_<to>
#define COPY_KERNEL(from, S, to, D) \
    extern "C" __global__ void copy_##from##_##to(Layout x, const S* xp, D* out, int n) { copy(x, xp, out, n); }
COPY_KERNEL(f32, float, f32, float)
COPY_KERNEL(f32, float, f64, double)
COPY_KERNEL(f32, float, i32, int)
COPY_KERNEL(f64, double, f32, float)
COPY_KERNEL(f64, double, f64, double)
COPY_KERNEL(f64, double, i32, int)
COPY_KERNEL(i32, int, f32, float)
COPY_KERNEL(i32, int, f64, double)
COPY_KERNEL(i32, int, i32, int)

extern "C" __global__ void unary_f32(int op, float p, float q, Layout x, const float* xp, float* out, int n) {
    unary(op, p, q, x, xp, out, n);
}
extern "C" __global__ void unary_f64(int op, double p, double q, Layout x, const double* xp, double* out, int n) {
    unary(op, p, q, x, xp, out, n);
}

extern "C" __global__ void binary_f32(int op, Layout a, const float* ap, Layout b, const float* bp, float* out, int n) {
    binary(op, a, ap, b, bp, out, n);
}
extern "C" __global__ void binary_f64(int op, Layout a, const double* ap, Layout b, const double* bp, double* out,
                                      int n) {
    binary(op, a, ap, b, bp, out, n);
}

// where_<value dtype>_<condition dtype>
#define WHERE_KERNEL(t, T, c, C)                                                                        \
    extern "C" __global__ void where_##t##_##c(Layout cl, const C* cp, Layout al, const T* ap, Layout bl, \
                                               const T* bp, T* out, int n) {                            \
        where(cl, cp, al, ap, bl, bp, out, n);                                                          \
    }
WHERE_KERNEL(f32, float, f32, float)
WHERE_KERNEL(f32, float, f64, double)
WHERE_KERNEL(f32, float, i32, int)
WHERE_KERNEL(f64, double, f32, float)
WHERE_KERNEL(f64, double, f64, double)
WHERE_KERNEL(f64, double, i32, int)
