package org.distill4j.kernels;

/** Reductions over a set of axes. */
public enum ReduceOp {
    SUM, MAX, MIN
}
