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

    private Npy() {
    }

    public static Tensor read(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString());
        }
    }

    /** Reads one array; {@code name} appears in error messages. */
    public static Tensor read(InputStream raw, String name) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        byte[] magic = new byte[6];
        try {
            in.readFully(magic);
        } catch (EOFException e) {
            throw new IOException(name + ": not an .npy file (shorter than its magic string)");
        }
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException(name + ": not an .npy file (bad magic string)");
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        int headerLength;
        if (major == 1) {
            headerLength = in.readUnsignedByte() | in.readUnsignedByte() << 8;
        } else if (major == 2 || major == 3) {
            headerLength = Integer.reverseBytes(in.readInt());
        } else {
            throw new IOException(name + ": unsupported .npy version " + major);
        }
        byte[] headerBytes = new byte[headerLength];
        in.readFully(headerBytes);
        String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
        String descr = find(DESCR, header, name, "descr");
        boolean fortran = find(FORTRAN, header, name, "fortran_order").equals("True");
        int[] shape = parseShape(find(SHAPE, header, name, "shape"), name);
        int n = Shape.size(shape);
        int width = switch (descr) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            case "|u1", "<u1", "|i1" -> 1;
            default -> throw new IOException(name + ": unsupported dtype '" + descr
                    + "' (expected <f4, <f8, <i4, <i8 or |u1)");
        };
        byte[] data = new byte[Math.multiplyExact(n, width)];
        try {
            in.readFully(data);
        } catch (EOFException e) {
            throw new IOException(name + ": truncated, expected " + data.length + " bytes of data for shape "
                    + Shape.str(shape));
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
            throw new IOException(name + ": .npy header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static int[] parseShape(String text, String name) throws IOException {
        String[] parts = text.split(",");
        int count = 0;
        int[] shape = new int[parts.length];
        for (String p : parts) {
            String s = p.trim();
            if (s.isEmpty()) {
                continue;
            }
            try {
                shape[count++] = Integer.parseInt(s.replace("L", ""));
            } catch (NumberFormatException e) {
                throw new IOException(name + ": bad shape (" + text + ") in .npy header");
            }
        }
        return java.util.Arrays.copyOf(shape, count);
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
