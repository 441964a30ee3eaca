package org.distill4j.cuda;

import org.distill4j.kernels.DType;
import org.junit.jupiter.api.Test;

/** norm.cu (row and channel moments, {@link CudaNorm}) against the CPU backend. */
abstract class NormConformance extends Conformance {

    @Test
    void rowAndChannelMoments() {
        for (DType t : FLOATING) {
            Pair x = pair(t, uniform(600, 5, 7));  // a large mean: the two-pass variance matters
            Pair mean = outputs(t, 20);
            Pair var = outputs(t, 20);
            CPU.rowMoments(12, 41, x.cpu(), 3, mean.cpu(), 1, var.cpu(), 2);
            cuda().rowMoments(12, 41, x.cuda(), 3, mean.cuda(), 1, var.cuda(), 2);
            assertClose("row mean " + t, mean, 20, 4 * eps(t), 0);
            assertClose("row var " + t, var, 20, 64 * eps(t), 0);
            CPU.channelMoments(4, 5, 27, x.cpu(), 7, mean.cpu(), 0, var.cpu(), 6);
            cuda().channelMoments(4, 5, 27, x.cuda(), 7, mean.cuda(), 0, var.cuda(), 6);
            assertClose("channel mean " + t, mean, 20, 4 * eps(t), 0);
            assertClose("channel var " + t, var, 20, 64 * eps(t), 0);
        }
    }
}
