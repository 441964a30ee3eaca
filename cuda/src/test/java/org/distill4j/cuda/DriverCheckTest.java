package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Which drivers may load the kernels (review risk 8d): a driver of the same CUDA major version
 * loads SASS built by a newer minor toolkit, but PTX needs a driver that knows its version.
 */
class DriverCheckTest {

    static KernelLibrary library(String nvcc) {
        Properties p = new Properties();
        p.setProperty("nvcc.version", nvcc);
        p.setProperty("archs", "sm_75 sm_80 sm_86 sm_89 sm_90 compute_90");
        p.setProperty("families", "gemm");
        p.setProperty("family.gemm", "gemm_f32 gemm_f64");
        return KernelLibrary.of(p);
    }

    @Test
    void sassRunsOnLaterMinorRevisionsOfItsMajorOnly() {
        KernelLibrary lib = library("13.0");
        assertTrue(lib.hasSass(90));  // H100, H200
        assertTrue(lib.hasSass(86));  // sm_80 and sm_86 SASS
        assertTrue(lib.hasSass(89));  // Ada: sm_89 SASS
        assertTrue(lib.hasSass(87));  // Orin: sm_80/86 SASS
        assertFalse(lib.hasSass(100));  // Blackwell: the compute_90 PTX, compiled by the driver
        assertFalse(lib.hasSass(120));
        assertFalse(lib.hasSass(70));  // Volta: older than every target
    }

    @Test
    void aSameMajorDriverLoadsSassButPtxNeedsTheFullVersion() {
        KernelLibrary lib = library("13.2");
        assertEquals(13020, lib.requiredDriverVersion());
        assertEquals(13000, lib.requiredDriverVersion(90));
        assertEquals(13020, lib.requiredDriverVersion(100));
        assertNull(JCudaDevice.driverTooOld(lib, 13000, 90, "NVIDIA H100"), "a 13.0 driver runs 13.2's SASS");
        assertNull(JCudaDevice.driverTooOld(lib, 13020, 100, "NVIDIA B200"));
        assertEquals("the NVIDIA driver supports CUDA 13.0 but NVIDIA B200 (sm_100) runs the kernels from PTX of CUDA 13.2, "
                + "which needs a driver for CUDA 13.2 or newer", JCudaDevice.driverTooOld(lib, 13000, 100, "NVIDIA B200"));
        assertEquals("the NVIDIA driver supports CUDA 12.8 but the kernels were built with CUDA 13.2; install a driver for CUDA 13.0 "
                + "or newer", JCudaDevice.driverTooOld(lib, 12080, 90, "NVIDIA H100"));
    }
}
