package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * After the GPU tests of a run (scripts/gpu-check orders this class last), every kernel of the
 * manifest was launched at least once: the list comes from kernels.properties, which nvcc's build
 * writes, so a kernel added to a .cu file is expected here without any change to this test, and
 * the conformance tests that come with it are what launch it. Needs
 * {@code -Ddistill4j.cuda.recordLaunches=true}; writes the counts to
 * {@code $distill4j.gpucheck.out/kernels-launched-$distill4j.gpucheck.pass.txt} when the first
 * property names a folder. With {@code -Ddistill4j.gpucheck.coverageOnly=true} (the sanitizer pass,
 * which runs one test per family) it only writes them.
 */
@Tag("gpu")
@Order(Integer.MAX_VALUE)
class KernelCoverageTest {

    @Test
    void everyKernelOfTheManifestWasLaunched() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("distill4j.cuda.recordLaunches"),
                "launches are recorded only with -Ddistill4j.cuda.recordLaunches=true");
        GpuUnderTest.probed();
        KernelLibrary lib = KernelLibrary.load().orElseThrow(() -> new AssertionError("no kernel manifest in the jar"));
        Map<String, Long> launched = CheckedDevice.launches();
        TreeSet<String> never = new TreeSet<>();
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, List<String>> family : lib.kernelsByFamily().entrySet()) {
            for (String kernel : family.getValue()) {
                long n = launched.getOrDefault(kernel, 0L);
                lines.add(String.format("%-8s %-28s %d", family.getKey(), kernel, n));
                if (n == 0) {
                    never.add(kernel);
                }
            }
        }
        launched.forEach((name, n) -> {
            if (lib.kernelsByFamily().values().stream().noneMatch(k -> k.contains(name))) {
                lines.add(String.format("%-8s %-28s %d", "(other)", name, n));
            }
        });
        String out = System.getProperty("distill4j.gpucheck.out", "");
        if (!out.isEmpty()) {
            Files.createDirectories(Path.of(out));
            Files.write(Path.of(out, "kernels-launched-" + System.getProperty("distill4j.gpucheck.pass", "all") + ".txt"), lines);
        }
        System.out.println(launched.size() + " kernels launched; never launched: " + (never.isEmpty() ? "none" : never));
        if (!Boolean.getBoolean("distill4j.gpucheck.coverageOnly")) {
            assertEquals(new TreeSet<>(), never, "kernels of the manifest that no test launched");
        }
    }
}
