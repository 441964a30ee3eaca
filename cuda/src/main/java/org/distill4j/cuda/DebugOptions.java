package org.distill4j.cuda;

/**
 * Switches for checking the CUDA backend on a new machine (scripts/gpu-check sets them); all off
 * by default, and read when a backend is made.
 *
 * <ul>
 *   <li>{@code -Ddistill4j.cuda.syncEachLaunch=true}: wait for every kernel and cuBLAS call as it
 *       is queued, so that a fault is reported at the launch that caused it, naming the kernel,
 *       instead of at a later download under the name of the copy. Slow.</li>
 *   <li>{@code -Ddistill4j.cuda.recordLaunches=true}: count the launches of each kernel, JVM-wide
 *       ({@link CheckedDevice#launches()}), so that a test run can show every kernel ran.</li>
 *   <li>{@code -Ddistill4j.cuda.exactAlloc=true}: every buffer gets a device allocation of exactly
 *       its size (no size classes, whose padding hides small overruns from compute-sanitizer and
 *       AddressSanitizer), filled with 0xFF bytes before use (NaN as a float or double, -1 as an
 *       int), so a kernel that reads what nobody wrote shows it.</li>
 * </ul>
 */
record DebugOptions(boolean syncEachLaunch, boolean recordLaunches, boolean exactAlloc) {
    static final DebugOptions NONE = new DebugOptions(false, false, false);

    /** The switches as the system properties set them now. */
    static DebugOptions fromSystemProperties() {
        return new DebugOptions(Boolean.getBoolean("distill4j.cuda.syncEachLaunch"),
                Boolean.getBoolean("distill4j.cuda.recordLaunches"), Boolean.getBoolean("distill4j.cuda.exactAlloc"));
    }

    /** Whether launches go through a {@link CheckedDevice}. */
    boolean checksLaunches() {
        return syncEachLaunch || recordLaunches;
    }

    @Override
    public String toString() {
        if (!syncEachLaunch && !recordLaunches && !exactAlloc) {
            return "no debug options";
        }
        StringBuilder s = new StringBuilder();
        if (syncEachLaunch) {
            s.append("sync after each launch");
        }
        if (recordLaunches) {
            s.append(s.length() > 0 ? ", " : "").append("launches recorded");
        }
        if (exactAlloc) {
            s.append(s.length() > 0 ? ", " : "").append("exact-size NaN-filled buffers");
        }
        return s.toString();
    }
}
