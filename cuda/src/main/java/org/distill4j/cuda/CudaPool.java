package org.distill4j.cuda;

import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.PoolGeometry;

/** Max and average pooling, forward and backward: pool.cu. */
final class CudaPool {
    private final CudaBackend backend;

    CudaPool(CudaBackend backend) {
        this.backend = backend;
    }

    void maxForward(PoolGeometry g, Buffer x, int xOffset, Buffer y, int yOffset, Buffer argmax, int argmaxOffset) {
        CudaBuffer xb = Checks.range(Checks.floating(backend, x, "maxPool2d"), xOffset, g.inputSize(), "maxPool2d");
        CudaBuffer yb = Checks.range(Checks.floating(backend, y, "maxPool2d"), yOffset, g.outputSize(), "maxPool2d");
        CudaBuffer ab = Checks.range(Checks.ints(backend, argmax, "maxPool2d"), argmaxOffset, g.outputSize(), "maxPool2d");
        Checks.sameType("maxPool2d", yb.dtype(), xb);
        KernelArgs args = new KernelArgs().struct(shape(g)).pointer(xb.address(xOffset)).pointer(yb.address(yOffset))
                .pointer(ab.address(argmaxOffset));
        backend.device.launch("max_pool_forward_" + Checks.suffix(yb.dtype()), LaunchConfig.perElement(g.outputSize()), args);
    }

    void maxBackward(PoolGeometry g, Buffer gy, int gyOffset, Buffer argmax, int argmaxOffset, Buffer gx, int gxOffset) {
        String what = "maxPool2d backward";
        CudaBuffer gyb = Checks.range(Checks.floating(backend, gy, what), gyOffset, g.outputSize(), what);
        CudaBuffer ab = Checks.range(Checks.ints(backend, argmax, what), argmaxOffset, g.outputSize(), what);
        CudaBuffer gxb = Checks.range(Checks.floating(backend, gx, what), gxOffset, g.inputSize(), what);
        Checks.sameType(what, gxb.dtype(), gyb);
        KernelArgs args = new KernelArgs().struct(shape(g)).pointer(gyb.address(gyOffset)).pointer(ab.address(argmaxOffset))
                .pointer(gxb.address(gxOffset));
        backend.device.launch("max_pool_backward_" + Checks.suffix(gxb.dtype()), LaunchConfig.perElement(g.inputSize()), args);
    }

    void avgForward(PoolGeometry g, Buffer x, int xOffset, Buffer y, int yOffset) {
        CudaBuffer xb = Checks.range(Checks.floating(backend, x, "avgPool2d"), xOffset, g.inputSize(), "avgPool2d");
        CudaBuffer yb = Checks.range(Checks.floating(backend, y, "avgPool2d"), yOffset, g.outputSize(), "avgPool2d");
        Checks.sameType("avgPool2d", yb.dtype(), xb);
        KernelArgs args = new KernelArgs().struct(shape(g)).pointer(xb.address(xOffset)).pointer(yb.address(yOffset));
        backend.device.launch("avg_pool_forward_" + Checks.suffix(yb.dtype()), LaunchConfig.perElement(g.outputSize()), args);
    }

    void avgBackward(PoolGeometry g, Buffer gy, int gyOffset, Buffer gx, int gxOffset) {
        String what = "avgPool2d backward";
        CudaBuffer gyb = Checks.range(Checks.floating(backend, gy, what), gyOffset, g.outputSize(), what);
        CudaBuffer gxb = Checks.range(Checks.floating(backend, gx, what), gxOffset, g.inputSize(), what);
        Checks.sameType(what, gxb.dtype(), gyb);
        KernelArgs args = new KernelArgs().struct(shape(g)).pointer(gyb.address(gyOffset)).pointer(gxb.address(gxOffset));
        backend.device.launch("avg_pool_backward_" + Checks.suffix(gxb.dtype()), LaunchConfig.perElement(g.inputSize()), args);
    }

    /** pool.cu's PoolShape. */
    static int[] shape(PoolGeometry g) {
        return new int[] {g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(),
                g.outH(), g.outW()};
    }
}
