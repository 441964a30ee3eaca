package org.distill4j.cuda;

/**
 * What {@link CudaBackend} needs from a GPU: device memory, copies in and out, and kernel launches,
 * all in order on one stream. Addresses are raw device addresses.
 *
 * <p>{@link JCudaDevice} implements it with the CUDA driver API. The tests implement it with the
 * emulated device of {@code src/test/native}, which runs the same kernel sources on the host, so
 * everything above this interface is tested without a GPU.
 */
interface Device {

    /** For messages and logs: the GPU's name, compute capability, driver. */
    String description();

    /** Total device memory in bytes. */
    long totalMemory();

    /**
     * Allocates {@code bytes} of device memory.
     *
     * @throws OutOfDeviceMemoryException when the device has no room left
     */
    long malloc(long bytes);

    void free(long address);

    /** Sets {@code bytes} bytes from {@code address} to zero (asynchronously, on the stream). */
    void zero(long address, long bytes);

    /**
     * Sets {@code bytes} bytes from {@code address} to 0xFF (asynchronously, on the stream): NaN
     * as a float or a double, -1 as an int. {@link DebugOptions#exactAlloc()} fills new buffers so.
     */
    void poison(long address, long bytes);

    /** Copies host data to the device; returns when the data has been read. */
    void copyIn(long address, float[] data);

    void copyIn(long address, double[] data);

    void copyIn(long address, int[] data);

    /** Copies {@code into.length} elements from the device after the work queued before it has finished. */
    void copyOut(long address, float[] into);

    void copyOut(long address, double[] into);

    void copyOut(long address, int[] into);

    /** Queues kernel {@code name} on the stream. */
    void launch(String name, LaunchConfig config, KernelArgs args);

    /** Waits for the queued work; reports an error that an earlier kernel left behind. */
    void synchronize();

    /** Thrown by {@link #malloc} when the device is out of memory. */
    final class OutOfDeviceMemoryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfDeviceMemoryException(String message) {
            super(message);
        }
    }
}
