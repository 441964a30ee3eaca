package org.distill4j.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The compiled kernels packed in this jar: one fatbin per family of {@code src/main/cuda} and the
 * manifest {@code kernels.properties} that build-kernels.sh writes (nvcc version, targets, and the
 * kernels of each family). Absent when the module was built without nvcc.
 */
final class KernelLibrary {
    static final String DIRECTORY = "/org/distill4j/cuda/kernels/";

    private final String nvccVersion;
    private final String archs;
    private final Map<String, List<String>> kernelsByFamily = new LinkedHashMap<>();

    private KernelLibrary(Properties manifest) {
        this.nvccVersion = manifest.getProperty("nvcc.version", "");
        this.archs = manifest.getProperty("archs", "");
        for (String family : manifest.getProperty("families", "").trim().split("\\s+")) {
            if (!family.isEmpty()) {
                String names = manifest.getProperty("family." + family, "").trim();
                kernelsByFamily.put(family, names.isEmpty() ? List.of() : Arrays.asList(names.split("\\s+")));
            }
        }
        if (!nvccVersion.matches("\\d+\\.\\d+.*") || kernelsByFamily.isEmpty()) {
            throw new IllegalStateException("malformed kernel manifest " + DIRECTORY + "kernels.properties");
        }
    }

    /** The library a manifest describes (the tests make their own). */
    static KernelLibrary of(Properties manifest) {
        return new KernelLibrary(manifest);
    }

    /** The kernels in this jar, or empty when it was built without nvcc. */
    static Optional<KernelLibrary> load() {
        try (InputStream in = KernelLibrary.class.getResourceAsStream(DIRECTORY + "kernels.properties")) {
            if (in == null) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(in);
            return Optional.of(of(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel manifest", e);
        }
    }

    /** The CUDA version the kernels were compiled with, e.g. "13.0". */
    String nvccVersion() {
        return nvccVersion;
    }

    /**
     * The driver API version (cuDriverGetVersion's 1000 * major + 10 * minor) of the CUDA the
     * kernels were built with: a driver this new loads them on any GPU, also from PTX.
     */
    int requiredDriverVersion() {
        String[] parts = nvccVersion.split("\\.");
        return 1000 * Integer.parseInt(parts[0]) + 10 * Integer.parseInt(parts[1]);
    }

    /**
     * The oldest driver that loads the kernels on a GPU of compute capability {@code cc} (times
     * ten). Where the fatbins hold SASS the GPU runs, any driver of the same CUDA major version
     * does (CUDA's minor version compatibility: 13.0's binaries run on a 13.x driver); where the
     * GPU must compile the PTX, the driver's JIT must know the PTX version, so the minor counts too.
     */
    int requiredDriverVersion(int cc) {
        int full = requiredDriverVersion();
        return hasSass(cc) ? full / 1000 * 1000 : full;
    }

    /**
     * Whether the fatbins hold SASS a GPU of compute capability {@code cc} runs: SASS for sm_XY
     * runs on X.Y and on later minor revisions of the same major (sm_80 on sm_86 and sm_89).
     */
    boolean hasSass(int cc) {
        return Arrays.stream(archs.split("\\s+")).filter(a -> a.startsWith("sm_")).mapToInt(a -> Integer.parseInt(a.substring(3)))
                .anyMatch(a -> a / 10 == cc / 10 && a % 10 <= cc % 10);
    }

    /** The SASS and PTX targets, e.g. "sm_75 sm_80 ... compute_90". */
    String archs() {
        return archs;
    }

    /** The lowest compute capability with SASS, times ten (75 for sm_75). */
    int minimumComputeCapability() {
        return Arrays.stream(archs.split("\\s+")).filter(a -> a.startsWith("sm_"))
                .mapToInt(a -> Integer.parseInt(a.substring(3))).min().orElse(0);
    }

    Map<String, List<String>> kernelsByFamily() {
        return kernelsByFamily;
    }

    /** The fatbin image of one family, for cuModuleLoadData. */
    byte[] fatbin(String family) {
        try (InputStream in = KernelLibrary.class.getResourceAsStream(DIRECTORY + family + ".fatbin")) {
            if (in == null) {
                throw new IllegalStateException("kernel manifest lists " + family + " but " + family + ".fatbin is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + family + ".fatbin", e);
        }
    }
}
