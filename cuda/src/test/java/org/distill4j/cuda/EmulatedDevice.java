package org.distill4j.cuda;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link Device} served by the native harness (harness.cpp explains the wire format): the real
 * kernel sources, compiled for the host and run through emulation.h. One process per JVM.
 */
final class EmulatedDevice implements Device {
    private static EmulatedDevice shared;

    private final Process process;
    private final Path stderr;
    private final DataInputStream in;
    private final OutputStream out;
    private long launches;
    /** Bytes of each live allocation, so the device can be full at {@link #totalMemory()} as a GPU would be. */
    private final Map<Long, Long> allocations = new java.util.HashMap<>();
    private long allocated;

    private EmulatedDevice(Path binary) throws IOException {
        stderr = Files.createTempFile(binary.getParent(), "harness-stderr", ".log");
        ProcessBuilder pb = new ProcessBuilder(binary.toString()).redirectError(stderr.toFile());
        pb.environment().put("ASAN_OPTIONS", "detect_leaks=0");
        process = pb.start();
        in = new DataInputStream(new BufferedInputStream(process.getInputStream()));
        out = new BufferedOutputStream(process.getOutputStream());
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    }

    /** A device of its own, for tests that may crash it on purpose; close it when done. */
    static EmulatedDevice start() {
        try {
            return new EmulatedDevice(EmulationHarness.binary());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the emulation harness", e);
        }
    }

    void close() {
        process.destroy();
    }

    /** The JVM's emulated device; skips the calling test when g++ is missing. */
    static synchronized EmulatedDevice shared() {
        Path binary = EmulationHarness.binary();
        if (shared == null || !shared.process.isAlive()) {
            try {
                shared = new EmulatedDevice(binary);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the emulation harness " + binary, e);
            }
        }
        return shared;
    }

    @Override
    public String description() {
        return "emulated device (kernels compiled with g++, run on the host)";
    }

    @Override
    public long totalMemory() {
        return 1L << 30;
    }

    @Override
    public synchronized long malloc(long bytes) {
        if (bytes > totalMemory() - allocated) {
            throw new OutOfDeviceMemoryException("emulated device out of memory allocating " + bytes + " bytes ("
                    + allocated + " of " + totalMemory() + " in use)");
        }
        request(message(9).put((byte) 'A').putLong(bytes));
        long address = reply(8).getLong();
        allocations.put(address, bytes);
        allocated += bytes;
        return address;
    }

    @Override
    public synchronized void free(long address) {
        request(message(9).put((byte) 'F').putLong(address));
        reply(0);
        Long bytes = allocations.remove(address);
        allocated -= bytes == null ? 0 : bytes;
    }

    @Override
    public synchronized void poison(long address, long bytes) {
        byte[] ones = new byte[Math.toIntExact(bytes)];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        ByteBuffer b = message(17 + ones.length).put((byte) 'W').putLong(address).putLong(bytes);
        b.put(ones);
        write(b, ones.length);
    }

    @Override
    public synchronized void zero(long address, long bytes) {
        request(message(17).put((byte) 'Z').putLong(address).putLong(bytes));
        reply(0);
    }

    @Override
    public void copyIn(long address, float[] data) {
        ByteBuffer b = message(17 + 4 * data.length).put((byte) 'W').putLong(address).putLong(4L * data.length);
        b.asFloatBuffer().put(data);
        write(b, 4 * data.length);
    }

    @Override
    public void copyIn(long address, double[] data) {
        ByteBuffer b = message(17 + 8 * data.length).put((byte) 'W').putLong(address).putLong(8L * data.length);
        b.asDoubleBuffer().put(data);
        write(b, 8 * data.length);
    }

    @Override
    public void copyIn(long address, int[] data) {
        ByteBuffer b = message(17 + 4 * data.length).put((byte) 'W').putLong(address).putLong(4L * data.length);
        b.asIntBuffer().put(data);
        write(b, 4 * data.length);
    }

    @Override
    public void copyOut(long address, float[] into) {
        read(address, 4L * into.length).asFloatBuffer().get(into);
    }

    @Override
    public void copyOut(long address, double[] into) {
        read(address, 8L * into.length).asDoubleBuffer().get(into);
    }

    @Override
    public void copyOut(long address, int[] into) {
        read(address, 4L * into.length).asIntBuffer().get(into);
    }

    @Override
    public synchronized void launch(String name, LaunchConfig c, KernelArgs args) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] s = args.signature().getBytes(StandardCharsets.US_ASCII);
        byte[] packed = args.packed();
        ByteBuffer b = message(1 + 2 + n.length + 2 + s.length + 24 + 4 + packed.length).put((byte) 'K');
        b.putShort((short) n.length).put(n).putShort((short) s.length).put(s);
        b.putInt(c.gridX()).putInt(c.gridY()).putInt(c.gridZ()).putInt(c.blockX()).putInt(c.blockY()).putInt(c.blockZ());
        b.putInt(packed.length).put(packed);
        request(b);
        reply(0);
        launches++;
    }

    @Override
    public void synchronize() {
        // Launches return when the emulated grid has finished.
    }

    synchronized long launches() {
        return launches;
    }

    /** Every kernel the harness registers, with its C++ signature. */
    synchronized Map<String, String> kernels() {
        request(message(1).put((byte) 'N'));
        try {
            expectOk();
            int count = Integer.reverseBytes(in.readInt());
            Map<String, String> kernels = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                kernels.put(string(), string());
            }
            return kernels;
        } catch (IOException e) {
            throw died(e);
        }
    }

    // ---- the wire -----------------------------------------------------------------------------

    private static ByteBuffer message(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private synchronized void write(ByteBuffer b, int dataBytes) {
        b.position(17 + dataBytes);
        request(b);
        reply(0);
    }

    private synchronized ByteBuffer read(long address, long bytes) {
        request(message(17).put((byte) 'R').putLong(address).putLong(bytes));
        return reply((int) bytes);
    }

    private void request(ByteBuffer b) {
        try {
            out.write(b.array(), 0, b.position());
            out.flush();
        } catch (IOException e) {
            throw died(e);
        }
    }

    /** Reads the status byte, then {@code bytes} of payload. */
    private ByteBuffer reply(int bytes) {
        try {
            expectOk();
            byte[] payload = new byte[bytes];
            in.readFully(payload);
            return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw died(e);
        }
    }

    private void expectOk() throws IOException {
        int status = in.readUnsignedByte();
        if (status != 0) {
            byte[] message = new byte[Integer.reverseBytes(in.readInt())];
            in.readFully(message);
            throw new IllegalStateException("emulated device: " + new String(message, StandardCharsets.UTF_8));
        }
    }

    private String string() throws IOException {
        byte[] b = new byte[Short.toUnsignedInt(Short.reverseBytes(in.readShort()))];
        in.readFully(b);
        return new String(b, StandardCharsets.US_ASCII);
    }

    private IllegalStateException died(IOException e) {
        String log;
        try {
            process.waitFor();
            log = Files.readString(stderr);
        } catch (IOException | InterruptedException x) {
            log = "(no log: " + x + ")";
        }
        String why = e instanceof EOFException ? "the emulation harness died" : "lost the emulation harness: " + e;
        return new IllegalStateException(why + " (exit " + process.exitValue() + "):\n" + log);
    }
}
