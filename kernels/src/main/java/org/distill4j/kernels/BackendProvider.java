package org.distill4j.kernels;

/**
 * A device the program can run on, found at run time through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.distill4j.kernels.BackendProvider}). The CPU backend registers
 * one in this module; the CUDA backend registers one in {@code distill4j-cuda}. {@link Devices}
 * picks among them.
 */
public interface BackendProvider {

    /** The name users type after {@code --device}: "cpu", "cuda". */
    String name();

    /**
     * Whether {@link #create()} will succeed here, and if not, why, in one line (for example
     * {@code CUDA unavailable: libcuda.so.1 not found}). Never throws, whatever is missing on the
     * machine; may be slow the first time (it can start a device) and is cheap afterwards.
     */
    Availability availability();

    /**
     * The backend. Providers return one shared instance: a device context is expensive.
     *
     * @throws IllegalStateException with the one-line reason when the provider is not available
     */
    Backend create();

    /** The answer of {@link #availability()}: available, or a one-line reason it is not. */
    record Availability(boolean available, String reason) {

        public Availability {
            if (!available && (reason == null || reason.isBlank())) {
                throw new IllegalArgumentException("an unavailable provider must say why");
            }
            if (reason != null && reason.contains("\n")) {
                throw new IllegalArgumentException("the reason must be one line, got: " + reason);
            }
        }

        public static Availability yes() {
            return new Availability(true, "");
        }

        public static Availability no(String reason) {
            return new Availability(false, reason);
        }
    }
}
