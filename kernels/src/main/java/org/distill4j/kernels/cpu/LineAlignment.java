package org.distill4j.kernels.cpu;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;

/**
 * How to get a primitive array's elements onto 64-byte cache-line boundaries without reading
 * addresses (see {@link GemmWorkspace}). G1 places an object of at least half a heap region as a
 * humongous object, at the start of a region, and never moves it; its elements then start one
 * array header past that boundary, so element {@link #firstAlignedElement} is the first one on a
 * line. Both facts come from the running JVM's options; where they cannot be read (another VM, no
 * management module) the answers are those of HotSpot's defaults, and a wrong answer only costs
 * the speed-up, never a result.
 */
final class LineAlignment {
    /** A cache line, in bytes. */
    static final int LINE = 64;
    /** The largest G1 region for which the B buffers are padded to half a region. */
    static final long MAX_REGION = 8 << 20;
    /**
     * Arrays at least this large start on a G1 region boundary: half a region (regions are 1 to 32
     * MB, so 0.5 to 16 MB). 0 under another collector, where no size helps, and where regions are
     * over 8 MB (heaps of tens of gigabytes): a buffer per GEMM-calling thread padded to 8 or 16 MB would
     * cost more memory than the products' own packing (at most 4 MB), so they go unaligned there.
     */
    static final int HUMONGOUS_BYTES = humongousBytes();

    private LineAlignment() {
    }

    /** The index of the first element on a 64-byte boundary in a humongous array of {@code elementBytes} elements. */
    static int firstAlignedElement(int elementBytes) {
        int base = arrayBaseBytes(elementBytes);
        return ((LINE - base % LINE) % LINE) / elementBytes;
    }

    private static int humongousBytes() {
        return humongousBytes(option("UseG1GC", "false"), option("G1HeapRegionSize", "0"));
    }

    /** Half a G1 region, from the values of the JVM options {@code UseG1GC} and {@code G1HeapRegionSize}; else 0. */
    static int humongousBytes(String useG1, String regionBytes) {
        if (!"true".equals(useG1)) {
            return 0;
        }
        try {
            long region = Long.parseLong(regionBytes);
            // Half a region of elements: with the header, the object is over half a region.
            return region > 0 && region <= MAX_REGION ? (int) (region / 2) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Bytes from an array's start to its first element in HotSpot: 16 with compressed class pointers
     * (the default: mark word, class pointer, length); without them 24, or from JDK 22 on, where
     * elements are no longer padded to 8 bytes, 20 for 4-byte elements; with JDK 24's compact object
     * headers 12, or 16 for 8-byte elements.
     */
    static int arrayBaseBytes(int elementBytes) {
        if ("true".equals(option("UseCompactObjectHeaders", "false"))) {
            return elementBytes >= 8 ? 16 : 12;
        }
        if ("false".equals(option("UseCompressedClassPointers", "true"))) {
            return Runtime.version().feature() >= 22 && elementBytes < 8 ? 20 : 24;
        }
        return 16;
    }

    private static String option(String name, String otherwise) {
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            VMOption o = bean == null ? null : bean.getVMOption(name);
            return o == null ? otherwise : o.getValue();
        } catch (RuntimeException | LinkageError e) {
            return otherwise;
        }
    }
}
