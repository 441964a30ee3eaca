package org.distill4j.cuda;

import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.ReduceOp;
import org.distill4j.kernels.View;

/** Reductions over axes and argmax (reduce.cu). */
final class CudaReduce {
    /** Threads per block of reduce_warp: four outputs per block. */
    static final int WARP_KERNEL_THREADS = 128;
    /** Threads per block of reduce_block. */
    static final int BLOCK_KERNEL_THREADS = 256;

    /** How reduce.cu spreads one output's elements over threads. */
    enum Shape { THREAD, WARP, BLOCK }

    private final CudaBackend backend;

    CudaReduce(CudaBackend backend) {
        this.backend = backend;
    }

    void reduce(ReduceOp op, int[] shape, View x, boolean[] axes, Buffer out, int outOffset) {
        String what = "reduce " + op;
        if (axes.length != shape.length) {
            throw new IllegalArgumentException(what + ": " + axes.length + " axis flags for a rank-" + shape.length + " input");
        }
        int kept = 0;
        for (boolean a : axes) {
            kept += a ? 0 : 1;
        }
        int[] keptSize = new int[kept];
        int[] keptStride = new int[kept];
        int[] redSize = new int[shape.length - kept];
        int[] redStride = new int[shape.length - kept];
        for (int d = 0, k = 0, r = 0; d < shape.length; d++) {
            if (axes[d]) {
                redSize[r] = shape[d];
                redStride[r++] = x.strides()[d];
            } else {
                keptSize[k] = shape[d];
                keptStride[k++] = x.strides()[d];
            }
        }
        long outputs = Checks.size(keptSize);
        CudaBuffer xb = Checks.view(backend, x, shape, what);
        CudaBuffer o = Checks.range(Checks.floating(backend, out, what), outOffset, outputs, what);
        Checks.sameType(what, o.dtype(), xb);
        if (outputs == 0) {
            return;
        }
        long count = Checks.size(redSize);
        // Merging the kept axes among themselves keeps their row-major order, which is the output's.
        Layout keptLayout = Layout.merge(keptSize, keptStride)[0];
        Layout redLayout = Layout.merge(redSize, redStride)[0];
        Shape s = choose(outputs, count, keptLayout, redLayout);
        LaunchConfig config = switch (s) {
            case THREAD -> LaunchConfig.perElement(outputs);
            case WARP -> LaunchConfig.perWarp(outputs, WARP_KERNEL_THREADS);
            case BLOCK -> LaunchConfig.perBlock(outputs, BLOCK_KERNEL_THREADS);
        };
        KernelArgs args = new KernelArgs().i32(op.ordinal()).struct(keptLayout.fields()).struct(redLayout.fields())
                .pointer(xb.address(x.offset())).pointer(o.address(outOffset))
                .i32(Checks.count(outputs, what)).i32(Checks.count(count, what));
        backend.device.launch("reduce_" + s.name().toLowerCase() + "_" + Checks.suffix(o.dtype()), config, args);
    }

    /**
     * A block per output for a few long reductions; a thread per output when each is short or when
     * neighbouring outputs are neighbours in memory but an output's own elements are not (summing
     * the columns of a row-major matrix), so that a warp's loads coalesce; a warp otherwise.
     */
    static Shape choose(long outputs, long count, Layout kept, Layout red) {
        if (outputs <= 64 && count >= 4096) {
            return Shape.BLOCK;
        }
        boolean outputsAdjacent = kept.stride().length > 0 && kept.stride()[kept.stride().length - 1] == 1;
        boolean elementsAdjacent = red.stride().length > 0 && red.stride()[red.stride().length - 1] == 1;
        if (count <= 16 || (outputsAdjacent && !elementsAdjacent)) {
            return Shape.THREAD;
        }
        return Shape.WARP;
    }

    void argmax(int outer, int len, int inner, Buffer x, int xOffset, Buffer out, int outOffset) {
        long outputs = (long) outer * inner;
        CudaBuffer xb = Checks.range(Checks.floating(backend, x, "argmax"), xOffset, outputs * len, "argmax");
        CudaBuffer o = Checks.range(Checks.ints(backend, out, "argmax"), outOffset, outputs, "argmax");
        if (outputs == 0) {
            return;
        }
        if (len <= 0) {
            throw new IllegalArgumentException("argmax: the axis is empty (len = " + len + ")");
        }
        KernelArgs args = new KernelArgs().i32(outer).i32(len).i32(inner).pointer(xb.address(xOffset)).pointer(o.address(outOffset));
        backend.device.launch("argmax_" + Checks.suffix(xb.dtype()), LaunchConfig.perElement(outputs), args);
    }
}
