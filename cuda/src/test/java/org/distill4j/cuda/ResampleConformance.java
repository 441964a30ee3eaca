package org.distill4j.cuda;

import org.distill4j.kernels.DType;
import org.distill4j.kernels.SampleGeometry;
import org.junit.jupiter.api.Test;

/** resample.cu (bilinear grid sampling, {@link CudaResample}) against the CPU backend. */
abstract class ResampleConformance extends Conformance {

    static final SampleGeometry[] SAMPLES = {
        new SampleGeometry(2, 3, 5, 6, 5, 6, 2),   // one grid per image
        new SampleGeometry(3, 2, 7, 4, 7, 4, 1),   // one grid shared by the batch (Siamese)
        new SampleGeometry(2, 1, 6, 6, 3, 8, 2),   // output of another size
    };

    @Test
    void gridSampleForwardAndBackward() {
        for (DType t : FLOATING) {
            for (SampleGeometry g : SAMPLES) {
                Pair x = pair(t, uniform(g.inputSize(), -1, 1));
                double[] points = new double[g.gridSize()];
                for (int i = 0; i < points.length; i += 2) {
                    points[i] = -1.5 + (g.w() + 2) * random.nextDouble();
                    points[i + 1] = -1.5 + (g.h() + 2) * random.nextDouble();
                    if (i % 6 == 0) {  // whole pixels: a shift, a flip
                        points[i] = Math.rint(points[i]);
                        points[i + 1] = Math.rint(points[i + 1]);
                    }
                }
                Pair grid = pair(t, points);
                Pair y = outputs(t, g.outputSize());
                CPU.gridSample(g, x.cpu(), 0, grid.cpu(), 0, y.cpu(), 0);
                cuda().gridSample(g, x.cuda(), 0, grid.cuda(), 0, y.cuda(), 0);
                assertClose("gridSample " + g + " " + t, y, g.outputSize(), 4 * eps(t), 4 * eps(t));
                Pair gy = pair(t, uniform(g.outputSize(), -1, 1));
                Pair gx = pair(t, uniform(g.inputSize(), 5, 6));  // overwritten
                CPU.gridSampleBackward(g, gy.cpu(), 0, grid.cpu(), 0, gx.cpu(), 0);
                cuda().gridSampleBackward(g, gy.cuda(), 0, grid.cuda(), 0, gx.cuda(), 0);
                assertClose("gridSample backward " + g + " " + t, gx, g.inputSize(), 16 * eps(t), 16 * eps(t));
            }
        }
    }
}
