package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.distill4j.kernels.Backend;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.ReduceOp;
import org.distill4j.kernels.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With the grid caps lowered to 2 blocks and 2 tiles of rows or batches a launch, small tensors
 * on the emulated device take the paths a GPU takes only past 16.7 million elements, 4.2 million
 * GEMM rows or 65,535 batches (review risks 4 and 10d): every grid-stride loop iterates, and
 * gemm.cu's launches split over rows and batches.
 */
class LoweredLimitsTest extends Conformance {
    private AutoCloseable lowered;

    @BeforeEach
    void lower() {
        lowered = LaunchConfig.lowerLimits(2, 2);
    }

    @AfterEach
    void restore() throws Exception {
        lowered.close();
    }

    @Override
    Backend cuda() {
        return EmulatedKernelsTest.backend();
    }

    @Test
    void limitsAboveTheHardwareAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.lowerLimits(70_000, 1));
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.lowerLimits(1, 0));
        assertEquals(2, LaunchConfig.perElement(1_000_000).gridX());
    }

    @Test
    void gemmDotCuSplitsRowsAndBatchesIntoSeveralLaunches() {
        EmulatedDevice device = EmulatedDevice.shared();
        int m = 2 * LaunchConfig.GEMM_TILE + 5;  // three tile rows: two launches of at most two
        int n = 7;
        int k = 9;
        int batch = 5;  // three launches of at most two
        for (DType t : FLOATING) {
            for (boolean ta : new boolean[] {false, true}) {
                {
                    boolean tb = t == DType.F64;  // the split offsets A and C only: B's transpose once each way
                    int lda = (ta ? m : k) + 1;
                    int ldb = (tb ? k : n) + 2;
                    int ldc = n + 3;
                    int strideA = (ta ? k : m) * lda + 1;
                    int strideB = (tb ? n : k) * ldb;
                    int strideC = m * ldc + 2;
                    Pair a = pair(t, uniform(batch * strideA, -1, 1));
                    Pair b = pair(t, uniform(batch * strideB, -1, 1));
                    Pair c = pair(t, uniform(batch * strideC, -1, 1));
                    CPU.gemmBatched(ta, tb, m, n, k, 0.5, a.cpu(), 0, lda, strideA, b.cpu(), 0, ldb, strideB, 0.25, c.cpu(), 0,
                            ldc, strideC, batch);
                    long before = device.launches();
                    cuda().gemmBatched(ta, tb, m, n, k, 0.5, a.cuda(), 0, lda, strideA, b.cuda(), 0, ldb, strideB, 0.25, c.cuda(), 0,
                            ldc, strideC, batch);
                    assertEquals(2 * 3, device.launches() - before, "launches: two row ranges times three batch ranges");
                    assertClose("split gemmBatched " + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + t, c, batch * strideC,
                            8 * eps(t), 8 * k * eps(t));
                }
            }
        }
    }

    @Test
    void gridStrideLoopsCoverEveryElement() {
        int rows = 37;
        int cols = 129;  // 4,773 elements: 10 grid strides of 2 x 256 threads
        int n = rows * cols;
        for (DType t : FLOATING) {
            Pair x = pair(t, uniform(n, -3, 3));
            Pair y = pair(t, uniform(cols, -3, 3));
            Pair out = outputs(t, n);
            int[] shape = {rows, cols};
            CPU.binary(BinaryOp.MUL, shape, x.cpuView(0, cols, 1), y.cpuView(0, 0, 1), out.cpu(), 0);
            cuda().binary(BinaryOp.MUL, shape, x.view(0, cols, 1), y.view(0, 0, 1), out.cuda(), 0);
            assertClose("broadcast multiply " + t, out, n, eps(t), 0);
            for (boolean[] axes : new boolean[][] {{false, true}, {true, false}}) {
                int outputs = axes[0] ? cols : rows;
                Pair r = outputs(t, outputs);
                CPU.reduce(ReduceOp.SUM, shape, x.cpuView(0, cols, 1), axes, r.cpu(), 0);
                cuda().reduce(ReduceOp.SUM, shape, x.view(0, cols, 1), axes, r.cuda(), 0);
                assertClose("sum over axis " + (axes[0] ? 0 : 1) + " " + t, r, outputs, 8 * eps(t), 8 * eps(t));
            }
            Pair s = outputs(t, n);
            CPU.softmax(false, rows, cols, x.cpu(), 0, s.cpu(), 0);
            cuda().softmax(false, rows, cols, x.cuda(), 0, s.cuda(), 0);
            assertClose("softmax " + t, s, n, 16 * eps(t), 16 * eps(t));
            Pair mean = outputs(t, rows);
            Pair var = outputs(t, rows);
            CPU.rowMoments(rows, cols, x.cpu(), 0, mean.cpu(), 0, var.cpu(), 0);
            cuda().rowMoments(rows, cols, x.cuda(), 0, mean.cuda(), 0, var.cuda(), 0);
            assertClose("row variances " + t, var, rows, 16 * eps(t), 16 * eps(t));
            Pair u = outputs(t, n);
            CPU.uniform(3, (1L << 32) - 2, u.cpu(), 0, n, 0, 1);
            cuda().uniform(3, (1L << 32) - 2, u.cuda(), 0, n, 0, 1);
            assertClose("uniform " + t, u, n, 0, 0);
        }
        Pair big = pair(DType.F32, uniform(n, -1, 1));
        Pair sum = outputs(DType.F32, 1);
        CPU.reduce(ReduceOp.SUM, new int[] {n}, View.contiguous(big.cpu(), 0, new int[] {n}), new boolean[] {true}, sum.cpu(), 0);
        cuda().reduce(ReduceOp.SUM, new int[] {n}, big.view(0, 1), new boolean[] {true}, sum.cuda(), 0);
        assertClose("one sum of " + n, sum, 1, 1e-6, 1e-6);
    }
}
