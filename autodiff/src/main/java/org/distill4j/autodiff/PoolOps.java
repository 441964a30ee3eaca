package org.distill4j.autodiff;

import org.distill4j.kernels.DType;
import org.distill4j.kernels.PoolGeometry;
import org.distill4j.tensor.Pool;
import org.distill4j.tensor.Tensor;

/**
 * Pooling and its derivatives. Both backward passes are linear in the incoming gradient, and each
 * is a differentiable op whose own adjoint closes the pair:
 *
 * <pre>
 *   y = maxPool(x)          d/dx = scatter(g at argmax)       scatter's adjoint = gather at argmax
 *   y = avgPool(x)          d/dx = avgPoolT(g)                avgPoolT's adjoint = avgPool
 * </pre>
 *
 * The arg-max positions are constants of the forward pass (the derivative of a max is a selection).
 */
public final class PoolOps {
    private PoolOps() {
    }

    public static Var maxPool2d(Var x, int kernel, int stride, int padding) {
        PoolGeometry geo = Pool.geometry(x.shape(), kernel, kernel, stride, stride, padding, padding);
        if (!GradMode.isEnabled() || !x.requiresGrad()) {
            // No gradient can be asked for: skip the arg-max that only the backward pass reads.
            return Var.constant(Pool.maxPool2dValues(geo, x.value()));
        }
        Pool.MaxPoolResult r = Pool.maxPool2d(geo, x.value());
        return Var.record("maxPool2d", r.values(), g -> new Var[]{maxScatter(geo, g, r.argmax())}, x);
    }

    private static Var maxScatter(PoolGeometry geo, Var gy, Tensor argmax) {
        return Var.record("maxPool2dBackward", Pool.maxPool2dBackward(geo, gy.value(), argmax),
                g -> new Var[]{maxGather(geo, g, argmax)}, gy);
    }

    /** {@code out[plane, o] = x[plane, argmax[plane, o]]}: an index-select on the flattened input. */
    private static Var maxGather(PoolGeometry geo, Var x, Tensor argmax) {
        int plane = geo.h() * geo.w();
        int outPlane = geo.outH() * geo.outW();
        int[] local = argmax.toIntArray();
        int[] global = new int[local.length];
        for (int i = 0; i < local.length; i++) {
            global[i] = (i / outPlane) * plane + local[i];
        }
        Tensor idx = Tensor.of(x.value().backend().upload(global), global.length).to(DType.I32);
        Var flat = ShapeOps.reshape(x, x.size());
        Var picked = IndexingOps.indexSelect(flat, 0, idx);
        return ShapeOps.reshape(picked, geo.n(), geo.c(), geo.outH(), geo.outW());
    }

    public static Var avgPool2d(Var x, int kernel, int stride, int padding) {
        PoolGeometry geo = Pool.geometry(x.shape(), kernel, kernel, stride, stride, padding, padding);
        return avg(geo, x);
    }

    static Var avg(PoolGeometry geo, Var x) {
        return Var.record("avgPool2d", Pool.avgPool2d(geo, x.value()), g -> new Var[]{avgT(geo, g)}, x);
    }

    static Var avgT(PoolGeometry geo, Var gy) {
        return Var.record("avgPool2dBackward", Pool.avgPool2dBackward(geo, gy.value()),
                g -> new Var[]{avg(geo, g)}, gy);
    }
}
