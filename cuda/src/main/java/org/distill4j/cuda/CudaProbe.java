package org.distill4j.cuda;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether the CUDA backend can run here, and builds it if so. Each step that can fail on
 * an ordinary machine becomes a one-line reason ("CUDA unavailable: libcuda.so.1 not found"),
 * never an exception: a missing driver library, a jar built without nvcc, JCuda's natives failing
 * to load (UnsatisfiedLinkError, NoClassDefFoundError), no GPU, a driver older than the kernels,
 * a GPU older than sm_75. The steps that touch the machine are behind {@link Machine}, so the tests
 * can walk every failure on a machine without a GPU.
 */
final class CudaProbe {
    private static final Pattern MISSING_LIBRARY =
            Pattern.compile("([\\w.+-]+\\.so[\\w.]*): cannot open shared object file");

    /** The backend, or why there is none. */
    record Result(CudaBackend backend, String reason) {
    }

    /** What the probe asks of the machine. */
    interface Machine {
        /** Why the driver library is missing, or empty when it is there. */
        Optional<String> missingDriver();

        /** The kernels packed in this jar. */
        Optional<KernelLibrary> kernels();

        /** Opens the GPU; throws CudaUnavailableException (or whatever JCuda throws) when it cannot. */
        Device open(KernelLibrary kernels);

        /** cuBLAS when it loads, else our GEMM kernel. */
        GemmEngine gemm(Device device);
    }

    /** The real machine: the driver, JCuda, JCublas. */
    static final Machine SYSTEM = new Machine() {
        @Override
        public Optional<String> missingDriver() {
            return DriverLibrary.missing();
        }

        @Override
        public Optional<KernelLibrary> kernels() {
            return KernelLibrary.load();
        }

        @Override
        public Device open(KernelLibrary kernels) {
            return new JCudaDevice(kernels, Integer.getInteger("distill4j.cuda.device", 0));
        }

        @Override
        public GemmEngine gemm(Device device) {
            String choice = System.getProperty("distill4j.cuda.gemm", "auto");
            if (choice.equals("kernel")) {
                return new KernelGemm(device, "chosen by -Ddistill4j.cuda.gemm=kernel");
            }
            try {
                return new CublasGemm((JCudaDevice) CheckedDevice.unwrap(device));
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                return new KernelGemm(device, "cuBLAS unavailable: " + describe(t));
            }
        }
    };

    private CudaProbe() {
    }

    static Result probe(Machine machine) {
        try {
            Optional<String> missing = machine.missingDriver();
            if (missing.isPresent()) {
                return new Result(null, CudaUnavailableException.PREFIX + missing.get());
            }
            Optional<KernelLibrary> kernels = machine.kernels();
            if (kernels.isEmpty()) {
                return new Result(null, CudaUnavailableException.PREFIX
                        + "this distill4j-cuda was built without nvcc, so it has no kernels (rebuild it with nvcc on the PATH)");
            }
            Device device = machine.open(kernels.get());
            CudaBackend backend = new CudaBackend(device, machine::gemm, softLimit(device.totalMemory()),
                    CudaProbe::collectGarbage, CudaBackend.DEFAULT_CONV_WORKSPACE);
            return new Result(backend, "");
        } catch (CudaUnavailableException e) {
            return new Result(null, e.getMessage());
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            return new Result(null, CudaUnavailableException.PREFIX + describe(t));
        }
    }

    /** One line on what went wrong while loading native code. */
    static String describe(Throwable t) {
        if (t instanceof ExceptionInInitializerError && t.getCause() != null) {
            return describe(t.getCause());
        }
        String message = firstLine(t.getMessage());
        if (t instanceof UnsatisfiedLinkError) {
            // JCuda's message nests the loader's errors; the one that matters names the library
            // its JNI library depends on: "libcuda.so.1: cannot open shared object file".
            Matcher m = MISSING_LIBRARY.matcher(t.getMessage() == null ? "" : t.getMessage());
            if (m.find()) {
                return m.group(1) + " not found";
            }
            return "JCuda's native library did not load (" + message + ")";
        }
        if (t instanceof NoClassDefFoundError && message.startsWith("Could not initialize class")) {
            return "JCuda's native library failed to initialise earlier in this JVM";
        }
        if (t instanceof NoClassDefFoundError || t instanceof ClassNotFoundException) {
            return "JCuda is not on the class path (" + message.replace('/', '.') + " is missing)";
        }
        return t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    /** Reserved device memory past which the allocator first asks the JVM to collect: most of the GPU. */
    static long softLimit(long totalMemory) {
        double fraction = Double.parseDouble(System.getProperty("distill4j.cuda.memoryFraction", "0.8"));
        return (long) (totalMemory * fraction);
    }

    /**
     * Device buffers are returned by Cleaners once the JVM finds them unreachable; a collection
     * enqueues them and the Cleaner thread releases them shortly after, so give it a moment.
     */
    static void collectGarbage() {
        System.gc();
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int newline = s.indexOf('\n');
        return (newline < 0 ? s : s.substring(0, newline)).trim();
    }
}
