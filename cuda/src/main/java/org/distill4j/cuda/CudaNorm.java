package org.distill4j.cuda;

import java.util.Arrays;
import org.distill4j.kernels.Buffer;

/** The moments the normalisation layers need (norm.cu): mean and biased variance of rows or channels, a block each. */
final class CudaNorm {
    /** Threads per block of the moments kernels. */
    static final int THREADS = 256;

    private final CudaBackend backend;

    CudaNorm(CudaBackend backend) {
        this.backend = backend;
    }

    void rowMoments(int rows, int len, Buffer x, int xOffset, Buffer mean, int meanOffset, Buffer var, int varOffset) {
        CudaBuffer xb = Checks.range(Checks.floating(backend, x, "rowMoments"), xOffset, (long) rows * len, "rowMoments");
        moments("row_moments", rows, new int[] {rows, len}, xb, xOffset, mean, meanOffset, var, varOffset);
    }

    void channelMoments(int n, int c, int inner, Buffer x, int xOffset, Buffer mean, int meanOffset,
                        Buffer var, int varOffset) {
        CudaBuffer xb = Checks.range(Checks.floating(backend, x, "channelMoments"), xOffset, (long) n * c * inner,
                "channelMoments");
        moments("channel_moments", c, new int[] {n, c, inner}, xb, xOffset, mean, meanOffset, var, varOffset);
    }

    private void moments(String kernel, int outputs, int[] sizes, CudaBuffer xb, int xOffset,
                         Buffer mean, int meanOffset, Buffer var, int varOffset) {
        CudaBuffer m = Checks.range(Checks.floating(backend, mean, kernel), meanOffset, outputs, kernel);
        CudaBuffer v = Checks.range(Checks.floating(backend, var, kernel), varOffset, outputs, kernel);
        Checks.sameType(kernel, m.dtype(), xb, v);
        if (outputs == 0) {
            return;
        }
        if (Arrays.stream(sizes).anyMatch(s -> s == 0)) {
            // Moments of nothing: 0/0, as the CPU backend computes them.
            backend.fill(mean, meanOffset, outputs, Double.NaN);
            backend.fill(var, varOffset, outputs, Double.NaN);
            return;
        }
        KernelArgs args = new KernelArgs();
        for (int s : sizes) {
            args.i32(s);
        }
        args.pointer(xb.address(xOffset)).pointer(m.address(meanOffset)).pointer(v.address(varOffset));
        backend.device.launch(kernel + "_" + Checks.suffix(m.dtype()), LaunchConfig.perBlock(outputs, THREADS), args);
    }
}
