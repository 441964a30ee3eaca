package org.distill4j.cuda;

import org.distill4j.kernels.BackendProvider;
import org.distill4j.kernels.Devices;

/**
 * scripts/gpu-check's preflight from Java: whether the CUDA backend comes up here, and if so on
 * which GPU, driver and GEMM engine. Prints {@code device: ...} and {@code gemm: ...} and exits 0,
 * or prints {@code unavailable: <the one-line reason>} and exits 3.
 */
public final class GpuCheckProbe {
    private GpuCheckProbe() {
    }

    public static void main(String[] args) {
        if (!GpuUnderTest.emulated()) {
            BackendProvider.Availability a = Devices.availability("cuda");
            if (!a.available()) {
                System.out.println("unavailable: " + a.reason());
                System.exit(3);
            }
        }
        CudaBackend b = GpuUnderTest.probed();
        System.out.println("device: " + b.description());
        System.out.println("gemm: " + b.gemmEngine());
        System.out.println("debug: " + b.debug);
    }
}
