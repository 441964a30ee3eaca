package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the backend found on the machine, and whether it is what the machine promised:
 * {@code -Ddistill4j.cuda.expectGemm=cuBLAS} (scripts/gpu-check sets it when the loader finds
 * libcublas.so.12) fails here, in one test, when cuBLAS did not load after all.
 */
@Tag("gpu")
class GpuEnvironmentTest {

    @Test
    void theGemmEngineIsTheOneExpected() {
        CudaBackend b = GpuUnderTest.probed();
        String expected = System.getProperty("distill4j.cuda.expectGemm", "");
        System.out.println("backend: " + b.description());
        assertTrue(b.gemmEngine().startsWith(expected), "GEMM runs on " + b.gemmEngine() + ", expected " + expected);
    }
}
