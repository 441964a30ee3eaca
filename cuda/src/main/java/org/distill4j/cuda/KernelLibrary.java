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

    /** The kernels in this jar, or empty when it was built without nvcc. */
    static Optional<KernelLibrary> load() {
        try (InputStream in = KernelLibrary.class.getResourceAsStream(DIRECTORY + "kernels.properties")) {
            if (in == null) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(in);
            return Optional.of(new KernelLibrary(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel manifest", e);
        }
    }

    /** The CUDA version the kernels were compiled with, e.g. "13.0". */
    String nvccVersion() {
        return nvccVersion;
    }

    /** The lowest driver API version (cuDriverGetVersion's 1000 * major + 10 * minor) that loads them. */
    int requiredDriverVersion() {
        String[] parts = nvccVersion.split("\\.");
        return 1000 * Integer.parseInt(parts[0]) + 10 * Integer.parseInt(parts[1]);
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
