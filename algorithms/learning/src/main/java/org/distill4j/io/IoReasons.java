package org.distill4j.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The operating system's reason for a failed file operation, in its own words
 * ({@code Permission denied}), without the temporary file's name that Java puts in the message.
 */
final class IoReasons {
    private IoReasons() {
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    /** {@code cannot write PATH: REASON}, naming the path the caller gave. */
    static IOException cannotWrite(Path target, IOException e) {
        if (e instanceof OutputRefusedException) {
            return e;
        }
        IOException wrapped = new IOException("cannot write " + target + ": " + reason(e));
        wrapped.initCause(e);
        return wrapped;
    }
}
