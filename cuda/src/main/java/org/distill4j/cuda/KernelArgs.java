package org.distill4j.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A kernel's parameters, packed as the CUDA ABI lays them out: in order, each at an offset aligned
 * to its own size (structs of ints to 4), little-endian. Also keeps a signature, one letter per
 * parameter ({@code p} pointer, {@code i} int, {@code l} 64-bit integer, {@code f} float,
 * {@code d} double, {@code s<bytes>} struct), which the emulated device checks against the
 * kernel's C++ signature, so a mismatch between this packing and the kernel fails a test instead
 * of reading garbage on a GPU.
 */
final class KernelArgs {
    private final List<byte[]> parameters = new ArrayList<>();
    private final List<Integer> alignments = new ArrayList<>();
    private final StringBuilder signature = new StringBuilder();
    private int size;

    KernelArgs pointer(long address) {
        return add("p", 8, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(address).array());
    }

    KernelArgs i32(int v) {
        return add("i", 4, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    /** A flag the kernel reads as an int. */
    KernelArgs flag(boolean v) {
        return i32(v ? 1 : 0);
    }

    KernelArgs i64(long v) {
        return add("l", 8, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    KernelArgs f32(float v) {
        return add("f", 4, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array());
    }

    KernelArgs f64(double v) {
        return add("d", 8, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array());
    }

    /** A float or double, as the kernel's element type asks. */
    KernelArgs real(boolean isDouble, double v) {
        return isDouble ? f64(v) : f32((float) v);
    }

    /** A struct of ints passed by value (Layout, ConvShape, PoolShape in the .cu files). */
    KernelArgs struct(int... fields) {
        ByteBuffer b = ByteBuffer.allocate(4 * fields.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int f : fields) {
            b.putInt(f);
        }
        return add("s" + 4 * fields.length, 4, b.array());
    }

    private KernelArgs add(String code, int alignment, byte[] bytes) {
        size = align(size, alignment) + bytes.length;
        parameters.add(bytes);
        alignments.add(alignment);
        signature.append(code);
        return this;
    }

    private static int align(int offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    /** One little-endian byte array per parameter: what cuLaunchKernel's kernelParams point to. */
    List<byte[]> parameters() {
        return parameters;
    }

    String signature() {
        return signature.toString();
    }

    /** The parameters packed into one block with ABI alignment (the emulated device's wire format). */
    byte[] packed() {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < parameters.size(); i++) {
            b.position(align(b.position(), alignments.get(i)));
            b.put(parameters.get(i));
        }
        return b.array();
    }

    int size() {
        return size;
    }
}
