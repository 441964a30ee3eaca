package org.distill4j.kernels;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.distill4j.kernels.cpu.CpuBackend;
import org.distill4j.kernels.cpu.VectorSupport;

/**
 * Turns a device name ({@code --device auto|cpu|cuda}) into a {@link Backend}.
 *
 * <ul>
 *   <li>{@code cpu}: the CPU backend.</li>
 *   <li>{@code cuda}: the CUDA backend, or an {@link IllegalArgumentException} whose message is
 *       the one-line reason it cannot run here ({@code CUDA unavailable: libcuda.so.1 not found}).</li>
 *   <li>{@code auto}: CUDA when it is available, else the CPU, with the reason in
 *       {@link Resolution#note()} for the caller to show.</li>
 * </ul>
 * Nothing a missing driver or native library throws gets past this class.
 */
public final class Devices {
    /** The names {@link #resolve} accepts. */
    public static final List<String> NAMES = List.of("auto", "cpu", "cuda");

    private Devices() {
    }

    /**
     * The chosen backend, and a one-line note for the user: empty when there is nothing to say,
     * the reason CUDA was not chosen when {@code auto} fell back to the CPU.
     */
    public record Resolution(Backend backend, String note) {
    }

    public static Resolution resolve(String name) {
        String device = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (device) {
            case "cpu":
                return new Resolution(CpuBackend.get(), "");
            case "cuda": {
                Attempt cuda = attempt("cuda");
                if (cuda.backend == null) {
                    throw new IllegalArgumentException(cuda.reason);
                }
                return new Resolution(cuda.backend, "");
            }
            case "auto": {
                Attempt cuda = attempt("cuda");
                return cuda.backend != null ? new Resolution(cuda.backend, "") : new Resolution(CpuBackend.get(), cuda.reason);
            }
            default:
                throw new IllegalArgumentException("unknown device '" + name + "': expected one of " + String.join(", ", NAMES));
        }
    }

    /** Whether the backend called {@code name} can run here, and if not, why; never throws. */
    public static BackendProvider.Availability availability(String name) {
        Attempt a = find(name);
        if (a.provider == null) {
            return BackendProvider.Availability.no(a.reason);
        }
        try {
            return a.provider.availability();
        } catch (RuntimeException | LinkageError e) {
            return BackendProvider.Availability.no(unavailable(name, e));
        }
    }

    /**
     * Whether the CPU backend runs its Vector API (SIMD) kernels here: false when the JVM was
     * started without {@code --add-modules jdk.incubator.vector} or with {@code -Ddistill4j.vector=false}.
     */
    public static boolean cpuVectorApi() {
        return VectorSupport.AVAILABLE;
    }

    /** Every provider on the class path that could be loaded, in ServiceLoader order. */
    public static List<BackendProvider> providers() {
        return load(new ArrayList<>());
    }

    // ---- internals ----------------------------------------------------------------------------

    private record Attempt(BackendProvider provider, Backend backend, String reason) {
    }

    private static Attempt attempt(String name) {
        BackendProvider.Availability a = availability(name);
        if (!a.available()) {
            return new Attempt(null, null, a.reason());
        }
        try {
            return new Attempt(null, find(name).provider.create(), "");
        } catch (RuntimeException | LinkageError e) {
            return new Attempt(null, null, unavailable(name, e));
        }
    }

    private static Attempt find(String name) {
        List<String> errors = new ArrayList<>();
        for (BackendProvider p : load(errors)) {
            if (p.name().equals(name)) {
                return new Attempt(p, null, "");
            }
        }
        String what = name.toUpperCase(Locale.ROOT) + " unavailable: ";
        return new Attempt(null, null, errors.isEmpty()
                ? what + "no '" + name + "' backend on the class path (add the distill4j-" + name + " module)"
                : what + errors.get(0));
    }

    /** Instantiates the providers, collecting one line per provider that fails to load. */
    private static List<BackendProvider> load(List<String> errors) {
        List<BackendProvider> found = new ArrayList<>();
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class).iterator();
        // After an error the iterator moves on to the next provider; the bound guards against one
        // that keeps failing in the same place.
        for (int failures = 0; failures < 16; ) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                errors.add(oneLine(e.getMessage()));
                failures++;
            }
        }
        return found;
    }

    private static String unavailable(String name, Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getName() : oneLine(e.getMessage());
        String prefix = name.toUpperCase(Locale.ROOT) + " unavailable: ";
        return message.startsWith(prefix) ? message : prefix + message;
    }

    private static String oneLine(String message) {
        if (message == null || message.isBlank()) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
