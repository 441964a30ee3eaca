package org.distill4j.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one vector shape of every Vector API kernel in this JVM: 512 bits on CPUs whose 512-bit FMAs
 * run at twice the 256-bit rate, else 256; {@code -Ddistill4j.vector.bits=256} or {@code 512}
 * decides instead of this machine. Only loaded when {@link VectorSupport#AVAILABLE}.
 *
 * <p><b>One shape per JVM.</b> On JDK 17, a {@code FloatVector} method reaches the vector's concrete
 * class through call sites inside {@code FloatVector} that every caller shares, and C2 compiles those
 * from their profile and trap history. A JVM that runs 256- and 512-bit kernels side by side gets
 * profiles with both classes and traps where one was expected, and C2 then compiles the kernels'
 * loads and stores to slow, allocating fallbacks. Measured on Zen 5: a 512-bit SGEMM tile beside the
 * 256-bit kernels was 3.7 GFLOPS instead of 91 in a first attempt, and after every fix at the
 * kernel's own call sites it still made instance norm's {@code VectorReduceF32.deviations} 6x
 * slower; with one shape the tile reached 185-205 GFLOPS in cache (docs/results/training/real-loop.md).
 *
 * <p><b>Which shape.</b> On Zen 4 and many Intel parts 512-bit FMAs run at the 256-bit rate and the
 * 512-bit kernels measured 10-40% slower, so 256 bits unless the CPU is known to run 512-bit FMAs at
 * twice the rate ({@link #fullRate512()}: Zen 5, 222 against 111 GFLOPS a core, training epochs
 * 1.2-1.4x faster there; an Intel Xeon with AMX, 204 against 100 GFLOPS, ConvNet-3 epochs 2-11% faster
 * and MLP and LeNet no slower once packed B sits on cache lines). Elementwise kernels and the GEMMs give the same bits at either width
 * (each element of C gets the same fused multiply-adds in the same order); sums across a vector's
 * lanes do not, so a run is reproducible bit for bit on any number of threads at one width, and
 * within rounding between the widths. Set {@code -Ddistill4j.vector.bits=256} to get the bits of a
 * 256-bit machine on a 512-bit one. A CPU whose vectors are narrower than asked for keeps its widest
 * ({@code SPECIES_PREFERRED}), with a warning.
 */
final class VectorWidth {
    /** The width asked for: {@code distill4j.vector.bits} ({@code auto} unless set), or this machine's choice. */
    static final int REQUESTED = requested();
    static final VectorSpecies<Float> F32 = choose(FloatVector.SPECIES_PREFERRED, FloatVector.SPECIES_256,
            FloatVector.SPECIES_512);
    static final VectorSpecies<Double> F64 = choose(DoubleVector.SPECIES_PREFERRED, DoubleVector.SPECIES_256,
            DoubleVector.SPECIES_512);

    private VectorWidth() {
    }

    private static int requested() {
        String bits = System.getProperty("distill4j.vector.bits", "auto");
        switch (bits) {
            case "auto":
                return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 && fullRate512() ? 512 : 256;
            case "256":
                return 256;
            case "512":
                if (FloatVector.SPECIES_PREFERRED.vectorBitSize() < 512) {
                    System.err.println("distill4j: -Ddistill4j.vector.bits=512 asked for, but this CPU's vectors are "
                            + FloatVector.SPECIES_PREFERRED.vectorBitSize() + " bits; using those");
                }
                return 512;
            default:
                throw new IllegalArgumentException("distill4j.vector.bits must be auto, 256 or 512, got " + bits);
        }
    }

    /** Whether this CPU's 512-bit FMAs run at twice the 256-bit rate ({@link CpuInfo#fullRate512}). */
    static boolean fullRate512() {
        try {
            return CpuInfo.fullRate512(java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")));
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** The requested width, or the CPU's widest when that is narrower (or under 256 bits). */
    private static <E> VectorSpecies<E> choose(VectorSpecies<E> preferred, VectorSpecies<E> s256,
                                               VectorSpecies<E> s512) {
        if (preferred.vectorBitSize() < 256) {
            return preferred;
        }
        if (REQUESTED == 512 && preferred.vectorBitSize() >= 512) {
            return s512;
        }
        return s256;
    }
}
