package org.distill4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** The whole content of a data file, gunzipped when it starts with the gzip magic {@code 1f 8b}. */
final class FileBytes {
    private FileBytes() {
    }

    /**
     * Reads {@code path} completely. {@code hint} says how to get the data and is added to the
     * message when the file does not exist.
     */
    static byte[] read(Path path, String hint) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw missing(path, hint);
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try (InputStream gz = new GZIPInputStream(raw, 1 << 16)) {
                    return gz.readAllBytes();
                } catch (EOFException e) {
                    throw new IOException(path + ": truncated gzip stream (" + e.getMessage() + ")");
                } catch (ZipException e) {
                    throw new IOException(path + ": corrupt gzip data (" + e.getMessage() + ")");
                }
            }
            return raw.readAllBytes();
        } catch (NoSuchFileException e) {
            throw missing(path, hint);
        }
    }

    static IOException missing(Path path, String hint) {
        return new NoSuchFileException(path.toString(), null, "not found" + (hint == null || hint.isEmpty() ? "" : "; " + hint));
    }

    /** The first of {@code names} that exists in {@code dir}, or null. */
    static Path firstExisting(Path dir, String... names) {
        for (String name : names) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
