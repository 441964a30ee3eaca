package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.distill4j.kernels.BackendProvider;
import org.distill4j.kernels.Devices;
import org.distill4j.kernels.cpu.CpuBackend;
import org.distill4j.testing.Requirements;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a GPU, driver or kernels, CUDA says why in one line and nothing native escapes. */
class FallbackTest {

    /** A machine whose driver and kernels are there and whose {@code open} does what it is told. */
    static CudaProbe.Machine machine(Function<KernelLibrary, Device> open) {
        return new CudaProbe.Machine() {
            @Override
            public Optional<String> missingDriver() {
                return Optional.empty();
            }

            @Override
            public Optional<KernelLibrary> kernels() {
                return KernelLibrary.load();
            }

            @Override
            public Device open(KernelLibrary kernels) {
                return open.apply(kernels);
            }

            @Override
            public GemmEngine gemm(Device device) {
                return new KernelGemm(device, "test");
            }
        };
    }

    @Test
    void onThisMachineTheReasonIsTheMissingDriverLibrary() {
        Optional<String> missing = DriverLibrary.missing();
        Assumptions.assumeTrue(missing.isPresent(), "this machine has an NVIDIA driver");
        CudaProbe.Result r = CudaProbe.probe(CudaProbe.SYSTEM);
        assertNull(r.backend());
        assertEquals("CUDA unavailable: libcuda.so.1 not found", r.reason());
    }

    @Test
    void jcudasOwnLinkErrorIsCaughtAndNamed() {
        // Skip the driver check and let JCuda try for real: its native library needs libcuda.so.1.
        Assumptions.assumeTrue(DriverLibrary.missing().isPresent(), "this machine has an NVIDIA driver");
        Requirements.assumeOrFail(KernelLibrary.load().isPresent(), "built without nvcc: there are no kernels");
        CudaProbe.Machine real = new CudaProbe.Machine() {
            @Override
            public Optional<String> missingDriver() {
                return Optional.empty();
            }

            @Override
            public Optional<KernelLibrary> kernels() {
                return KernelLibrary.load();
            }

            @Override
            public Device open(KernelLibrary kernels) {
                return CudaProbe.SYSTEM.open(kernels);
            }

            @Override
            public GemmEngine gemm(Device device) {
                return CudaProbe.SYSTEM.gemm(device);
            }
        };
        // The first attempt (unless another test in this JVM made it already) meets JCuda's
        // UnsatisfiedLinkError; later ones its NoClassDefFoundError "Could not initialize class".
        CudaProbe.Result first = CudaProbe.probe(real);
        CudaProbe.Result second = CudaProbe.probe(real);
        assertNull(first.backend());
        assertTrue(first.reason().equals("CUDA unavailable: libcuda.so.1 not found")
                || first.reason().equals(second.reason()), first.reason());
        assertNull(second.backend());
        assertEquals("CUDA unavailable: JCuda's native library failed to initialise earlier in this JVM", second.reason());
    }

    @Test
    void everyFailureBecomesOneLine() {
        Requirements.assumeOrFail(KernelLibrary.load().isPresent(), "built without nvcc: there are no kernels");
        List<Throwable> failures = List.of(
                new UnsatisfiedLinkError("/tmp/libJCudaDriver.so: libcuda.so.1: cannot open shared object file"),
                new NoClassDefFoundError("jcuda/driver/JCudaDriver"),
                new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver"),
                new ExceptionInInitializerError(new UnsatisfiedLinkError("no JCudaDriver in java.library.path\nmore")),
                new CudaUnavailableException("the NVIDIA driver supports CUDA 12.2 but the kernels were built with CUDA 13.0"),
                new IllegalStateException("CUDA error CUDA_ERROR_UNKNOWN in cuStreamCreate"));
        List<String> expected = List.of(
                "CUDA unavailable: libcuda.so.1 not found",
                "CUDA unavailable: JCuda is not on the class path (jcuda.driver.JCudaDriver is missing)",
                "CUDA unavailable: JCuda's native library failed to initialise earlier in this JVM",
                "CUDA unavailable: JCuda's native library did not load (no JCudaDriver in java.library.path)",
                "CUDA unavailable: the NVIDIA driver supports CUDA 12.2 but the kernels were built with CUDA 13.0",
                "CUDA unavailable: IllegalStateException: CUDA error CUDA_ERROR_UNKNOWN in cuStreamCreate");
        for (int i = 0; i < failures.size(); i++) {
            Throwable t = failures.get(i);
            CudaProbe.Result r = CudaProbe.probe(machine(k -> {
                if (t instanceof RuntimeException e) {
                    throw e;
                }
                throw (Error) t;
            }));
            assertNull(r.backend());
            assertEquals(expected.get(i), r.reason());
        }
    }

