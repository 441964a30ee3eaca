package org.distill4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Temporary files and folders that outputs are being written into, and previous outputs moved
 * aside while a new one takes their place. If the JVM stops while one is in flight (Ctrl-C,
 * SIGTERM, {@code System.exit}), a shutdown hook deletes the temporary ones and puts a moved-aside
 * output back where it was, so an interrupted command leaves the old output or none, and no
 * {@code .tmp} debris.
 */
public final class PendingOutputs {
    /** Path in flight -> where it goes back to when the JVM stops (null: delete it). */
    private static final Map<Path, Path> PENDING = new LinkedHashMap<>();
    private static boolean hooked;

    private PendingOutputs() {
    }

    /** Marks {@code temp} for deletion should the JVM stop before {@link #done} is called for it. */
    public static void add(Path temp) {
        register(temp, null);
    }

    /** Marks {@code movedAside} to be moved back to {@code home} should the JVM stop while {@code home} is missing. */
    static void addMovedAside(Path movedAside, Path home) {
        register(movedAside, home);
    }

    private static synchronized void register(Path p, Path home) {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(PendingOutputs::cleanUp, "distill4j-pending-outputs"));
            hooked = true;
        }
        PENDING.put(p, home);
    }

    /** {@code p} was renamed into place or deleted: nothing is left to clean up. */
    public static synchronized void done(Path p) {
        PENDING.remove(p);
    }

    /** How many paths are in flight (for tests). */
    static synchronized int inFlight() {
        return PENDING.size();
    }

    private static synchronized void cleanUp() {
        for (Map.Entry<Path, Path> e : PENDING.entrySet()) {
            try {
                Path home = e.getValue();
                if (home != null && !Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(e.getKey(), home, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    deleteRecursively(e.getKey());
                }
            } catch (IOException | RuntimeException ignored) {
                // best effort while the JVM stops; nothing else can be done here
            }
        }
        PENDING.clear();
    }

    /** Deletes {@code p} and, if it is a folder, everything in it; links are deleted, not followed. */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(p);
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
