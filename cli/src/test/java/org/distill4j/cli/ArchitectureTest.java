package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN: "Nothing outside {@code kernels/} (and {@code bench/}) imports the CPU backend's
 * internals". Scans the main sources of every module of the checkout (this test runs in
 * {@code cli/}, whose parent is the project root) for {@code org.distill4j.kernels.cpu}, as an
 * import or a qualified name. Tests are not scanned: the cuda module's tests compare against the
 * CPU twin on purpose.
 */
class ArchitectureTest {
    private static final String CPU_INTERNALS = "org.distill4j.kernels.cpu";
    /** Modules allowed to use the CPU backend's internals: the backend itself and the benchmarks of its kernels. */
    private static final List<String> ALLOWED = List.of("kernels", "bench");

    private static Path root() {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isRegularFile(root.resolve("pom.xml")) && Files.isDirectory(root.resolve("kernels")),
                "expected to run in cli/ of the project, ran in " + Path.of("").toAbsolutePath());
        return root;
    }

    /** Every {@code src/main/java} of a module (nested ones such as algorithms/coreset included), but not under target/. */
    static List<Path> mainSourceRoots(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root, 5)) {
            return s.filter(p -> p.endsWith(Path.of("src", "main", "java")) && Files.isDirectory(p))
                    .filter(p -> !root.relativize(p).toString().contains("target"))
                    .sorted().toList();
        }
    }

    /** {@code file:line: text} for each line of a main source outside the allowed modules that names the CPU internals. */
    static List<String> violations(Path root) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path src : mainSourceRoots(root)) {
            String module = root.relativize(src).getName(0).toString();
            if (ALLOWED.contains(module)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    List<String> lines = read(f);
                    for (int i = 0; i < lines.size(); i++) {
                        if (lines.get(i).contains(CPU_INTERNALS)) {
                            found.add(root.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).trim());
                        }
                    }
                }
            }
        }
        return found;
    }

    private static List<String> read(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void noMainSourceOutsideKernelsAndBenchUsesTheCpuBackendsInternals() throws IOException {
        Path root = root();
        List<Path> roots = mainSourceRoots(root);
        // The scan must see the modules it guards, or it passes by looking at nothing.
        for (String module : List.of("tensor", "autodiff", "cuda", "cli", "algorithms/learning", "algorithms/coreset",
                "algorithms/distill", "options")) {
            assertTrue(roots.contains(root.resolve(module).resolve("src/main/java")), "not scanned: " + module);
        }
        assertEquals(List.of(), violations(root),
                "only kernels/ and bench/ may use " + CPU_INTERNALS + "; use ComputeContext, ParallelFor, Backend.adopt or Devices");
    }

    @Test
    void theScanReportsAnImportOrQualifiedNameOutsideTheAllowedModules(@TempDir Path root) throws IOException {
        write(root.resolve("algorithms/coreset/src/main/java/a/Bad.java"),
                "package a;\n\nimport org.distill4j.kernels.cpu.Parallel;\n");
        write(root.resolve("cli/src/main/java/b/AlsoBad.java"),
                "package b;\nclass AlsoBad { int t = org.distill4j.kernels.cpu.VectorSupport.hashCode(); }\n");
        write(root.resolve("kernels/src/main/java/c/Fine.java"), "package c;\nimport org.distill4j.kernels.cpu.Parallel;\n");
        write(root.resolve("bench/src/main/java/d/Fine.java"), "package d;\nimport org.distill4j.kernels.cpu.Gemm;\n");
        write(root.resolve("cuda/src/test/java/e/Fine.java"), "package e;\nimport org.distill4j.kernels.cpu.CpuBackend;\n");
        assertEquals(List.of(
                "algorithms/coreset/src/main/java/a/Bad.java:3: import org.distill4j.kernels.cpu.Parallel;",
                "cli/src/main/java/b/AlsoBad.java:2: class AlsoBad { int t = org.distill4j.kernels.cpu.VectorSupport.hashCode(); }"),
                violations(root));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
