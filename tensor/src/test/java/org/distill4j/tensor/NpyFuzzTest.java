package org.distill4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.distill4j.kernels.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken .npy files (every truncation, seeded byte damage, absurd headers) end in one IOException of
 * one line that names the file, or read as a valid tensor; never anything else, and a header that
 * claims more data than the file has allocates nothing.
 */
class NpyFuzzTest {
    @TempDir
    Path dir;

    private static byte[] valid() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, Tensor.arange(DType.F64, 24).reshape(2, 3, 4).to(DType.F32));
        return out.toByteArray();
    }

    /** A version-1 file with {@code dict} as its header and {@code data} after it. */
    private static byte[] npy(String dict, byte[] data) {
        String header = dict + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        bb.putShort((short) header.length());
        bb.put(header.getBytes(StandardCharsets.ISO_8859_1));
        bb.put(data);
        return bb.array();
    }

    /** Reads {@code bytes} both from a file and from a stream; true when accepted, false after a clean one-line refusal. */
    private boolean readBothWays(byte[] bytes, String how) throws IOException {
        Path f = dir.resolve("x.npy");
        Files.write(f, bytes);
        boolean fromFile = cleanly(() -> Npy.read(f), f.toString(), how);
        boolean fromStream = cleanly(() -> Npy.read(new ByteArrayInputStream(bytes), "s.npy"), "s.npy", how);
        return fromFile && fromStream;
    }

    private interface Read {
        Tensor read() throws IOException;
    }

    private static boolean cleanly(Read r, String name, String how) {
        try {
            Tensor t = r.read();
            assertEquals(t.size(), Shape.size(t.shape()), how);
            return true;
        } catch (IOException e) {
            String m = e.getMessage();
            assertTrue(m != null && m.startsWith(name + ": "), how + ": " + m);
            assertFalse(m.contains("\n") || m.contains("\r"), how + ": message of several lines: " + m);
            return false;
        } catch (Throwable t) {
            fail(how + ": " + t, t);
            return false;
        }
    }

    @Test
    void everyTruncationIsRefused() throws IOException {
        byte[] full = valid();
        for (int cut = 0; cut < full.length; cut++) {
            assertFalse(readBothWays(Arrays.copyOf(full, cut), "truncated to " + cut), "truncated to " + cut + " accepted");
        }
        assertTrue(readBothWays(full, "the whole file"));
        IOException e = assertThrows(IOException.class, () -> {
            Path f = Files.write(dir.resolve("long.npy"), Arrays.copyOf(full, full.length + 3));
            Npy.read(f);
        });
        assertTrue(e.getMessage().contains("too long, expected 96 bytes of data for shape [2, 3, 4] of <f4, found 99"),
                e.getMessage());
    }

    @Test
    void randomDamageIsReadOrRefusedInOneLine() throws IOException {
        byte[] full = valid();
        SplittableRandom rng = new SplittableRandom(15);
        int accepted = 0;
        int tries = 1_500;
        for (int k = 0; k < tries; k++) {
            byte[] b = full.clone();
            String how;
            if (k % 3 == 0) {
                int at = rng.nextInt(b.length);
                b[at] ^= (byte) (1 << rng.nextInt(8));
                how = "bit flipped at " + at;
            } else if (k % 3 == 1) {
                // Damage inside the header, where the parsing is.
                int at = rng.nextInt(10 + 118);
                b[at] = (byte) rng.nextInt(256);
                how = "header byte " + at + " set to " + (b[at] & 0xFF);
            } else {
                b = new byte[rng.nextInt(200)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) rng.nextInt(256);
                }
                if (rng.nextBoolean() && b.length >= 8) {
                    System.arraycopy(full, 0, b, 0, 8);
                }
                how = b.length + " random bytes";
            }
            if (readBothWays(b, how)) {
                accepted++;
            }
        }
        // Flipped data bits leave a valid file with other numbers: the fuzzing reaches the whole reader.
        assertTrue(accepted > tries / 10 && accepted < tries / 2, accepted + " of " + tries + " accepted");
    }

    @Test
    void absurdHeadersAllocateNothingAndSayWhy() throws IOException {
        String[][] cases = {
                {"{'descr': '<f4', 'fortran_order': False, 'shape': (2147483647, 2147483647), }", "too large to read"},
                {"{'descr': '<f8', 'fortran_order': False, 'shape': (100000000,), }", "truncated, expected 800000000"},
                {"{'descr': '<f4', 'fortran_order': False, 'shape': (536870909,), }", "truncated, expected 2147483636 bytes"},
                {"{'descr': '<f4', 'fortran_order': False, 'shape': (2147483648,), }", "bad shape (2147483648,)"},
                {"{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 4), }", "bad shape (-1, 4)"},
                {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,,4), }", "bad shape (3,,4)"},
                {"{'descr': '<f4', 'fortran_order': False, 'shape': (,), }", "bad shape (,)"},
                {"{'descr': '<f4', 'fortran_order': False, 'shape': (1e3,), }", "bad shape (1e3,)"},
                {"{'descr': '<f4', 'fortran_order': False, 'shape': (" + "1, ".repeat(65) + "), }", "rank 65"},
                {"{'descr': '<f4', 'fortran_order': False, }", "has no 'shape'"},
                {"{'descr': '<f4', 'shape': (1,), }", "has no 'fortran_order'"},
                {"{'fortran_order': False, 'shape': (1,), }", "has no 'descr'"},
                {"{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", "unsupported dtype '<c16'"},
                {"{'descr': '<f4\u0001\n', 'fortran_order': False, 'shape': (1,), }", "unsupported dtype '<f4U+0001U+000A'"},
                {"\n\nx\u0000garbage", "has no 'descr': xU+0000garbage"},
        };
        for (String[] c : cases) {
            byte[] b = npy(c[0], new byte[16]);
            Path f = Files.write(dir.resolve("absurd.npy"), b);
            IOException e = assertThrows(IOException.class, () -> Npy.read(f), c[0]);
            assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            IOException s = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(b), "s.npy"), c[0]);
            assertFalse(s.getMessage().contains("\n"), s.getMessage());
        }
        // A version-2 header length of 4 GiB, and one of 2 MiB: refused before reading it.
        for (int len : new int[]{-1, 2 << 20}) {
            ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(len).putInt(0);
            IOException e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(b.array()), "v2.npy"));
            assertTrue(e.getMessage().contains("more than 1048576"), e.getMessage());
        }
        IOException e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(
                new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 7, 0}), "v7.npy"));
        assertEquals("v7.npy: unsupported .npy version 7 (expected 1, 2 or 3)", e.getMessage());
        e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(
                new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1}), "cut.npy"));
        assertEquals("cut.npy: truncated .npy header", e.getMessage());
    }
}
