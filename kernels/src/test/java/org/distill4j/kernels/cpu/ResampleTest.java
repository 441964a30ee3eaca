package org.distill4j.kernels.cpu;

import static org.distill4j.kernels.cpu.Fixtures.assertClose;
import static org.distill4j.kernels.cpu.Fixtures.assertIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.SampleGeometry;
import org.junit.jupiter.api.Test;

/** Bilinear grid sampling: fast path against the reference bit for bit, hand cases, the adjoint identity. */
class ResampleTest {
    static final SampleGeometry[] GEOMETRIES = {
        new SampleGeometry(2, 3, 5, 6, 5, 6, 2),     // one grid per image
        new SampleGeometry(3, 2, 7, 4, 7, 4, 1),     // one grid shared by the batch
        new SampleGeometry(2, 1, 6, 6, 3, 8, 2),     // output of another size
        new SampleGeometry(1, 1, 1, 1, 2, 2, 1),     // a single pixel
        new SampleGeometry(5, 1, 28, 28, 28, 28, 1), // Fashion-MNIST, Siamese
        new SampleGeometry(40, 2, 9, 9, 9, 9, 40),   // enough planes for several parallel tasks
    };

    /** Points spread over and beyond the image (some outside, some on integers, one NaN). */
    static CpuBuffer grid(DType dtype, SampleGeometry g, Random rnd) {
        CpuBuffer grid = CpuBuffer.allocate(dtype, g.gridSize() + 3);
        for (int i = 0; i < g.gridSize(); i += 2) {
            double px = -1.5 + (g.w() + 2) * rnd.nextDouble();
            double py = -1.5 + (g.h() + 2) * rnd.nextDouble();
            if (i % 7 == 0) {
                px = Math.rint(px);
                py = Math.rint(py);
            }
            Access.set(grid, 3 + i, px);
            Access.set(grid, 3 + i + 1, i == 10 ? Double.NaN : py);
        }
        return grid;
    }

