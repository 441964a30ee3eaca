package org.distill4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * What a saved artifact records about what made it: the distill4j version and the git commit it
 * was built from (filtered into {@code version.properties} by the build) and SHA-256 digests of
 * files and data.
 */
public final class Provenance {
    private static final Properties BUILD = readBuild();
    private static final String VERSION = stamped("version");
    private static final String COMMIT = commitOf(stamped("commit"), stamped("dirty"));

    private Provenance() {
    }

    /** The version of distill4j that is running, e.g. {@code 0.1.0-SNAPSHOT}; "unknown" when the build did not stamp it. */
    public static String version() {
        return VERSION;
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The SHA-256 of a file's bytes, as 64 lower-case hex digits. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * The git commit this build was made from, 40 hex digits, with {@code -dirty} appended when the
     * work tree had uncommitted changes; "unknown" when built outside a git repository.
     */
    public static String commit() {
        return COMMIT;
    }

    /** Puts {@code distill4j_version} and {@code distill4j_commit} into a provenance object; returns it. */
    public static <M extends Map<String, Object>> M stamp(M provenance) {
        provenance.put("distill4j_version", VERSION);
        provenance.put("distill4j_commit", COMMIT);
        return provenance;
    }

    static String commitOf(String id, String dirty) {
        if (!id.matches("[0-9a-f]{40}")) {
            return "unknown";
        }
        return "true".equals(dirty) ? id + "-dirty" : id;
    }

    private static String stamped(String key) {
        String v = BUILD.getProperty(key, "unknown");
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }

    private static Properties readBuild() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable stamp reads as "unknown"
        }
        return p;
    }
}
