package org.distill4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.distill4j.kernels.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    /** An .npy file as NumPy would write it, for a header and raw little-endian data. */
    private static byte[] npy(String dict, byte[] data) {
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        bb.putShort((short) header.length());
        bb.put(header.getBytes(StandardCharsets.ISO_8859_1));
        bb.put(data);
        return bb.array();
    }

    @Test
    void roundTripsEveryWritableDtype() throws IOException {
        for (DType dtype : DType.values()) {
            Tensor t = Tensor.arange(DType.F64, 24).reshape(2, 3, 4).to(dtype);
            Path p = dir.resolve(dtype + ".npy");
            Npy.write(p, t);
            Tensor back = Npy.read(p);
            assertEquals(dtype, back.dtype());
            assertArrayEquals(t.shape(), back.shape());
            assertArrayEquals(t.toDoubleArray(), back.toDoubleArray());
            assertEquals(0, (Files.size(p) - (long) t.size() * dtype.bytes()) % 64, "header padded to 64 bytes");
        }
        Tensor scalar = Tensor.scalar(DType.F32, 2.5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, scalar);
        Tensor back = Npy.read(new ByteArrayInputStream(out.toByteArray()), "scalar");
        assertEquals(0, back.rank());
        assertEquals(2.5, back.item());
    }

    @Test
    void readsFortranOrderUint8AndInt64() throws IOException {
        ByteBuffer f = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : new double[]{0, 3, 1, 4, 2, 5}) {
            f.putDouble(v);
        }
        Tensor t = Npy.read(new ByteArrayInputStream(npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                f.array())), "f");
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5}, t.toDoubleArray());
        Tensor u = Npy.read(new ByteArrayInputStream(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }",
                new byte[]{0, (byte) 200, (byte) 255})), "u");
        assertArrayEquals(new int[]{0, 200, 255}, u.toIntArray());
        ByteBuffer l = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-3).putLong(7);
        Tensor i = Npy.read(new ByteArrayInputStream(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }",
                l.array())), "i");
        assertArrayEquals(new int[]{-3, 7}, i.toIntArray());
    }

    @Test
    void rejectsCorruptFilesWithClearMessages() {
        IOException trunc = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new byte[8])), "t.npy"));
        assertTrue(trunc.getMessage().startsWith("t.npy: truncated"), trunc.getMessage());
        IOException magic = assertThrows(IOException.class,
                () -> Npy.read(new ByteArrayInputStream("hello world".getBytes(StandardCharsets.US_ASCII)), "x.npy"));
        assertTrue(magic.getMessage().contains("not an .npy file"), magic.getMessage());
        IOException dtype = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(
                npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[4])), "b.npy"));
        assertTrue(dtype.getMessage().contains("unsupported dtype '>f4'"), dtype.getMessage());
    }

    @Test
    void writeLeavesNoTemporaryFiles() throws IOException {
        Npy.write(dir.resolve("a.npy"), Tensor.ones(DType.F32, 3));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
