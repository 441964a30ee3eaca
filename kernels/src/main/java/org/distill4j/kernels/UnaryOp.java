package org.distill4j.kernels;

/**
 * Elementwise functions of one argument. Some take scalar parameters {@code p} and {@code q}
 * (named in each constant's comment); the others ignore them.
 */
public enum UnaryOp {
    NEG,          // -x
    EXP,          // e^x
    LOG,          // ln x
    SQRT,         // sqrt x
    RSQRT,        // 1 / sqrt x
    RECIPROCAL,   // 1 / x
    SQUARE,       // x^2
    ABS,          // |x|
    SIGN,         // -1, 0 or 1
    RELU,         // max(x, 0)
    STEP,         // x > 0 ? 1 : 0 (the derivative of relu)
    LEAKY_RELU,   // x > 0 ? x : p*x
    LEAKY_STEP,   // x > 0 ? 1 : p (the derivative of leaky relu)
    SIGMOID,      // 1 / (1 + e^-x)
    TANH,         // tanh x
    SOFTPLUS,     // ln(1 + e^x), computed without overflow
    CLAMP,        // min(max(x, p), q)
    INSIDE,       // p < x < q ? 1 : 0 (the derivative of clamp)
    POW,          // x^p
    AFFINE,       // p*x + q
}
