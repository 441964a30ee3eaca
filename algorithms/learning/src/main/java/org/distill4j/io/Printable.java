package org.distill4j.io;

/** Text from a file quoted in an error message: cut short, control characters as U+XXXX, so the message stays one line. */
public final class Printable {
    private Printable() {
    }

    /** At most {@code max} characters of {@code s} (then "..."), each control character shown as U+XXXX. */
    public static String cut(String s, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(max, s.length()); i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c != 0x7f ? String.valueOf(c) : String.format("U+%04X", (int) c));
        }
        return s.length() > max ? sb + "..." : sb.toString();
    }
}
