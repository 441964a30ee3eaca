package org.distill4j.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Looks for the NVIDIA driver's library (libcuda.so.1, nvcuda.dll) where the dynamic linker
 * would, before JCuda is touched: on most machines there is no GPU, and "libcuda.so.1 not found"
 * says so better than JCuda's UnsatisfiedLinkError, without unpacking its natives first.
 */
final class DriverLibrary {
    static final String LINUX = "libcuda.so.1";
    static final String WINDOWS = "nvcuda.dll";

    /** Where glibc's loader and the usual driver installs (distributions, WSL, NVIDIA's container toolkit) put it. */
    private static final List<String> LINUX_DIRECTORIES = List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64",
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/usr/lib/wsl/lib", "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib");

    private DriverLibrary() {
    }

    /** Why the driver library cannot be found here, or empty when it can. */
    static Optional<String> missing() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac") || os.contains("darwin")) {
            return Optional.of("there is no CUDA driver for macOS");
        }
        if (os.contains("win")) {
            String root = System.getenv().getOrDefault("SystemRoot", "C:\\Windows");
            return Files.isRegularFile(Path.of(root, "System32", WINDOWS)) ? Optional.empty()
                    : Optional.of(WINDOWS + " not found");
        }
        return missingOnLinux(System.getenv("LD_LIBRARY_PATH"), Path.of("/etc/ld.so.cache"), LINUX_DIRECTORIES);
    }

    /** The Linux search: LD_LIBRARY_PATH, then the loader's cache (ldconfig), then the usual directories. */
    static Optional<String> missingOnLinux(String ldLibraryPath, Path cache, List<String> directories) {
        List<String> dirs = new ArrayList<>();
        if (ldLibraryPath != null) {
            for (String d : ldLibraryPath.split(":")) {
                if (!d.isEmpty()) {
                    dirs.add(d);
                }
            }
        }
        dirs.addAll(directories);
        for (String d : dirs) {
            if (Files.exists(Path.of(d, LINUX))) {
                return Optional.empty();
            }
        }
        if (cacheNames(cache)) {
            return Optional.empty();
        }
        return Optional.of(LINUX + " not found");
    }

    /** True when ldconfig's cache lists the library (it stores the names as plain strings). */
    private static boolean cacheNames(Path cache) {
        try {
            if (!Files.isRegularFile(cache)) {
                return false;
            }
            return new String(Files.readAllBytes(cache), StandardCharsets.ISO_8859_1).contains(LINUX);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
