package org.distill4j.cuda;

import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.kernels.View;

/** fill, copy, unary, binary, where: elementwise.cu. */
final class CudaElementwise {
    private final CudaBackend backend;

    CudaElementwise(CudaBackend backend) {
        this.backend = backend;
    }

    void fill(Buffer out, int offset, int n, double value) {
        CudaBuffer o = Checks.range(Checks.cuda(backend, out, "fill"), offset, n, "fill");
        if (n == 0) {
            return;
        }
        KernelArgs args = new KernelArgs().pointer(o.address(offset)).i32(n);
        switch (o.dtype()) {
            case F32 -> args.f32((float) value);
            case F64 -> args.f64(value);
            case I32 -> args.i32((int) value);  // Java's cast saturates, as the CPU backend's does
        }
        launch("fill_" + Checks.suffix(o.dtype()), n, args);
    }

    void copy(int[] shape, View x, Buffer out, int outOffset) {
        long n = Checks.size(shape);
        CudaBuffer xb = Checks.view(backend, x, shape, "copy");
        CudaBuffer o = Checks.range(Checks.cuda(backend, out, "copy"), outOffset, n, "copy");
        if (n == 0) {
            return;
        }
        Layout[] l = Layout.merge(shape, x.strides());
        KernelArgs args = new KernelArgs().struct(l[0].fields()).pointer(xb.address(x.offset()))
                .pointer(o.address(outOffset)).i32(Checks.count(n, "copy"));
        launch("copy_" + Checks.suffix(xb.dtype()) + "_" + Checks.suffix(o.dtype()), n, args);
    }

    void unary(UnaryOp op, double p, double q, int[] shape, View x, Buffer out, int outOffset) {
        String what = "unary " + op;
        long n = Checks.size(shape);
        CudaBuffer o = Checks.range(Checks.floating(backend, out, what), outOffset, n, what);
        CudaBuffer xb = Checks.view(backend, x, shape, what);
        Checks.sameType(what, o.dtype(), xb);
        if (n == 0) {
            return;
        }
        boolean f64 = o.dtype() == DType.F64;
        Layout[] l = Layout.merge(shape, x.strides());
        KernelArgs args = new KernelArgs().i32(op.ordinal()).real(f64, p).real(f64, q).struct(l[0].fields())
                .pointer(xb.address(x.offset())).pointer(o.address(outOffset)).i32(Checks.count(n, what));
        launch("unary_" + Checks.suffix(o.dtype()), n, args);
    }

    void binary(BinaryOp op, int[] shape, View a, View b, Buffer out, int outOffset) {
        String what = "binary " + op;
        long n = Checks.size(shape);
        CudaBuffer o = Checks.range(Checks.floating(backend, out, what), outOffset, n, what);
        CudaBuffer ab = Checks.view(backend, a, shape, what);
        CudaBuffer bb = Checks.view(backend, b, shape, what);
        Checks.sameType(what, o.dtype(), ab, bb);
        if (n == 0) {
            return;
        }
        Layout[] l = Layout.merge(shape, a.strides(), b.strides());
        KernelArgs args = new KernelArgs().i32(op.ordinal())
                .struct(l[0].fields()).pointer(ab.address(a.offset()))
                .struct(l[1].fields()).pointer(bb.address(b.offset()))
                .pointer(o.address(outOffset)).i32(Checks.count(n, what));
        launch("binary_" + Checks.suffix(o.dtype()), n, args);
    }

    void where(int[] shape, View cond, View a, View b, Buffer out, int outOffset) {
        long n = Checks.size(shape);
        CudaBuffer o = Checks.range(Checks.floating(backend, out, "where"), outOffset, n, "where");
        CudaBuffer cb = Checks.view(backend, cond, shape, "where");
        CudaBuffer ab = Checks.view(backend, a, shape, "where");
        CudaBuffer bb = Checks.view(backend, b, shape, "where");
        Checks.sameType("where", o.dtype(), ab, bb);
        if (n == 0) {
            return;
        }
        Layout[] l = Layout.merge(shape, cond.strides(), a.strides(), b.strides());
        KernelArgs args = new KernelArgs()
                .struct(l[0].fields()).pointer(cb.address(cond.offset()))
                .struct(l[1].fields()).pointer(ab.address(a.offset()))
                .struct(l[2].fields()).pointer(bb.address(b.offset()))
                .pointer(o.address(outOffset)).i32(Checks.count(n, "where"));
        launch("where_" + Checks.suffix(o.dtype()) + "_" + Checks.suffix(cb.dtype()), n, args);
    }

    private void launch(String kernel, long n, KernelArgs args) {
        backend.device.launch(kernel, LaunchConfig.perElement(n), args);
    }
}
