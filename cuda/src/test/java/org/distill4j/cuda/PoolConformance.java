package org.distill4j.cuda;

import org.distill4j.kernels.DType;
import org.distill4j.kernels.PoolGeometry;
import org.junit.jupiter.api.Test;

/** pool.cu ({@link CudaPool}) against the CPU backend. */
abstract class PoolConformance extends Conformance {

    static final PoolGeometry[] POOLS = {
        new PoolGeometry(2, 3, 6, 6, 2, 2, 2, 2, 0, 0),  // the usual 2x2 / 2
        new PoolGeometry(1, 2, 7, 5, 3, 3, 2, 2, 1, 1),  // overlapping windows with padding
        new PoolGeometry(3, 1, 5, 8, 3, 2, 1, 3, 0, 1),  // stride 1 x 3, uneven window
    };

    @Test
    void maxAndAveragePoolingForwardAndBackward() {
        for (DType t : FLOATING) {
            for (PoolGeometry g : POOLS) {
                Pair x = pair(t, integers(g.inputSize(), -3, 3));  // ties: the first must win
                Pair gy = pair(t, uniform(g.outputSize(), -1, 1));
                Pair y = outputs(t, g.outputSize());
                Pair arg = outputs(DType.I32, g.outputSize());
                CPU.maxPool2d(g, x.cpu(), 0, y.cpu(), 0, arg.cpu(), 0);
                cuda().maxPool2d(g, x.cuda(), 0, y.cuda(), 0, arg.cuda(), 0);
                assertClose("maxPool2d " + g + " " + t, y, g.outputSize(), 0, 0);
                assertClose("maxPool2d argmax " + g + " " + t, arg, g.outputSize(), 0, 0);

                Pair gx = outputs(t, g.inputSize());
                CPU.maxPool2dBackward(g, gy.cpu(), 0, arg.cpu(), 0, gx.cpu(), 0);
                cuda().maxPool2dBackward(g, gy.cuda(), 0, arg.cuda(), 0, gx.cuda(), 0);
                assertClose("maxPool2d backward " + g + " " + t, gx, g.inputSize(), 4 * eps(t), 4 * eps(t));

                CPU.avgPool2d(g, x.cpu(), 0, y.cpu(), 0);
                cuda().avgPool2d(g, x.cuda(), 0, y.cuda(), 0);
                assertClose("avgPool2d " + g + " " + t, y, g.outputSize(), 4 * eps(t), 4 * eps(t));
                CPU.avgPool2dBackward(g, gy.cpu(), 0, gx.cpu(), 0);
                cuda().avgPool2dBackward(g, gy.cuda(), 0, gx.cuda(), 0);
                assertClose("avgPool2d backward " + g + " " + t, gx, g.inputSize(), 4 * eps(t), 4 * eps(t));
            }
        }
    }
}
