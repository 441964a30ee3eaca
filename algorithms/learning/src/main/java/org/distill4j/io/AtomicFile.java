package org.distill4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes one file so that a reader sees the old file or the complete new one, never half of it:
 * the bytes go to a temporary sibling, are forced to the disk, and the sibling is renamed over the
 * target. The file gets the permissions any new file gets (0644 under the usual umask 022), not a
 * temporary file's 0600. A failure, a full disk or a stopped JVM leaves the old file and no
 * temporary one, and the error names the target, never the temporary file.
 *
 * <p>This replaces whatever regular file is at the target: use it for files inside a folder output
 * you own; for a path a user chose, go through {@link Output}, which refuses to replace what
 * distill4j did not write.
 */
public final class AtomicFile {
    /** What writes the file's bytes. */
    @FunctionalInterface
    public interface ContentWriter {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    public static void write(Path target, ContentWriter writer) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot write " + target + ": Is a directory");
        }
        Path tmp;
        try {
            Files.createDirectories(abs.getParent());
            tmp = writeTemporary(abs, writer);
        } catch (IOException e) {
            throw IoReasons.cannotWrite(target, e);
        }
        try {
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw IoReasons.cannotWrite(target, e);
        } finally {
            PendingOutputs.done(tmp);
        }
    }

    public static void writeString(Path target, String content) throws IOException {
        write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    /**
     * Writes {@code writer}'s bytes to a new temporary sibling of {@code abs} and forces them to the
     * disk; returns it, registered with {@link PendingOutputs}. On failure nothing is left behind.
     */
    static Path writeTemporary(Path abs, ContentWriter writer) throws IOException {
        Path tmp = Siblings.temporary(abs);
        PendingOutputs.add(tmp);
        boolean ok = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            writer.write(out);
            out.flush();
            ch.force(true);
            ok = true;
            return tmp;
        } finally {
            if (!ok) {
                deleteQuietly(tmp);
                PendingOutputs.done(tmp);
            }
        }
    }

    static void deleteQuietly(Path p) {
        try {
            PendingOutputs.deleteRecursively(p);
        } catch (IOException | RuntimeException ignored) {
            // a temporary path: the error that brought us here is the one to report
        }
    }
}
