package org.distill4j.cuda;

import org.distill4j.kernels.Backend;
import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.DType;

/**
 * A buffer in device memory: one block of the {@link CachingAllocator}, returned to it when this
 * object is garbage collected (the backend registers a Cleaner that holds the block, not the buffer).
 */
final class CudaBuffer implements Buffer {
    private final CudaBackend backend;
    private final DType dtype;
    private final int length;
    private final long address;

    CudaBuffer(CudaBackend backend, DType dtype, int length, long address) {
        this.backend = backend;
        this.dtype = dtype;
        this.length = length;
        this.address = address;
    }

    /** The device address of element {@code offset}. */
    long address(int offset) {
        return address + (long) offset * dtype.bytes();
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public String toString() {
        return "CudaBuffer[" + dtype + " x " + length + " at 0x" + Long.toHexString(address) + "]";
    }
}
