package org.distill4j.nn;

/** Training (dropout on, batch statistics) or evaluation (dropout off, running statistics). */
public enum Mode {
    TRAIN, EVAL
}
