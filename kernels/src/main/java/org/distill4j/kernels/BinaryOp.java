package org.distill4j.kernels;

/** Elementwise functions of two arguments. Comparisons give 1 for true and 0 for false. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN,
    GT, GE, LT, LE, EQ
}
