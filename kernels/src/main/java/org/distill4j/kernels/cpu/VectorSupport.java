package org.distill4j.kernels.cpu;

/**
 * Whether the incubating Vector API ({@code jdk.incubator.vector}) is in the boot layer. Kernels
 * keep their Vector API code in separate classes and touch them only when this is true, so a JVM
 * started without {@code --add-modules jdk.incubator.vector} runs the plain-Java paths instead of
 * failing with {@code NoClassDefFoundError}.
 */
public final class VectorSupport {
    /** Set {@code -Ddistill4j.vector=false} to force the plain-Java paths (for tests and comparisons). */
    public static final boolean AVAILABLE =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                    && Boolean.parseBoolean(System.getProperty("distill4j.vector", "true"));

    private VectorSupport() {
    }

    /** Float lanes of the kernels' vectors ({@link VectorWidth}: 8, or 16 at 512 bits), 1 without the Vector API. */
    public static int floatLanes() {
        return AVAILABLE ? VectorWidth.F32.length() : 1;
    }
}
