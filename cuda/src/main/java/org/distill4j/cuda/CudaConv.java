package org.distill4j.cuda;

import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.ConvGeometry;
import org.distill4j.kernels.DType;

/**
 * Convolution as im2col + GEMM (conv.cu explains the layout; the GEMMs go straight to the
 * backend's {@link GemmEngine}). Per chunk of images
 * ({@link ConvPlan}), with P output positions per image and CRS = c*r*s:
 * <pre>
 *   forward          col = im2col(x);  y[b] = w[k, CRS] * col[:, b]             (batched, w shared)
 *   backward input   dcol[:, b] = w^T * gy[b];  gx = col2im(dcol)                (batched)
 *   backward weight  col = im2col(x);  g = gy as [k, images*P];  gw (+)= g * col^T  (one GEMM)
 * </pre>
 */
final class CudaConv {
    private final CudaBackend backend;
    private final long workspaceBytes;

    CudaConv(CudaBackend backend, long workspaceBytes) {
        this.backend = backend;
        this.workspaceBytes = workspaceBytes;
    }

    void forward(ConvGeometry g, Buffer x, int xOffset, Buffer w, int wOffset, Buffer y, int yOffset) {
        CudaBuffer xb = Checks.range(Checks.floating(backend, x, "conv2d"), xOffset, g.inputSize(), "conv2d");
        CudaBuffer wb = Checks.range(Checks.floating(backend, w, "conv2d"), wOffset, g.weightSize(), "conv2d");
        CudaBuffer yb = Checks.range(Checks.floating(backend, y, "conv2d"), yOffset, g.outputSize(), "conv2d");
        Checks.sameType("conv2d", yb.dtype(), xb, wb);
        DType t = yb.dtype();
        ConvPlan plan = ConvPlan.of(g, workspaceBytes, t.bytes());
        long col = plan.colRows() * plan.width(plan.imagesPerChunk());
        CachingAllocator.Block ws = backend.allocator.allocate(col * t.bytes());
        try {
            for (int b0 = 0; b0 < g.n(); b0 += plan.imagesPerChunk()) {
                int images = Math.min(plan.imagesPerChunk(), g.n() - b0);
                int width = plan.width(images);
                long xChunk = xb.address(xOffset + b0 * g.c() * g.h() * g.w());
                im2col(g, images, xChunk, ws.address(), t);
                backend.engine.gemm(t, false, false, g.k(), (int) plan.positions(), (int) plan.colRows(), 1.0,
                        wb.address(wOffset), (int) plan.colRows(), 0,
                        ws.address(), width, plan.positions(),
                        0.0, yb.address(yOffset + b0 * g.k() * (int) plan.positions()), (int) plan.positions(),
                        g.k() * plan.positions(), images);
            }
        } finally {
            backend.allocator.release(ws);  // safe at once: later users of the block queue behind these kernels
        }
    }

    void backwardInput(ConvGeometry g, Buffer gy, int gyOffset, Buffer w, int wOffset, Buffer gx, int gxOffset) {
        String what = "conv2d backward input";
        CudaBuffer gyb = Checks.range(Checks.floating(backend, gy, what), gyOffset, g.outputSize(), what);
        CudaBuffer wb = Checks.range(Checks.floating(backend, w, what), wOffset, g.weightSize(), what);
        CudaBuffer gxb = Checks.range(Checks.floating(backend, gx, what), gxOffset, g.inputSize(), what);
        Checks.sameType(what, gxb.dtype(), gyb, wb);
        DType t = gxb.dtype();
        ConvPlan plan = ConvPlan.of(g, workspaceBytes, t.bytes());
        int p = (int) plan.positions();
        CachingAllocator.Block ws = backend.allocator.allocate(plan.colRows() * plan.width(plan.imagesPerChunk()) * t.bytes());
        try {
            for (int b0 = 0; b0 < g.n(); b0 += plan.imagesPerChunk()) {
                int images = Math.min(plan.imagesPerChunk(), g.n() - b0);
                backend.engine.gemm(t, true, false, (int) plan.colRows(), p, g.k(), 1.0,
                        wb.address(wOffset), (int) plan.colRows(), 0,
                        gyb.address(gyOffset + b0 * g.k() * p), p, (long) g.k() * p,
                        0.0, ws.address(), plan.width(images), p, images);
                KernelArgs args = new KernelArgs().struct(shape(g)).i32(images).pointer(ws.address())
                        .pointer(gxb.address(gxOffset + b0 * g.c() * g.h() * g.w()));
                backend.device.launch("col2im_" + Checks.suffix(t),
                        LaunchConfig.perElement((long) images * g.c() * g.h() * g.w()), args);
            }
        } finally {
            backend.allocator.release(ws);
        }
    }

