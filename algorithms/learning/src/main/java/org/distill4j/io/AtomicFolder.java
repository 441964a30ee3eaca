package org.distill4j.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Writes a folder so that a reader sees the old content at the path or the complete new folder,
 * never half of it: everything goes into a hidden sibling folder, which then takes the target's
 * place by renames. The folder and its files get the permissions any new ones get (0755 and 0644
 * under the usual umask). A failure, or a JVM stopped half-way, leaves the old content and no
 * temporary folder. Only {@link Output} calls this, after checking that whatever is at the target
 * may be replaced.
 */
final class AtomicFolder {
    /** What writes the files, into the folder it is given. */
    @FunctionalInterface
    interface Writer {
        void write(Path folder) throws IOException;
    }

    private AtomicFolder() {
    }

    /** Writes the folder; {@code marker}, if not null, must have been written by {@code writer} (checked). */
    static void write(Path target, OutputKind.Folder marker, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path tmp;
        try {
            Files.createDirectories(abs.getParent());
            tmp = Siblings.temporary(abs);
            Files.createDirectory(tmp);
        } catch (IOException e) {
            throw IoReasons.cannotWrite(target, e);
        }
        PendingOutputs.add(tmp);
        try {
            try {
                writer.write(tmp);
            } catch (IOException e) {
                throw IoReasons.cannotWrite(target, e);
            }
            try {
                forceToDisk(tmp);
            } catch (IOException e) {
                throw IoReasons.cannotWrite(target, e);
            }
            if (marker != null && !marker.recognizes(tmp)) {
                throw new IllegalStateException("the writer of " + marker.description() + " wrote no " + marker.marker()
                        + " with \"kind\": \"" + marker.id() + "\"");
            }
            replace(target, abs, tmp);
        } finally {
            AtomicFile.deleteQuietly(tmp);
            PendingOutputs.done(tmp);
        }
    }

    /** Forces every file's bytes to the disk before the rename makes them the output (a crash then leaves whole files). */
    private static void forceToDisk(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.filter(q -> Files.isRegularFile(q, LinkOption.NOFOLLOW_LINKS)).toList()) {
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                    ch.force(true);
                }
            }
        }
    }

    /** Puts {@code tmp} at {@code abs}, moving what was there aside first and deleting it last. */
    static void replace(Path target, Path abs, Path tmp) throws IOException {
        Path old = null;
        try {
            if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                old = Siblings.movedAside(abs);
                PendingOutputs.addMovedAside(old, abs);
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (old != null && Files.exists(old, LinkOption.NOFOLLOW_LINKS) && !Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(old, abs, StandardCopyOption.ATOMIC_MOVE);
                PendingOutputs.done(old);
            }
            throw IoReasons.cannotWrite(target, e);
        }
        if (old != null) {
            AtomicFile.deleteQuietly(old);
            PendingOutputs.done(old);
        }
    }
}