    @Test
    void fastPathMatchesTheReferenceOnAnyThreadCount() {
        Random rnd = new Random(5);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (SampleGeometry g : GEOMETRIES) {
                String what = dtype + " " + g;
                CpuBuffer x = Fixtures.random(dtype, g.inputSize() + 2, rnd);
                CpuBuffer grid = grid(dtype, g, rnd);
                CpuBuffer gy = Fixtures.random(dtype, g.outputSize() + 1, rnd);
                CpuBuffer y0 = CpuBuffer.allocate(dtype, g.outputSize() + 1);
                CpuBuffer gx0 = CpuBuffer.allocate(dtype, g.inputSize() + 2);
                Resample.forwardReference(g, x, 2, grid, 3, y0, 1);
                Resample.backwardReference(g, gy, 1, grid, 3, gx0, 2);
                for (int threads : new int[] {1, 2, 3}) {
                    CpuBuffer y1 = CpuBuffer.allocate(dtype, g.outputSize() + 1);
                    CpuBuffer gx1 = CpuBuffer.allocate(dtype, g.inputSize() + 2);
                    Access.set(gx1, 5 % gx1.length(), 42);  // overwritten, not accumulated
                    Fixtures.withThreads(threads, () -> {
                        CpuBackend.get().gridSample(g, x, 2, grid, 3, y1, 1);
                        CpuBackend.get().gridSampleBackward(g, gy, 1, grid, 3, gx1, 2);
                    });
                    assertIdentical(y0, y1, 1, g.outputSize(), "forward " + what + " threads=" + threads);
                    assertIdentical(gx0, gx1, 2, g.inputSize(), "backward " + what + " threads=" + threads);
                }
            }
        }
    }

    @Test
    void integerPointsCopyPixelsAndOutsideIsZero() {
        SampleGeometry g = new SampleGeometry(1, 1, 3, 4, 3, 4, 1);
        double[] x = new double[12];
        for (int i = 0; i < 12; i++) {
            x[i] = i + 1;
        }
        // Shift one column to the left: out[r, j] = x[r, j + 1], the last column outside.
        double[] grid = new double[24];
        for (int r = 0; r < 3; r++) {
            for (int j = 0; j < 4; j++) {
                grid[2 * (r * 4 + j)] = j + 1;
                grid[2 * (r * 4 + j) + 1] = r;
            }
        }
        CpuBuffer y = CpuBuffer.allocate(DType.F64, 12);
        CpuBackend.get().gridSample(g, CpuBuffer.wrap(x), 0, CpuBuffer.wrap(grid), 0, y, 0);
        double[] want = {2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12, 0};
        for (int i = 0; i < 12; i++) {
            assertEquals(want[i], y.d[i], 0, "element " + i);
        }
        // Half way between four pixels: their mean; half a pixel outside: half the edge pixel.
        SampleGeometry one = new SampleGeometry(1, 1, 3, 4, 1, 2, 1);
        CpuBuffer y2 = CpuBuffer.allocate(DType.F64, 2);
        CpuBackend.get().gridSample(one, CpuBuffer.wrap(x), 0, CpuBuffer.wrap(new double[] {0.5, 0.5, 3.5, 0}), 0, y2, 0);
        assertEquals((1 + 2 + 5 + 6) / 4.0, y2.d[0], 1e-15);
        assertEquals(4 / 2.0, y2.d[1], 1e-15);
    }

    @Test
    void backwardIsTheAdjointAndF32FollowsF64() {
        Random rnd = new Random(8);
        for (SampleGeometry g : GEOMETRIES) {
            CpuBuffer x = Fixtures.random(DType.F64, g.inputSize(), rnd);
            CpuBuffer grid = grid(DType.F64, g, rnd);
            CpuBuffer gy = Fixtures.random(DType.F64, g.outputSize(), rnd);
            CpuBuffer y = CpuBuffer.allocate(DType.F64, g.outputSize());
            CpuBuffer gx = CpuBuffer.allocate(DType.F64, g.inputSize());
            CpuBackend.get().gridSample(g, x, 0, grid, 3, y, 0);
            CpuBackend.get().gridSampleBackward(g, gy, 0, grid, 3, gx, 0);
            double lhs = 0;
            double rhs = 0;
            for (int i = 0; i < g.outputSize(); i++) {
                lhs += gy.d[i] * y.d[i];
            }
            for (int i = 0; i < g.inputSize(); i++) {
                rhs += gx.d[i] * x.d[i];
            }
            assertEquals(lhs, rhs, 1e-10 * (1 + Math.abs(lhs)), "<gy, S x> = <S' gy, x> for " + g);
            // The same in F32, from the same values rounded to float.
            CpuBuffer x32 = CpuBuffer.allocate(DType.F32, g.inputSize());
            CpuBuffer grid32 = CpuBuffer.allocate(DType.F32, grid.length());
            for (int i = 0; i < x.length(); i++) {
                x32.f[i] = (float) x.d[i];
            }
            for (int i = 0; i < grid.length(); i++) {
                grid32.f[i] = (float) grid.d[i];
            }
            CpuBuffer y32 = CpuBuffer.allocate(DType.F32, g.outputSize());
            CpuBackend.get().gridSample(g, x32, 0, grid32, 3, y32, 0);
            assertClose(y, y32, 0, g.outputSize(), 1e-5, 1e-5, "F32 against F64 " + g);
        }
    }

    @Test
    void refusesShortBuffersAndBadGeometry() {
        SampleGeometry g = new SampleGeometry(2, 1, 3, 3, 3, 3, 2);
        CpuBuffer x = CpuBuffer.allocate(DType.F64, 18);
        CpuBuffer grid = CpuBuffer.allocate(DType.F64, 35);
        assertThrows(IndexOutOfBoundsException.class,
                () -> CpuBackend.get().gridSample(g, x, 0, grid, 0, CpuBuffer.allocate(DType.F64, 18), 0));
        assertThrows(IllegalArgumentException.class, () -> new SampleGeometry(3, 1, 3, 3, 3, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> new SampleGeometry(1, 1, 0, 3, 3, 3, 1));
    }
}