    @Test
    void noDriverOrNoKernelsIsSaidBeforeAnythingIsLoaded() {
        CudaProbe.Machine noKernels = new CudaProbe.Machine() {
            @Override
            public Optional<String> missingDriver() {
                return Optional.empty();
            }

            @Override
            public Optional<KernelLibrary> kernels() {
                return Optional.empty();
            }

            @Override
            public Device open(KernelLibrary kernels) {
                throw new AssertionError("must not open a device without kernels");
            }

            @Override
            public GemmEngine gemm(Device device) {
                throw new AssertionError();
            }
        };
        assertEquals("CUDA unavailable: this distill4j-cuda was built without nvcc, so it has no kernels "
                + "(rebuild it with nvcc on the PATH)", CudaProbe.probe(noKernels).reason());
    }

    @Test
    void aWorkingDeviceGivesABackend() {
        Requirements.assumeOrFail(KernelLibrary.load().isPresent(), "built without nvcc: there are no kernels");
        CudaProbe.Result r = CudaProbe.probe(machine(k -> EmulatedDevice.shared()));
        assertNotNull(r.backend());
        assertEquals("", r.reason());
        assertTrue(r.backend().description().contains("emulated"), r.backend().description());
    }

    @Test
    void theDriverLibraryIsFoundWhereTheLoaderWouldLook(@TempDir Path dir) throws IOException {
        Path cache = dir.resolve("ld.so.cache");
        Files.write(cache, new byte[] {1, 2, 3});
        assertEquals(Optional.of("libcuda.so.1 not found"), DriverLibrary.missingOnLinux(null, cache, List.of()));
        assertEquals(Optional.of("libcuda.so.1 not found"),
                DriverLibrary.missingOnLinux(dir.toString(), dir.resolve("absent"), List.of("/nonexistent")));
        Files.createFile(dir.resolve("libcuda.so.1"));
        assertEquals(Optional.empty(), DriverLibrary.missingOnLinux("/nowhere:" + dir, cache, List.of()));
        Files.delete(dir.resolve("libcuda.so.1"));
        Files.write(cache, "glibc-ld.so.cache1.1\0libcuda.so.1\0/usr/lib/libcuda.so.1".getBytes());
        assertEquals(Optional.empty(), DriverLibrary.missingOnLinux(null, cache, List.of()));
    }

    @Test
    void devicesFallBackToTheCpuWithTheReason() {
        BackendProvider.Availability cuda = Devices.availability("cuda");
        Assumptions.assumeFalse(cuda.available(), "CUDA is available here");
        assertTrue(cuda.reason().startsWith("CUDA unavailable: "), cuda.reason());

        Devices.Resolution auto = Devices.resolve("auto");
        assertSame(CpuBackend.get(), auto.backend());
        assertEquals(cuda.reason(), auto.note());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.resolve("cuda"));
        assertEquals(cuda.reason(), e.getMessage());

        CudaBackendProvider provider = new CudaBackendProvider();
        assertEquals(cuda, provider.availability());
        IllegalStateException s = assertThrows(IllegalStateException.class, provider::create);
        assertEquals(cuda.reason(), s.getMessage());
    }

    @Test
    void devicesKnowTheCpuAndRefuseUnknownNames() {
        assertSame(CpuBackend.get(), Devices.resolve("cpu").backend());
        assertEquals("", Devices.resolve(" CPU ").note());
        assertTrue(Devices.availability("cpu").available());
        assertTrue(Devices.providers().stream().anyMatch(p -> p.name().equals("cuda")));
        assertTrue(Devices.providers().stream().anyMatch(p -> p.name().equals("cpu")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.resolve("tpu"));
        assertEquals("unknown device 'tpu': expected one of auto, cpu, cuda", e.getMessage());
        assertEquals("TPU unavailable: no 'tpu' backend on the class path (add the distill4j-tpu module)",
                Devices.availability("tpu").reason());
    }
}
