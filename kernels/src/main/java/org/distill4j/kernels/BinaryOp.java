package org.distill4j.kernels;

/**
 * Elementwise functions of two arguments. Comparisons give 1 for true and 0 for false.
 * {@code MUL_STEP} is {@code a * (b > 0 ? 1 : 0)}: ReLU's backward (the output gradient masked by
 * the input) in one pass, with the bits of {@code MUL} by {@code UnaryOp.STEP}'s mask.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN,
    GT, GE, LT, LE, EQ,
    MUL_STEP
}
