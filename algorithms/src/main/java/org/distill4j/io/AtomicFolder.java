package org.distill4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a folder of outputs so that a reader sees the old folder or the complete new one, never
 * half of it: everything goes to a hidden sibling, which then replaces the target by renames.
 */
public final class AtomicFolder {
    /** What writes the files, into the folder it is given. */
    @FunctionalInterface
    public interface Writer {
        void write(Path folder) throws IOException;
    }

    private AtomicFolder() {
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".partial-");
        Path old = parent.resolve("." + abs.getFileName() + ".old-" + ProcessHandle.current().pid());
        try {
            writer.write(tmp);
            if (Files.exists(abs)) {
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            deleteRecursively(old);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(tmp);
            if (Files.exists(old) && !Files.exists(abs)) {
                Files.move(old, abs, StandardCopyOption.ATOMIC_MOVE);
            }
            throw e;
        }
    }

    /** Writes a single text file via a temporary sibling and an atomic rename. */
    public static void writeString(Path target, String content) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, content);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
