package org.distill4j.cuda;

import org.distill4j.kernels.Buffer;

/** Softmax and log-softmax of rows (softmax.cu): a warp per row. */
final class CudaSoftmax {
    /** Threads per block: four rows per block. */
    static final int THREADS = 128;

    private final CudaBackend backend;

    CudaSoftmax(CudaBackend backend) {
        this.backend = backend;
    }

    void softmax(boolean log, int rows, int cols, Buffer x, int xOffset, Buffer y, int yOffset) {
        long n = (long) rows * cols;
        CudaBuffer xb = Checks.range(Checks.floating(backend, x, "softmax"), xOffset, n, "softmax");
        CudaBuffer yb = Checks.range(Checks.floating(backend, y, "softmax"), yOffset, n, "softmax");
        Checks.sameType("softmax", yb.dtype(), xb);
        if (n == 0) {
            return;
        }
        KernelArgs args = new KernelArgs().flag(log).i32(rows).i32(cols).pointer(xb.address(xOffset)).pointer(yb.address(yOffset));
        backend.device.launch("softmax_" + Checks.suffix(yb.dtype()), LaunchConfig.perWarp(rows, THREADS), args);
    }
}
