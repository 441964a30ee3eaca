package org.distill4j.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD8Async;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * A GPU through JCuda and the CUDA driver API: the primary context of one device, one stream,
 * the kernel fatbins loaded as modules. The only class besides {@link CublasGemm} that touches
 * JCuda, so that a missing JCuda or driver fails here, inside the probe's catch.
 *
 * <p>The stream is a blocking one (flag 0), so the synchronous copies, which the driver issues on
 * the legacy default stream, wait for the kernels queued before them and kernels queued after
 * them wait for the copies: host and device never see each other's data half-written.
 */
final class JCudaDevice implements Device {
    private static final int INSUFFICIENT_DRIVER = 35;  // cuda.h's CUDA_ERROR_INSUFFICIENT_DRIVER

    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final Map<String, CUmodule> moduleOfKernel = new HashMap<>();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final TreeMap<Long, DevicePointer> allocations = new TreeMap<>();
    private final ThreadLocal<Boolean> contextCurrent = ThreadLocal.withInitial(() -> false);
    private final String description;
    private final long totalMemory;

    /** cuMemAlloc's output, with its address readable (NativePointerObject keeps it protected). */
    private static final class DevicePointer extends CUdeviceptr {
        long address() {
            return getNativePointer();
        }
    }

    /**
     * Opens device {@code ordinal} and loads the kernels.
     *
     * @throws CudaUnavailableException with a one-line reason when that cannot be done here
     */
    JCudaDevice(KernelLibrary kernels, int ordinal) {
        JCudaDriver.setExceptionsEnabled(false);  // loads JCuda's native library: may throw UnsatisfiedLinkError
        int r = cuInit(0);
        if (r == CUresult.CUDA_ERROR_NO_DEVICE) {
            throw new CudaUnavailableException("no CUDA GPU is visible (cuInit: CUDA_ERROR_NO_DEVICE)");
        }
        if (r == INSUFFICIENT_DRIVER) {
            throw new CudaUnavailableException("the NVIDIA driver is too old for this CUDA runtime (cuInit: CUDA_ERROR_INSUFFICIENT_DRIVER)");
        }
        available(r, "cuInit");
        int[] value = new int[1];
        available(cuDriverGetVersion(value), "cuDriverGetVersion");
        int driver = value[0];
        available(cuDeviceGetCount(value), "cuDeviceGetCount");
        if (ordinal < 0 || ordinal >= value[0]) {
            throw new CudaUnavailableException(value[0] == 0 ? "the NVIDIA driver sees no GPU"
                    : "GPU " + ordinal + " requested but the driver sees " + value[0]);
        }
        CUdevice device = new CUdevice();
        available(cuDeviceGet(device, ordinal), "cuDeviceGet");
        byte[] name = new byte[256];
        available(cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        String gpu = new String(name, StandardCharsets.US_ASCII).trim().replace("\0", "");
        int[] major = new int[1];
        int[] minor = new int[1];
        available(cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device), "cuDeviceGetAttribute");
        available(cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device), "cuDeviceGetAttribute");
        int cc = 10 * major[0] + minor[0];
        if (cc < kernels.minimumComputeCapability()) {
            throw new CudaUnavailableException(gpu + " has compute capability " + major[0] + "." + minor[0] + "; the kernels need "
                    + kernels.minimumComputeCapability() / 10 + "." + kernels.minimumComputeCapability() % 10 + " or newer");
        }
        String driverProblem = driverTooOld(kernels, driver, cc, gpu);
        if (driverProblem != null) {
            throw new CudaUnavailableException(driverProblem);
        }
        long[] total = new long[1];
        available(cuDeviceTotalMem(total, device), "cuDeviceTotalMem");
        this.totalMemory = total[0];
        available(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        makeCurrent();
        available(cuStreamCreate(stream, 0), "cuStreamCreate");
        for (Map.Entry<String, List<String>> family : kernels.kernelsByFamily().entrySet()) {
            CUmodule module = new CUmodule();
            int loaded = cuModuleLoadData(module, kernels.fatbin(family.getKey()));
            if (loaded != CUresult.CUDA_SUCCESS) {
                throw new CudaUnavailableException("cannot load the " + family.getKey() + " kernels (built for " + kernels.archs()
                        + " with CUDA " + kernels.nvccVersion() + ") on " + gpu + ": " + CUresult.stringFor(loaded));
            }
            for (String kernel : family.getValue()) {
                moduleOfKernel.put(kernel, module);
            }
        }
        this.description = gpu + " (sm_" + cc + ", " + total[0] / (1 << 20) + " MiB, driver for CUDA " + version(driver)
                + ", kernels from CUDA " + kernels.nvccVersion() + ")";
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public long totalMemory() {
        return totalMemory;
    }

    @Override
    public synchronized long malloc(long bytes) {
        makeCurrent();
        DevicePointer p = new DevicePointer();
        int r = cuMemAlloc(p, bytes);
        if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            throw new OutOfDeviceMemoryException("CUDA out of memory allocating " + bytes + " bytes");
        }
        check(r, "cuMemAlloc");
        allocations.put(p.address(), p);
        return p.address();
    }

