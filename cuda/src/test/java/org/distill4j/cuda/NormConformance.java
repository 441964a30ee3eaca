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

    /**
     * The per-channel affine (with the ReLU and without) and its first-order backward (with the
     * ReLU's mask and the parameters' gradients), which the CUDA backend runs as the Backend SPI's
     * composed defaults, against the CPU backend's one-pass kernels; offsets into every buffer.
     */
    @Test
    void channelAffineAndItsBackward() {
        int n = 3;
        int c = 4;
        int inner = 37;
        int size = n * c * inner;
        for (DType t : FLOATING) {
            for (boolean relu : new boolean[] {false, true}) {
                String what = t + " relu=" + relu;
                Pair x = pair(t, uniform(size + 1, -2, 2));
                Pair g = pair(t, uniform(size + 2, -1, 1));
                Pair gamma = pair(t, uniform(c + 3, -1.5, 1.5));
                Pair beta = pair(t, uniform(c + 1, -1, 1));
                Pair y = outputs(t, size + 2);
                CPU.channelAffine(n, c, inner, x.cpu(), 1, gamma.cpu(), 3, beta.cpu(), 1, relu, y.cpu(), 2);
                cuda().channelAffine(n, c, inner, x.cuda(), 1, gamma.cuda(), 3, beta.cuda(), 1, relu, y.cuda(), 2);
                assertClose("channelAffine " + what, y, size + 2, eps(t), 0);
                Pair gx = outputs(t, size + 1);
                Pair gg = outputs(t, c + 2);
                Pair gb = outputs(t, c + 1);
                CPU.channelAffineBackward(n, c, inner, g.cpu(), 2, x.cpu(), 1, gamma.cpu(), 3, relu ? y.cpu() : null, 2,
                        gx.cpu(), 1, gg.cpu(), 2, gb.cpu(), 1);
                cuda().channelAffineBackward(n, c, inner, g.cuda(), 2, x.cuda(), 1, gamma.cuda(), 3, relu ? y.cuda() : null, 2,
                        gx.cuda(), 1, gg.cuda(), 2, gb.cuda(), 1);
                assertClose("channelAffine backward input " + what, gx, size + 1, eps(t), 0);
                assertClose("channelAffine backward gamma " + what, gg, c + 2, 64 * eps(t), 64 * eps(t));
                assertClose("channelAffine backward beta " + what, gb, c + 1, 64 * eps(t), 64 * eps(t));
            }
        }
    }

    /** Instance norm's one-pass forward (the SPI default's two calls on the device) against the CPU's kernel. */
    @Test
    void standardizeAffine() {
        int n = 3;
        int c = 4;
        int inner = 37;
        int size = n * c * inner;
        for (DType t : FLOATING) {
            for (boolean relu : new boolean[] {false, true}) {
                Pair x = pair(t, uniform(size + 1, -2, 2));
                Pair mean = pair(t, uniform(n * c + 2, -0.5, 0.5));
                Pair rstd = pair(t, uniform(n * c + 1, 0.5, 2));
                Pair gamma = pair(t, uniform(c + 3, -1.5, 1.5));
                Pair beta = pair(t, uniform(c + 1, -1, 1));
                Pair y = outputs(t, size + 2);
                CPU.standardizeAffine(n, c, inner, x.cpu(), 1, mean.cpu(), 2, rstd.cpu(), 1, gamma.cpu(), 3, beta.cpu(), 1,
                        relu, y.cpu(), 2);
                cuda().standardizeAffine(n, c, inner, x.cuda(), 1, mean.cuda(), 2, rstd.cuda(), 1, gamma.cuda(), 3,
                        beta.cuda(), 1, relu, y.cuda(), 2);
                assertClose("standardizeAffine " + t + " relu=" + relu, y, size + 2, 4 * eps(t), 0);
            }
        }
    }
}
