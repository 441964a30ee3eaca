package org.distill4j.tensor;

/** Softmax and log-softmax along an axis. */
public final class Softmax {
    private Softmax() {
    }

    public static Tensor softmax(Tensor x, int axis) {
        return apply(x, axis, false);
    }

    public static Tensor logSoftmax(Tensor x, int axis) {
        return apply(x, axis, true);
    }

    private static Tensor apply(Tensor x, int axis, boolean log) {
        Elementwise.checkFloating(x, log ? "logSoftmax" : "softmax");
        int a = Shape.axis(axis, x.rank());
        int last = x.rank() - 1;
        Tensor moved = a == last ? x : x.transpose(a, last);
        Tensor c = moved.contiguous();
        int cols = c.dim(-1);
        int rows = cols == 0 ? 0 : c.size() / cols;
        Tensor y = Tensor.zeros(x.backend(), x.dtype(), c.shape());
        x.backend().softmax(log, rows, cols, c.buffer(), c.offset(), y.buffer(), 0);
        return a == last ? y : y.transpose(a, last).contiguous();
    }
}
