package org.distill4j.cuda;

import org.distill4j.kernels.Backend;
import org.junit.jupiter.api.Tag;

/**
 * Every comparison of {@link GpuKernelsTest} (its nested classes are inherited) on the second
 * backend of the device: GEMM on our gemm.cu even where cuBLAS loads, so its tiled main loop runs
 * on the GPU, and a 16 KiB convolution workspace, so that convolutions go through many im2col
 * chunks and the weight gradient accumulates across them (beta = 1).
 */
@Tag("gpu")
class GpuKernelGemmTest extends GpuKernelsTest {

    @Override
    Backend gpu() {
        return GpuUnderTest.kernelGemm();
    }
}
