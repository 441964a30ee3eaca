package org.distill4j.cuda;

import org.distill4j.kernels.ConvGeometry;
import org.distill4j.kernels.DType;
import org.junit.jupiter.api.Test;

/** Convolution (conv.cu + GEMM, {@link CudaConv}) against the CPU backend. */
abstract class ConvConformance extends Conformance {

    static final ConvGeometry[] GEOMETRIES = {
        new ConvGeometry(2, 3, 7, 6, 4, 3, 2, 2, 1, 1, 0),  // stride 2x1, padding 1x0, non-square kernel
        new ConvGeometry(5, 2, 5, 5, 3, 1, 1, 1, 1, 0, 0),  // 1x1, five images: several workspace chunks
        new ConvGeometry(3, 1, 4, 4, 2, 4, 4, 3, 3, 2, 2),  // kernel as large as the input, padding 2
        new ConvGeometry(1, 4, 9, 8, 5, 3, 3, 1, 1, 1, 1),  // "same" convolution
    };

    @Test
    void conv2dForwardAndBothBackwardPasses() {
        for (DType t : FLOATING) {
            for (ConvGeometry g : GEOMETRIES) {
                Pair x = pair(t, uniform(g.inputSize() + 1, -1, 1));
                Pair w = pair(t, uniform(g.weightSize() + 2, -1, 1));
                Pair gy = pair(t, uniform(g.outputSize() + 3, -1, 1));
                double tol = 16 * g.c() * g.r() * g.s() * eps(t);

                Pair y = outputs(t, g.outputSize() + 1);
                CPU.conv2d(g, x.cpu(), 1, w.cpu(), 2, y.cpu(), 1);
                cuda().conv2d(g, x.cuda(), 1, w.cuda(), 2, y.cuda(), 1);
                assertClose("conv2d " + g + " " + t, y, g.outputSize() + 1, 8 * eps(t), tol);

                Pair gx = outputs(t, g.inputSize());
                CPU.conv2dBackwardInput(g, gy.cpu(), 3, w.cpu(), 2, gx.cpu(), 0);
                cuda().conv2dBackwardInput(g, gy.cuda(), 3, w.cuda(), 2, gx.cuda(), 0);
                assertClose("conv2d backward input " + g + " " + t, gx, g.inputSize(), 8 * eps(t), 16 * g.k() * g.r() * g.s() * eps(t));

                Pair gw = pair(t, uniform(g.weightSize(), 5, 6));  // overwritten, not accumulated into
                CPU.conv2dBackwardWeight(g, x.cpu(), 1, gy.cpu(), 3, gw.cpu(), 0);
                cuda().conv2dBackwardWeight(g, x.cuda(), 1, gy.cuda(), 3, gw.cuda(), 0);
                assertClose("conv2d backward weight " + g + " " + t, gw, g.weightSize(), 8 * eps(t),
                        16 * g.n() * g.outH() * g.outW() * eps(t));
            }
        }
    }
}
