package org.distill4j.cuda;

import java.util.Arrays;
import org.distill4j.kernels.Backend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInfo;

/**
 * Every comparison of {@link GpuKernelsTest} (its nested classes are inherited) on the second
 * backend of the device: GEMM on our gemm.cu even where cuBLAS loads, so its tiled main loop runs
 * on the GPU, and a 16 KiB convolution workspace, so that convolutions go through many im2col
 * chunks and the weight gradient accumulates across them (beta = 1).
 *
 * <p>{@code -Ddistill4j.gpucheck.secondBackendSuites=Linear,...} limits it to the nested classes
 * named (scripts/gpu-check --emulate, where each suite takes a while); the others are skipped.
 */
@Tag("gpu")
class GpuKernelGemmTest extends GpuKernelsTest {

    @Override
    Backend gpu() {
        return GpuUnderTest.kernelGemm();
    }

    @BeforeEach
    void onlyTheSuitesAskedFor(TestInfo test) {
        String only = System.getProperty("distill4j.gpucheck.secondBackendSuites", "");
        String suite = test.getTestClass().map(Class::getSimpleName).orElse("");
        Assumptions.assumeTrue(only.isEmpty() || Arrays.asList(only.split(",")).contains(suite),
                suite + " is not among -Ddistill4j.gpucheck.secondBackendSuites=" + only);
    }
}
