package org.distill4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What an output of distill4j is, and how to recognise one that distill4j wrote before: only such
 * an output may be replaced without being told to (see {@link Output}).
 */
public sealed interface OutputKind {
    /** How messages name it: "a selection CSV", "a distilled set". */
    String description();

    /** Whether {@code path} holds an output of this kind (read without following a link at {@code path}). */
    boolean recognizes(Path path);

    /**
     * A file whose first line is {@code header}, e.g. a selection CSV's {@code index,label,weight,score};
     * or, where {@code signature} is not null, a file whose first line starts with {@code signature}
     * (a line that records what made the file, such as {@code # distill4j selection {...}}) and whose
     * second line is {@code header}. Files of a kind that write no header have none: they are
     * internal to a folder output.
     */
    record File(String description, String header, String signature) implements OutputKind {
        /** The most of a file read to find its first two lines: a signature line is a few kilobytes. */
        private static final int MAX_PREFIX_BYTES = 1 << 16;

        /** A kind recognised by its header alone. */
        public File(String description, String header) {
            this(description, header, null);
        }

        @Override
        public boolean recognizes(Path path) {
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || header == null) {
                return false;
            }
            byte[] want = (header + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] start;
            try (InputStream in = Files.newInputStream(path)) {
                start = in.readNBytes(MAX_PREFIX_BYTES);
            } catch (IOException unreadable) {
                return false;
            }
            if (startsWith(start, 0, want)) {
                return true;
            }
            if (signature == null || !startsWith(start, 0, signature.getBytes(StandardCharsets.UTF_8))) {
                return false;
            }
            for (int i = 0; i < start.length; i++) {
                if (start[i] == '\n') {
                    return startsWith(start, i + 1, want);
                }
            }
            return false;
        }

        private static boolean startsWith(byte[] bytes, int from, byte[] prefix) {
            return bytes.length - from >= prefix.length
                    && Arrays.equals(bytes, from, from + prefix.length, prefix, 0, prefix.length);
        }
    }

    /**
     * A folder that carries a JSON marker file whose {@code kind} field is {@code id}, e.g. a
     * distilled set's {@code meta.json} with {@code "kind": "distill4j/distilled-set"}. Folders
     * written before markers had kinds are recognised by {@code legacyKeys}: a marker without a
     * {@code kind} that holds all of them (none: no legacy form).
     */
    record Folder(String description, String id, String marker, List<String> legacyKeys) implements OutputKind {
        /** The largest marker read: a marker is a few kilobytes; anything far larger is not ours. */
        private static final long MAX_MARKER_BYTES = 1 << 20;

        public Folder {
            legacyKeys = List.copyOf(legacyKeys);
        }

        @Override
        public boolean recognizes(Path path) {
            Path file = path.resolve(marker);
            try {
                if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        || Files.size(file) > MAX_MARKER_BYTES) {
                    return false;
                }
                Map<String, Object> json = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8));
                Object kind = json.get("kind");
                if (kind != null) {
                    return id.equals(kind);
                }
                return !legacyKeys.isEmpty() && json.keySet().containsAll(legacyKeys);
            } catch (IOException | RuntimeException notOurs) {
                return false;
            }
        }
    }
}