    @Override
    public synchronized void free(long address) {
        makeCurrent();
        DevicePointer p = allocations.remove(address);
        if (p == null) {
            throw new IllegalStateException("free of 0x" + Long.toHexString(address) + ", which is not an allocation");
        }
        check(cuMemFree(p), "cuMemFree");
    }

    @Override
    public synchronized void zero(long address, long bytes) {
        makeCurrent();
        check(cuMemsetD8Async(at(address), (byte) 0, bytes, stream), "cuMemsetD8Async");
    }

    @Override
    public synchronized void poison(long address, long bytes) {
        makeCurrent();
        check(cuMemsetD8Async(at(address), (byte) 0xFF, bytes, stream), "cuMemsetD8Async");
    }

    @Override
    public synchronized void copyIn(long address, float[] data) {
        copyIn(address, Pointer.to(data), (long) data.length * Float.BYTES);
    }

    @Override
    public synchronized void copyIn(long address, double[] data) {
        copyIn(address, Pointer.to(data), (long) data.length * Double.BYTES);
    }

    @Override
    public synchronized void copyIn(long address, int[] data) {
        copyIn(address, Pointer.to(data), (long) data.length * Integer.BYTES);
    }

    @Override
    public synchronized void copyOut(long address, float[] into) {
        copyOut(address, Pointer.to(into), (long) into.length * Float.BYTES);
    }

    @Override
    public synchronized void copyOut(long address, double[] into) {
        copyOut(address, Pointer.to(into), (long) into.length * Double.BYTES);
    }

    @Override
    public synchronized void copyOut(long address, int[] into) {
        copyOut(address, Pointer.to(into), (long) into.length * Integer.BYTES);
    }

    @Override
    public synchronized void launch(String name, LaunchConfig c, KernelArgs args) {
        makeCurrent();
        List<byte[]> parameters = args.parameters();
        Pointer[] each = new Pointer[parameters.size()];
        for (int i = 0; i < each.length; i++) {
            each[i] = Pointer.to(parameters.get(i));
        }
        check(cuLaunchKernel(function(name), c.gridX(), c.gridY(), c.gridZ(), c.blockX(), c.blockY(), c.blockZ(),
                0, stream, Pointer.to(each), null), "launching " + name);
    }

    @Override
    public synchronized void synchronize() {
        makeCurrent();
        check(cuStreamSynchronize(stream), "cuStreamSynchronize (an earlier kernel failed)");
    }

    /** The stream, for cuBLAS. */
    CUstream stream() {
        return stream;
    }

    /** A driver pointer to {@code address}, which must lie inside one of our allocations. */
    synchronized CUdeviceptr at(long address) {
        Map.Entry<Long, DevicePointer> e = allocations.floorEntry(address);
        if (e == null) {
            throw new IllegalArgumentException("0x" + Long.toHexString(address) + " is not in device memory we allocated");
        }
        return e.getValue().withByteOffset(address - e.getKey());
    }

    /** Binds the context to the calling thread; CUDA contexts are current per thread. */
    void makeCurrent() {
        if (!contextCurrent.get()) {
            check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
            contextCurrent.set(true);
        }
    }

    private void copyIn(long address, Pointer host, long bytes) {
        makeCurrent();
        if (bytes > 0) {
            check(cuMemcpyHtoD(at(address), host, bytes), "cuMemcpyHtoD");
        }
    }

    private void copyOut(long address, Pointer host, long bytes) {
        makeCurrent();
        if (bytes > 0) {
            check(cuMemcpyDtoH(host, at(address), bytes), "cuMemcpyDtoH");
        }
    }

    private CUfunction function(String name) {
        return functions.computeIfAbsent(name, n -> {
            CUmodule module = moduleOfKernel.get(n);
            if (module == null) {
                throw new IllegalStateException("no kernel named " + n + " in the kernel manifest");
            }
            CUfunction f = new CUfunction();
            check(cuModuleGetFunction(f, module, n), "cuModuleGetFunction " + n);
            return f;
        });
    }

    /**
     * Why a driver that supports CUDA {@code driver} (cuDriverGetVersion's number) cannot load the
     * kernels on a GPU of compute capability {@code cc}, or null when it can.
     */
    static String driverTooOld(KernelLibrary kernels, int driver, int cc, String gpu) {
        int required = kernels.requiredDriverVersion(cc);
        if (driver >= required) {
            return null;
        }
        String built = kernels.nvccVersion().replaceAll("^(\\d+\\.\\d+).*", "$1");
        if (kernels.hasSass(cc)) {
            return "the NVIDIA driver supports CUDA " + version(driver) + " but the kernels were built with CUDA "
                    + built + "; install a driver for CUDA " + version(required) + " or newer";
        }
        return "the NVIDIA driver supports CUDA " + version(driver) + " but " + gpu + " (sm_" + cc + ") runs the kernels from PTX of CUDA "
                + built + ", which needs a driver for CUDA " + version(required) + " or newer";
    }

    private static String version(int driver) {
        return driver / 1000 + "." + driver % 1000 / 10;
    }

    private static void available(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaUnavailableException(call + " failed: " + CUresult.stringFor(result));
        }
    }

    static void check(int result, String what) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new IllegalStateException("CUDA error " + CUresult.stringFor(result) + " in " + what);
        }
    }
}