    void backwardWeight(ConvGeometry g, Buffer x, int xOffset, Buffer gy, int gyOffset, Buffer gw, int gwOffset) {
        String what = "conv2d backward weight";
        CudaBuffer xb = Checks.range(Checks.floating(backend, x, what), xOffset, g.inputSize(), what);
        CudaBuffer gyb = Checks.range(Checks.floating(backend, gy, what), gyOffset, g.outputSize(), what);
        CudaBuffer gwb = Checks.range(Checks.floating(backend, gw, what), gwOffset, g.weightSize(), what);
        Checks.sameType(what, gwb.dtype(), xb, gyb);
        DType t = gwb.dtype();
        ConvPlan plan = ConvPlan.of(g, workspaceBytes, t.bytes());
        int p = (int) plan.positions();
        long colElements = plan.colRows() * plan.width(plan.imagesPerChunk());
        CachingAllocator.Block ws = backend.allocator.allocate(plan.workspaceElements() * t.bytes());
        long gyT = ws.address() + colElements * t.bytes();
        try {
            for (int b0 = 0; b0 < g.n(); b0 += plan.imagesPerChunk()) {
                int images = Math.min(plan.imagesPerChunk(), g.n() - b0);
                int width = plan.width(images);
                im2col(g, images, xb.address(xOffset + b0 * g.c() * g.h() * g.w()), ws.address(), t);
                // gy[b, k, pq] read as [k, b, pq]: a strided copy makes it the contiguous [k, images*P].
                Layout view = Layout.merge(new int[] {g.k(), images, p}, new int[] {p, g.k() * p, 1})[0];
                KernelArgs copy = new KernelArgs().struct(view.fields()).pointer(gyb.address(gyOffset + b0 * g.k() * p))
                        .pointer(gyT).i32(g.k() * width);
                String s = Checks.suffix(t);
                backend.device.launch("copy_" + s + "_" + s, LaunchConfig.perElement((long) g.k() * width), copy);
                backend.engine.gemm(t, false, true, g.k(), (int) plan.colRows(), width, 1.0,
                        gyT, width, 0, ws.address(), width, 0,
                        b0 == 0 ? 0.0 : 1.0, gwb.address(gwOffset), (int) plan.colRows(), 0, 1);
            }
        } finally {
            backend.allocator.release(ws);
        }
    }

    private void im2col(ConvGeometry g, int images, long x, long col, DType t) {
        long elements = (long) g.c() * g.r() * g.s() * images * g.outH() * g.outW();
        KernelArgs args = new KernelArgs().struct(shape(g)).i32(images).pointer(x).pointer(col);
        backend.device.launch("im2col_" + Checks.suffix(t), LaunchConfig.perElement(elements), args);
    }

    /** conv.cu's ConvShape. */
    static int[] shape(ConvGeometry g) {
        return new int[] {g.n(), g.c(), g.h(), g.w(), g.k(), g.r(), g.s(), g.strideH(), g.strideW(),
                g.padH(), g.padW(), g.outH(), g.outW()};
    }
}
