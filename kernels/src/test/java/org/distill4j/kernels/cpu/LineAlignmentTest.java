package org.distill4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Packed B's place in the workspace buffers (see {@link GemmWorkspace}): its first element one
 * array header past a 64-byte boundary, and buffers large enough to be humongous under G1. That
 * the products are the same wherever B starts is what {@link GemmTest} checks, through the drivers.
 */
class LineAlignmentTest {
    private static final HotSpotDiagnosticMXBean VM = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    @Test
    void packedBStartsOnACacheLine() {
        for (int bytes : new int[] {Float.BYTES, Double.BYTES}) {
            int first = LineAlignment.firstAlignedElement(bytes);
            assertEquals(0, (LineAlignment.arrayBaseBytes(bytes) + first * bytes) % LineAlignment.LINE, "element size " + bytes);
            assertTrue(first * bytes < LineAlignment.LINE, "the first such element, not a later one");
        }
        assertEquals(GemmWorkspace.floatBBase(), LineAlignment.firstAlignedElement(Float.BYTES));
        assertEquals(GemmWorkspace.doubleBBase(), LineAlignment.firstAlignedElement(Double.BYTES));
    }

    @Test
    void arrayHeaderIsThisJvms() {
        // HotSpot's default on heaps under 32 GB: compressed class pointers, 16-byte array headers.
        assumeTrue("true".equals(VM.getVMOption("UseCompressedClassPointers").getValue()));
        assertEquals(16, LineAlignment.arrayBaseBytes(Float.BYTES));
        assertEquals(12, LineAlignment.firstAlignedElement(Float.BYTES));
        assertEquals(6, LineAlignment.firstAlignedElement(Double.BYTES));
    }

    @Test
    void humongousMeansHalfAG1Region() {
        assertEquals(2 << 20, LineAlignment.humongousBytes("true", "4194304"));
        assertEquals(4 << 20, LineAlignment.humongousBytes("true", "8388608"));
        assertEquals(0, LineAlignment.humongousBytes("true", "33554432"), "not padded to 16 MB a thread");
        assertEquals(0, LineAlignment.humongousBytes("false", "4194304"), "no size helps under another collector");
        assertEquals(0, LineAlignment.humongousBytes("true", "0"));
        assertEquals(0, LineAlignment.humongousBytes("true", "a lot"));
    }

    @Test
    void bBuffersAreAtLeastHumongous() {
        // The tests' JVMs run the parallel collector (HUMONGOUS_BYTES 0); under G1 this is the size that counts.
        GemmWorkspace w = GemmWorkspace.local();
        assertTrue((long) w.floatB(10).length * Float.BYTES >= LineAlignment.HUMONGOUS_BYTES);
        assertTrue((long) w.doubleB(10).length * Double.BYTES >= LineAlignment.HUMONGOUS_BYTES);
        // Asked for more, the buffers grow past it and keep the room before packed B.
        int big = (LineAlignment.HUMONGOUS_BYTES + (4 << 20)) / Float.BYTES;
        assertTrue(w.floatB(big).length >= GemmWorkspace.floatBBase() + big);
        assertTrue(w.doubleB(big).length >= GemmWorkspace.doubleBBase() + big);
    }
}
