package org.distill4j.cuda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.distill4j.testing.Requirements;

/**
 * Builds src/test/native/harness.cpp (every .cu file through emulation.h) with g++, once per
 * source version: the binary is named after a hash of the sources and flags and reused while they
 * do not change. AddressSanitizer and UBSan are on when the toolchain has them, so a kernel that
 * reads past a buffer fails its test instead of passing by luck.
 */
final class EmulationHarness {
    private static final List<String> FLAGS = List.of("-std=c++20", "-O1", "-g", "-pthread", "-Wall", "-Wextra",
            "-Wno-unknown-pragmas", "-Wno-unused-parameter");
    private static final List<String> SANITIZERS = List.of("-fsanitize=address,undefined", "-fno-sanitize-recover=undefined");
    private static Path binary;

    private EmulationHarness() {
    }

    /** The harness binary; skips the calling test (with the reason) when g++ is not installed, or fails it under CI. */
    static synchronized Path binary() {
        if (binary == null) {
            Requirements.assumeOrFail(gppAvailable(), "g++ not found on the PATH: the emulated-kernel tests need it");
            binary = build();
        }
        return binary;
    }

    static Path sources() {
        return Path.of(System.getProperty("distill4j.cuda.sources", "src")).toAbsolutePath();
    }

    private static Path build() {
        Path src = sources();
        Path out = Path.of(System.getProperty("distill4j.cuda.harness", "target/emulation")).toAbsolutePath();
        try {
            Files.createDirectories(out);
            Path exe = out.resolve("harness-" + hash(src));
            if (Files.isExecutable(exe)) {
                return exe;
            }
            Path tmp = Files.createTempFile(out, "harness", ".tmp");
            String log = compile(src, tmp, SANITIZERS);
            if (log != null) {
                String plain = compile(src, tmp, List.of());  // a toolchain without libasan/libubsan
                if (plain != null) {
                    throw new IllegalStateException("g++ could not build the emulation harness:\n" + plain);
                }
            }
            Files.move(tmp, exe, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return exe;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Null on success, else the compiler's output. */
    private static String compile(Path src, Path exe, List<String> extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("g++"));
        cmd.addAll(FLAGS);
        cmd.addAll(extra);
        cmd.addAll(List.of("-I", src.resolve("test/native").toString(), "-I", src.resolve("main/cuda").toString(),
                "-o", exe.toString(), src.resolve("test/native/harness.cpp").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return "g++ took more than 10 minutes";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return p.exitValue() == 0 ? null : String.join(" ", cmd) + "\n" + output;
    }

    private static boolean gppAvailable() {
        try {
            Process p = new ProcessBuilder("g++", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String hash(Path src) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.join(" ", FLAGS).getBytes(StandardCharsets.UTF_8));
            List<Path> files;
            try (Stream<Path> s = Stream.concat(Files.list(src.resolve("main/cuda")), Files.list(src.resolve("test/native")))) {
                files = s.sorted().toList();
            }
            for (Path f : files) {
                sha.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
