package org.distill4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An output path holds something distill4j did not write (or something of another kind), so
 * writing there would destroy it. Nothing was written; the caller may retry with {@code force} or
 * another path.
 */
public final class OutputRefusedException extends IOException {
    private final Path path;
    private final boolean forceable;

    OutputRefusedException(Path path, String message, boolean forceable) {
        super(message);
        this.path = path;
        this.forceable = forceable;
    }

    /** The path that was refused, as the caller gave it. */
    public Path path() {
        return path;
    }

    /** Whether forcing the write would replace what is there (false: not even then, e.g. the working folder). */
    public boolean forceable() {
        return forceable;
    }
}
