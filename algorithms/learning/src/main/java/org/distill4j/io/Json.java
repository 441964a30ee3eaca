package org.distill4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for the files and summaries distill4j writes (meta.json, results,
 * {@code --json} output). Objects are {@code LinkedHashMap<String, Object>} (key order kept),
 * arrays {@code List<Object>}, numbers {@code Double} (or {@code Long}/{@code Integer} when
 * written), plus String, Boolean and null. Doubles and floats are written as the shortest decimal
 * that reads back as the same value; NaN and infinities as null.
 */
public final class Json {
    private Json() {
    }

    // ---- writing ------------------------------------------------------------------------------

    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Double d) {
            sb.append(Double.isFinite(d) ? formatDouble(d) : "null");
        } else if (v instanceof Float f) {
            // A value computed in float is written as that float, not its widening (0.0991, not 0.09910000115633011).
            sb.append(Float.isFinite(f) ? formatFloat(f) : "null");
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                quote(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof Iterable<?> it) {
            sb.append('[');
            boolean first = true;
            for (Object o : it) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                write(sb, o);
            }
            sb.append(']');
        } else if (v instanceof double[] a) {
            List<Object> l = new ArrayList<>();
            for (double d : a) {
                l.add(d);
            }
            write(sb, l);
        } else if (v instanceof float[] a) {
            List<Object> l = new ArrayList<>();
            for (float f : a) {
                l.add(f);
            }
            write(sb, l);
        } else if (v instanceof int[] a) {
            List<Object> l = new ArrayList<>();
            for (int i : a) {
                l.add(i);
            }
            write(sb, l);
        } else {
            quote(sb, v.toString());
        }
    }

    private static String formatDouble(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return ShortestDecimal.of(d);
    }

    private static String formatFloat(float f) {
        // Below 2^24 a whole float is an exact integer of at most 8 digits; above it, 8589973504 would
        // print digits the float does not have (8.589973E9).
        if (f == Math.rint(f) && Math.abs(f) <= 1 << 24) {
            return Long.toString((long) f);
        }
        return ShortestDecimal.of(f);
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    // ---- reading (the parser is JsonParser) ----------------------------------------------------

    /** Deepest nesting of objects and arrays that {@link #parse} accepts; our own files nest 3 levels. */
    public static final int MAX_DEPTH = 512;

    /** Largest file {@link #readObject(Path)} reads; meta.json and settings.json are a few kilobytes. */
    public static final long MAX_FILE_BYTES = 16 << 20;

    /** Parses one JSON value; throws IllegalArgumentException naming the position of a syntax error. */
    public static Object parse(String text) {
        return new JsonParser(text).document();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("JSON: expected an object {...}, found " + kind(v));
        }
        return (Map<String, Object>) v;
    }

    /**
     * The JSON object in {@code file}. Every way it can be wrong (missing, too large, not UTF-8, not
     * JSON, not an object) is an IOException of one line that starts with the file's path.
     */
    public static Map<String, Object> readObject(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(file + ": " + size + " bytes, more than the " + MAX_FILE_BYTES
                    + " a distill4j JSON file can have");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text, so not JSON");
        }
        try {
            return parseObject(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    /** "an object", "a number", ... for messages about a value of the wrong kind. */
    public static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        return v instanceof Number ? "a number" : v.getClass().getSimpleName();
    }
}
