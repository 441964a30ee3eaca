package org.distill4j.cuda;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.distill4j.kernels.DType;

/**
 * A {@link Device} that checks the launches of the one it wraps ({@link DebugOptions}): with
 * {@code syncEachLaunch} it waits for each kernel and, if the kernel failed, throws an error that
 * names it, its grid and its argument signature; with {@code recordLaunches} it counts launches
 * per kernel name, JVM-wide, for the check that every kernel of the manifest ran. Either way it
 * remembers the first CUDA error it saw: such errors are sticky (the context is lost and every
 * later call fails too), and the first one is the one worth reading.
 */
final class CheckedDevice implements Device {
    private static final Map<String, LongAdder> LAUNCHES = new ConcurrentHashMap<>();
    private static volatile String firstFault;

    private final Device inner;
    private final DebugOptions options;

    private CheckedDevice(Device inner, DebugOptions options) {
        this.inner = inner;
        this.options = options;
    }

    /** {@code device} itself when {@code options} check nothing about launches. */
    static Device wrap(Device device, DebugOptions options) {
        return options.checksLaunches() && !(device instanceof CheckedDevice) ? new CheckedDevice(device, options) : device;
    }

    /** The device a {@link CheckedDevice} wraps, or {@code device} itself. */
    static Device unwrap(Device device) {
        return device instanceof CheckedDevice c ? c.inner : device;
    }

    /** An engine that is not one of our kernels (cuBLAS), synchronised after each call when the options ask. */
    static GemmEngine wrap(GemmEngine engine, Device device, DebugOptions options) {
        if (engine instanceof KernelGemm || !options.checksLaunches()) {
            return engine;  // gemm.cu launches through the (checked) device already
        }
        return new GemmEngine() {
            @Override
            public String name() {
                return engine.name();
            }

            @Override
            public void gemm(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha,
                             long a, int lda, long strideA, long b, int ldb, long strideB,
                             double beta, long c, int ldc, long strideC, int batch) {
                String what = engine.name() + " GEMM " + dtype + " " + m + "x" + n + "x" + k + " batch " + batch;
                if (options.recordLaunches()) {
                    LAUNCHES.computeIfAbsent(engine.name(), x -> new LongAdder()).increment();
                }
                try {
                    engine.gemm(dtype, transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch);
                    if (options.syncEachLaunch()) {
                        device.synchronize();
                    }
                } catch (IllegalStateException e) {
                    throw fault(new IllegalStateException(e.getMessage() + " (in " + what + ")", e));
                }
            }
        };
    }

    /** Launches per kernel name since the JVM started (or the last {@link #resetForTests}), sorted by name. */
    static Map<String, Long> launches() {
        Map<String, Long> out = new TreeMap<>();
        LAUNCHES.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Forgets the launches counted and the first fault (for the tests of this class). */
    static void resetForTests() {
        LAUNCHES.clear();
        firstFault = null;
    }

    /** The first CUDA error any checked device met in this JVM, or null. */
    static String firstFault() {
        return firstFault;
    }

    @Override
    public void launch(String name, LaunchConfig c, KernelArgs args) {
        if (options.recordLaunches()) {
            LAUNCHES.computeIfAbsent(name, x -> new LongAdder()).increment();
        }
        try {
            inner.launch(name, c, args);
            if (options.syncEachLaunch()) {
                inner.synchronize();
            }
        } catch (IllegalStateException e) {
            throw fault(new IllegalStateException(e.getMessage() + " (kernel " + name + ", grid " + c.gridX() + "x" + c.gridY()
                    + "x" + c.gridZ() + ", block " + c.blockX() + "x" + c.blockY() + "x" + c.blockZ()
                    + ", arguments " + args.signature() + ")", e));
        }
    }

    private static IllegalStateException fault(IllegalStateException e) {
        if (firstFault == null && e.getMessage() != null && e.getMessage().startsWith("CUDA error")) {
            synchronized (CheckedDevice.class) {
                if (firstFault == null) {
                    firstFault = e.getMessage();
                }
            }
        }
        return e;
    }

    private <T> T checked(Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalStateException e) {
            throw fault(e);
        }
    }

    private void checked(Runnable call) {
        try {
            call.run();
        } catch (IllegalStateException e) {
            throw fault(e);
        }
    }

    @Override
    public String description() {
        return inner.description();
    }

    @Override
    public long totalMemory() {
        return inner.totalMemory();
    }

    @Override
    public long malloc(long bytes) {
        return checked(() -> inner.malloc(bytes));
    }

    @Override
    public void free(long address) {
        checked(() -> inner.free(address));
    }

    @Override
    public void zero(long address, long bytes) {
        checked(() -> inner.zero(address, bytes));
    }

    @Override
    public void poison(long address, long bytes) {
        checked(() -> inner.poison(address, bytes));
    }

    @Override
    public void copyIn(long address, float[] data) {
        checked(() -> inner.copyIn(address, data));
    }

    @Override
    public void copyIn(long address, double[] data) {
        checked(() -> inner.copyIn(address, data));
    }

    @Override
    public void copyIn(long address, int[] data) {
        checked(() -> inner.copyIn(address, data));
    }

    @Override
    public void copyOut(long address, float[] into) {
        checked(() -> inner.copyOut(address, into));
    }

    @Override
    public void copyOut(long address, double[] into) {
        checked(() -> inner.copyOut(address, into));
    }

    @Override
    public void copyOut(long address, int[] into) {
        checked(() -> inner.copyOut(address, into));
    }

    @Override
    public void synchronize() {
        checked(inner::synchronize);
    }
}
