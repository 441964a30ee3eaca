package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.fail;

import org.distill4j.kernels.Backend;
import org.distill4j.kernels.BackendProvider;
import org.distill4j.kernels.Devices;
import org.junit.jupiter.api.Assumptions;

/**
 * The device the GPU tests (tag {@code gpu}) run on, and how they react when there is none.
 *
 * <ul>
 *   <li>{@code -Ddistill4j.cuda.target=gpu} (the default): the real GPU, through
 *       {@link Devices#resolve}; {@code emulated}: the emulated device of src/test/native, so that
 *       {@code scripts/gpu-check --emulate} runs the same tests without a GPU.</li>
 *   <li>{@code -Ddistill4j.cuda.required=true} (or {@code DISTILL4J_CUDA_REQUIRED=1}): a test that
 *       cannot reach the device fails with the reason instead of being skipped, so that a GPU run
 *       that tested nothing cannot pass. scripts/gpu-check sets it.</li>
 *   <li>{@code -Ddistill4j.cuda.expectGemm=cuBLAS} (or {@code gemm.cu}): the probed backend's GEMM
 *       engine must be that one ({@link GpuEnvironmentTest}).</li>
 * </ul>
 * Two backends share the device: {@link #probed()}, as a program gets it (cuBLAS where it loads,
 * the 128 MiB convolution workspace), and {@link #kernelGemm()}, on gemm.cu with a 16 KiB
 * workspace, so that gemm.cu's main loop and the chunked convolution with its accumulation run on
 * every machine. A CUDA error is sticky (the context is lost): once one happened, every later test
 * fails at once naming the first, which is the one worth reading.
 */
final class GpuUnderTest {
    /** The convolution workspace of {@link #kernelGemm()}: several im2col chunks for every test geometry. */
    static final long SMALL_CONV_WORKSPACE = 16 << 10;

    private static CudaBackend probed;
    private static CudaBackend kernelGemm;
    private static Device device;
    private static boolean described;

    private GpuUnderTest() {
    }

    /** Whether the tests run on the emulated device. */
    static boolean emulated() {
        return "emulated".equals(System.getProperty("distill4j.cuda.target", "gpu"));
    }

    /** Whether a test that cannot reach the device fails instead of skipping. */
    static boolean required() {
        return Boolean.getBoolean("distill4j.cuda.required") || "1".equals(System.getenv("DISTILL4J_CUDA_REQUIRED"));
    }

    /** The backend a program gets: cuBLAS where it loads, the default convolution workspace. */
    static synchronized CudaBackend probed() {
        guard();
        if (emulated()) {
            EmulatedDevice d = EmulatedDevice.shared();
            if (probed == null || d != device) {  // a new harness process after a crash: new backends
                device = d;
                probed = new CudaBackend(d, dev -> new KernelGemm(dev, "emulated device: no cuBLAS"), 1L << 30,
                        CudaProbe::collectGarbage, CudaBackend.DEFAULT_CONV_WORKSPACE);
                kernelGemm = null;
            }
        } else if (probed == null) {
            BackendProvider.Availability a = Devices.availability("cuda");
            if (!a.available()) {
                if (required()) {
                    fail(a.reason() + " (-Ddistill4j.cuda.required=true: a GPU test that cannot reach the GPU fails)");
                }
                Assumptions.assumeTrue(false, a.reason());
            }
            probed = (CudaBackend) Devices.resolve("cuda").backend();
            device = CheckedDevice.unwrap(probed.device);
        }
        if (!described) {
            described = true;
            System.out.println("device under test: " + probed.description());
        }
        return probed;
    }

    /** A second backend on the same device: GEMM on gemm.cu, a 16 KiB convolution workspace. */
    static synchronized CudaBackend kernelGemm() {
        CudaBackend a = probed();
        if (kernelGemm == null) {
            kernelGemm = another(1L << 30, SMALL_CONV_WORKSPACE, "forced, beside " + a.gemmEngine());
        }
        return kernelGemm;
    }

    /** A new backend of its own on the device (its own allocator), GEMM on gemm.cu. */
    static synchronized CudaBackend another(long softLimit, long convWorkspace, String why) {
        probed();
        return new CudaBackend(device, dev -> new KernelGemm(dev, why), softLimit, CudaProbe::collectGarbage, convWorkspace);
    }

    /**
     * {@code n} on a GPU; on the emulated device, which runs a kernel's threads as host threads,
     * {@code n / 1000} (at least {@code min}): the large-tensor tests then lower the grid caps
     * ({@link LaunchConfig#lowerLimits}) so that the smaller sizes take the same grid-stride and
     * split paths.
     */
    static int size(int n, int min) {
        return emulated() ? Math.max(min, n / 1000) : n;
    }

    /** Fails at once when an earlier test left a CUDA error behind (sticky: every later call fails too). */
    static void guard() {
        String fault = CheckedDevice.firstFault();
        if (fault != null) {
            fail("an earlier GPU fault lost the CUDA context, so this test cannot run: " + fault);
        }
    }
}
