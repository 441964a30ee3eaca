package org.distill4j.cuda;

import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.SampleGeometry;

/** Bilinear grid sampling, forward and its adjoint: resample.cu. */
final class CudaResample {
    private final CudaBackend backend;

    CudaResample(CudaBackend backend) {
        this.backend = backend;
    }

    void forward(SampleGeometry g, Buffer x, int xOffset, Buffer grid, int gridOffset, Buffer y, int yOffset) {
        String what = "gridSample";
        CudaBuffer xb = Checks.range(Checks.floating(backend, x, what), xOffset, g.inputSize(), what);
        CudaBuffer gb = Checks.range(Checks.floating(backend, grid, what), gridOffset, g.gridSize(), what);
        CudaBuffer yb = Checks.range(Checks.floating(backend, y, what), yOffset, g.outputSize(), what);
        Checks.sameType(what, yb.dtype(), xb, gb);
        KernelArgs args = new KernelArgs().struct(shape(g)).pointer(xb.address(xOffset)).pointer(gb.address(gridOffset))
                .pointer(yb.address(yOffset));
        backend.device.launch("grid_sample_forward_" + Checks.suffix(yb.dtype()), LaunchConfig.perElement(g.outputSize()),
                args);
    }

    void backward(SampleGeometry g, Buffer gy, int gyOffset, Buffer grid, int gridOffset, Buffer gx, int gxOffset) {
        String what = "gridSample backward";
        CudaBuffer gyb = Checks.range(Checks.floating(backend, gy, what), gyOffset, g.outputSize(), what);
        CudaBuffer gb = Checks.range(Checks.floating(backend, grid, what), gridOffset, g.gridSize(), what);
        CudaBuffer gxb = Checks.range(Checks.floating(backend, gx, what), gxOffset, g.inputSize(), what);
        Checks.sameType(what, gxb.dtype(), gyb, gb);
        KernelArgs args = new KernelArgs().struct(shape(g)).pointer(gyb.address(gyOffset)).pointer(gb.address(gridOffset))
                .pointer(gxb.address(gxOffset));
        backend.device.launch("grid_sample_backward_" + Checks.suffix(gxb.dtype()),
                LaunchConfig.perElement((long) g.n() * g.c()), args);
    }

    /** resample.cu's SampleShape. */
    static int[] shape(SampleGeometry g) {
        return new int[] {g.n(), g.c(), g.h(), g.w(), g.outH(), g.outW(), g.gridN()};
    }
}
