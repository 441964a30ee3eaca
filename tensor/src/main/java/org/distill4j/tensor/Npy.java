package org.distill4j.tensor;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distill4j.kernels.DType;

/**
 * NumPy's {@code .npy} format, versions 1 and 2 (https://numpy.org/neps/nep-0001-npy-format.html).
 * Reads little-endian {@code f4}, {@code f8}, {@code i4}, {@code i8} and {@code u1} arrays in C or
 * Fortran order (floats keep their dtype, integers become I32); writes F32, F64 and I32 tensors.
 * Writes go to a temporary file that is renamed, so a reader never sees half a file.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    /** NumPy itself refuses headers over 10,000 bytes unless told otherwise; ours are 118. */
    private static final int MAX_HEADER_BYTES = 1 << 20;
    private static final int MAX_RANK = 64;

    private Npy() {
    }

    public static Tensor read(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString(), Files.size(path));
        }
    }

    /** Reads one array; {@code name} appears in error messages. */
    public static Tensor read(InputStream raw, String name) throws IOException {
        return read(raw, name, -1);
    }

    /**
     * Every fault is an IOException of one line that starts with {@code name}. Nothing is allocated
     * for the data before the file is known to hold it: {@code fileLength} (-1 when unknown) is
     * checked against the header's shape, and a stream of unknown length is read in chunks, so a
     * 100-byte file whose header claims 2^29 floats costs 100 bytes.
     */
    private static Tensor read(InputStream raw, String name, long fileLength) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] magic = in.readNBytes(6);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException(name + ": not an .npy file (" + (magic.length < 6 ? "shorter than its magic string"
                    : "bad magic string") + ")");
        }
        int major;
        long headerLength;
        try {
            major = in.readUnsignedByte();
            in.readUnsignedByte();
            if (major == 1) {
                headerLength = in.readUnsignedByte() | in.readUnsignedByte() << 8;
            } else if (major == 2 || major == 3) {
                headerLength = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            } else {
                throw new IOException(name + ": unsupported .npy version " + major + " (expected 1, 2 or 3)");
            }
        } catch (EOFException e) {
            throw new IOException(name + ": truncated .npy header");
        }
        long headerStart = major == 1 ? 10 : 12;
        if (headerLength > MAX_HEADER_BYTES) {
            throw new IOException(name + ": .npy header of " + headerLength + " bytes, more than " + MAX_HEADER_BYTES);
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw new IOException(name + ": truncated .npy header (" + headerBytes.length + " of " + headerLength + " bytes)");
        }
        String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
        String descr = find(DESCR, header, name, "descr");
        boolean fortran = find(FORTRAN, header, name, "fortran_order").equals("True");
        int[] shape = parseShape(find(SHAPE, header, name, "shape"), name);
        int width = switch (descr) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            case "|u1", "<u1", "|i1" -> 1;
            default -> throw new IOException(name + ": unsupported dtype '" + printable(descr)
                    + "' (expected <f4, <f8, <i4, <i8 or |u1)");
        };
        long elements = 1;
        for (int d : shape) {
            // Every dimension is below 2^31 and the product stops at 2^31, so this never overflows.
            elements = Math.min(elements * d, 1L << 31);
        }
        long dataBytes = elements * width;
        if (elements > Integer.MAX_VALUE || dataBytes > Integer.MAX_VALUE - 8) {
            throw new IOException(name + ": shape " + Shape.str(shape) + " of " + descr + " is too large to read (more than "
                    + Integer.MAX_VALUE + " elements or bytes)");
        }
        if (fileLength >= 0 && fileLength != headerStart + headerLength + dataBytes) {
            long found = fileLength - headerStart - headerLength;
            throw new IOException(name + ": " + (found < dataBytes ? "truncated" : "too long") + ", expected " + dataBytes
                    + " bytes of data for shape " + Shape.str(shape) + " of " + descr + ", found " + found);
        }
        int n = (int) elements;
        byte[] data;
        if (fileLength >= 0) {
            data = new byte[(int) dataBytes];
            try {
                in.readFully(data);
            } catch (EOFException e) {
                throw new IOException(name + ": truncated while reading (it shrank?), expected " + dataBytes + " bytes of data");
            }
        } else {
            data = in.readNBytes((int) dataBytes);
        }
        if (data.length < dataBytes) {
            throw new IOException(name + ": truncated, expected " + dataBytes + " bytes of data for shape "
                    + Shape.str(shape) + ", found " + data.length);
        }
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int[] storedShape = fortran ? reversed(shape) : shape;
        Tensor t = switch (descr) {
            case "<f4" -> {
                float[] v = new float[n];
                bb.asFloatBuffer().get(v);
                yield Tensor.fromFloats(v, storedShape);
            }
            case "<f8" -> {
                double[] v = new double[n];
                bb.asDoubleBuffer().get(v);
                yield Tensor.fromDoubles(v, storedShape);
            }
            case "<i4" -> {
                int[] v = new int[n];
                bb.asIntBuffer().get(v);
                yield Tensor.fromInts(v, storedShape);
            }
            case "<i8" -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    long x = bb.getLong();
                    if (x != (int) x) {
                        throw new IOException(name + ": int64 value " + x + " at element " + i + " does not fit in int32");
                    }
                    v[i] = (int) x;
                }
                yield Tensor.fromInts(v, storedShape);
            }
            case "|i1" -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data[i];
                }
                yield Tensor.fromInts(v, storedShape);
            }
            default -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data[i] & 0xFF;
                }
                yield Tensor.fromInts(v, storedShape);
            }
        };
        return fortran ? t.permute(reverseOrder(shape.length)).contiguous() : t;
    }

    /**
     * Writes {@code t} to the file {@code path}, creating or truncating it. This is the format's
     * encoder, not a safe save: outputs a user keeps are written all-or-nothing by the library's
     * output layer ({@code org.distill4j.io.Output} and {@code AtomicFile}), which calls
     * {@link #write(OutputStream, Tensor)} or writes inside a folder being built aside.
     */
    public static void write(Path path, Tensor t) throws IOException {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(path), 1 << 16)) {
            write(out, t);
        }
    }

    public static void write(OutputStream out, Tensor t) throws IOException {
        String descr = switch (t.dtype()) {
            case F32 -> "<f4";
            case F64 -> "<f8";
            case I32 -> "<i4";
        };
        int[] shape = t.shape();
        StringBuilder dims = new StringBuilder();
        for (int s : shape) {
            dims.append(s).append(", ");
        }
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        // Pad with spaces so that magic + version + length + header is a multiple of 64, ending in '\n'.
        int unpadded = 6 + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(MAGIC);
        head.write(1);
        head.write(0);
        head.write(header.length() & 0xFF);
        head.write(header.length() >>> 8);
        head.write(header.getBytes(StandardCharsets.ISO_8859_1));
        out.write(head.toByteArray());
        int n = t.size();
        ByteBuffer bb = ByteBuffer.allocate(n * t.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case F32 -> bb.asFloatBuffer().put(t.toFloatArray());
            case F64 -> bb.asDoubleBuffer().put(t.toDoubleArray());
            case I32 -> bb.asIntBuffer().put(t.toIntArray());
        }
        out.write(bb.array());
    }

    private static String find(Pattern p, String header, String name, String key) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(name + ": .npy header has no '" + key + "': " + printable(header.trim()));
        }
        return m.group(1);
    }

    /** "(3, 4)", "(3,)", "()"; numbers may carry Python 2's "L". */
    private static int[] parseShape(String text, String name) throws IOException {
        String[] parts = text.split(",", -1);
        int[] shape = new int[parts.length];
        int count = 0;
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i].trim();
            if (s.isEmpty() && i == parts.length - 1 && (i > 0 || parts.length == 1)) {
                continue;
            }
            String digits = s.endsWith("L") ? s.substring(0, s.length() - 1) : s;
            int d;
            try {
                d = Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                d = -1;
            }
            if (d < 0 || digits.startsWith("+")) {
                throw new IOException(name + ": bad shape (" + printable(text) + ") in .npy header (expected sizes from 0 to "
                        + Integer.MAX_VALUE + ")");
            }
            shape[count++] = d;
        }
        if (count > MAX_RANK) {
            throw new IOException(name + ": shape of rank " + count + " in .npy header (NumPy allows at most " + MAX_RANK + ")");
        }
        return java.util.Arrays.copyOf(shape, count);
    }

    /** At most 80 characters of header text, control characters as U+XXXX, so that a message stays one line. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(80, s.length()); i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("U+%04X", (int) c));
        }
        return s.length() > 80 ? sb + "..." : sb.toString();
    }

    private static int[] reversed(int[] shape) {
        int[] r = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            r[i] = shape[shape.length - 1 - i];
        }
        return r;
    }

    private static int[] reverseOrder(int rank) {
        int[] r = new int[rank];
        for (int i = 0; i < rank; i++) {
            r[i] = rank - 1 - i;
        }
        return r;
    }
}
