package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.ReduceOp;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.testing.Requirements;
import org.junit.jupiter.api.Test;

/** The fatbins nvcc built, the kernels the harness emulates, and the op codes the host passes agree. */
class KernelManifestTest {
    /** The first word of a fatbin file (fatbinary.h's FATBIN_MAGIC). */
    private static final int FATBIN_MAGIC = 0xBA55ED50;

    @Test
    void everyFamilyHasAFatbinForEveryTarget() {
        KernelLibrary lib = KernelLibrary.load().orElse(null);
        Requirements.assumeOrFail(lib != null, "built without nvcc: there are no fatbins to check");
        assertEquals("sm_75 sm_80 sm_86 sm_89 sm_90 compute_90", lib.archs());
        assertEquals(75, lib.minimumComputeCapability());
        assertTrue(lib.requiredDriverVersion() >= 12000, lib.nvccVersion());
        for (String family : lib.kernelsByFamily().keySet()) {
            byte[] image = lib.fatbin(family);
            assertEquals(FATBIN_MAGIC, ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(), family);
            assertTrue(Files.exists(EmulationHarness.sources().resolve("main/cuda/" + family + ".cu")), family);
        }
    }

    @Test
    void theHarnessEmulatesExactlyTheKernelsNvccBuilt() {
        KernelLibrary lib = KernelLibrary.load().orElse(null);
        Requirements.assumeOrFail(lib != null, "built without nvcc: no manifest to compare with");
        TreeSet<String> built = new TreeSet<>();
        lib.kernelsByFamily().values().forEach(built::addAll);
        Map<String, String> emulated = EmulatedDevice.shared().kernels();
        TreeSet<String> kernels = new TreeSet<>(emulated.keySet());
        kernels.removeIf(name -> name.startsWith("selftest_"));  // the emulation's own checks
        assertEquals(built, kernels);
        assertEquals(70, built.size());
    }

    @Test
    void opCodesAreTheJavaEnumsInOrder() throws IOException {
        Path cuda = EmulationHarness.sources().resolve("main/cuda");
        assertEquals(names(UnaryOp.values()), codes(cuda.resolve("elementwise.cu"), "UnaryCode", "UNARY_"));
        assertEquals(names(BinaryOp.values()), codes(cuda.resolve("elementwise.cu"), "BinaryCode", "BINARY_"));
        assertEquals(names(ReduceOp.values()), codes(cuda.resolve("reduce.cu"), "ReduceCode", "REDUCE_"));
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    /** The constants of {@code enum name { PREFIX_A, PREFIX_B, ... }}, prefix removed. */
    private static List<String> codes(Path file, String name, String prefix) throws IOException {
        Matcher m = Pattern.compile("enum " + name + "\\s*\\{([^}]*)}").matcher(Files.readString(file));
        assertTrue(m.find(), "enum " + name + " in " + file);
        List<String> out = new ArrayList<>();
        for (String c : m.group(1).split(",")) {
            out.add(c.trim().substring(prefix.length()));
        }
        return out;
    }
}
