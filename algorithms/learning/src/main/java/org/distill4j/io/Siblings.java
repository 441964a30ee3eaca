package org.distill4j.io;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Names of the hidden siblings an output is written into, or its predecessor moved aside to. */
final class Siblings {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Siblings() {
    }

    /** {@code .NAME.distill4j-XXXXXXXX.tmp} beside {@code abs}. */
    static Path temporary(Path abs) {
        return abs.resolveSibling("." + abs.getFileName() + ".distill4j-" + token() + ".tmp");
    }

    /** {@code .NAME.distill4j-XXXXXXXX.old} beside {@code abs}. */
    static Path movedAside(Path abs) {
        return abs.resolveSibling("." + abs.getFileName() + ".distill4j-" + token() + ".old");
    }

    private static String token() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
