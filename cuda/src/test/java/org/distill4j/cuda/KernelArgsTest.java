package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelArgsTest {

    @Test
    void packsEachParameterAtItsAlignmentLikeTheCudaAbi() {
        // (int, double, int, struct{int x17}, pointer, float): offsets 0, 8, 16, 20, 88, 96.
        KernelArgs a = new KernelArgs().i32(7).f64(2.5).i32(-1).struct(new Layout(new int[] {3}, new int[] {1}).fields())
                .pointer(0x1234_5678_9ABCL).f32(0.5f);
        assertEquals("idis68pf", a.signature());
        assertEquals(100, a.size());
        ByteBuffer b = ByteBuffer.wrap(a.packed()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(100, b.capacity());
        assertEquals(7, b.getInt(0));
        assertEquals(2.5, b.getDouble(8));
        assertEquals(-1, b.getInt(16));
        assertEquals(1, b.getInt(20));   // Layout.rank
        assertEquals(3, b.getInt(24));   // size[0]
        assertEquals(1, b.getInt(56));   // stride[0] at 20 + 4 + 4 * MAX_RANK
        assertEquals(0x1234_5678_9ABCL, b.getLong(88));
        assertEquals(0.5f, b.getFloat(96));
    }

    @Test
    void parametersAreTheSameBytesOnePerArgument() {
        KernelArgs a = new KernelArgs().flag(true).i64(-2).real(false, 1.5).real(true, 1.5);
        List<byte[]> p = a.parameters();
        assertEquals(4, p.size());
        assertArrayEquals(new byte[] {1, 0, 0, 0}, p.get(0));
        assertEquals(-2L, ByteBuffer.wrap(p.get(1)).order(ByteOrder.LITTLE_ENDIAN).getLong());
        assertEquals(4, p.get(2).length);
        assertEquals(8, p.get(3).length);
        assertEquals("ilfd", a.signature());
        assertEquals(32, a.size());  // int at 0, long at 8, float at 16, double at 24
    }

    @Test
    void theEmulatedDeviceRefusesAMispackedLaunch() {
        EmulatedDevice d = EmulatedDevice.shared();
        long out = d.malloc(64);
        // fill_f32 takes (float*, int, float): a double where the float goes must be refused.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> d.launch("fill_f32", LaunchConfig.perElement(4), new KernelArgs().pointer(out).i32(4).f64(1.0)));
        assertTrue(e.getMessage().contains("the kernel takes (pif"), e.getMessage());
        d.launch("fill_f32", LaunchConfig.perElement(4), new KernelArgs().pointer(out).i32(4).f32(1.0f));
        float[] back = new float[4];
        d.copyOut(out, back);
        assertArrayEquals(new float[] {1, 1, 1, 1}, back);
        d.free(out);
    }
}
