package org.distill4j.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reading half of {@link Json}: strict RFC 8259, recursive descent. Anything else is refused
 * with an IllegalArgumentException whose message is one line naming the character position and
 * what was expected. The parser recurses once per level of nesting, so nesting is bounded by
 * {@link Json#MAX_DEPTH}: a file of 200,000 '[' is an error, not a StackOverflowError.
 */
final class JsonParser {
    private final String text;
    private int pos;
    private int depth;

    JsonParser(String text) {
        this.text = text;
    }

    /** The one value that is the whole text. */
    Object document() {
        Object v = value();
        skipSpace();
        if (pos != text.length()) {
            throw error("expected the end of the text, found " + found());
        }
        return v;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON: " + what + " at character " + pos);
    }

    /** A character as a message can show it on one line. */
    private String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private Object value() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("expected a value, found the end of the text");
        }
        char c = text.charAt(pos);
        if (c == '{' || c == '[') {
            if (++depth > Json.MAX_DEPTH) {
                throw error("nesting deeper than " + Json.MAX_DEPTH + " levels");
            }
            Object v = c == '{' ? object() : array();
            depth--;
            return v;
        }
        if (c == '"') {
            return string();
        }
        if (text.startsWith("true", pos)) {
            pos += 4;
            return Boolean.TRUE;
        }
        if (text.startsWith("false", pos)) {
            pos += 5;
            return Boolean.FALSE;
        }
        if (text.startsWith("null", pos)) {
            pos += 4;
            return null;
        }
        if (c == '-' || c >= '0' && c <= '9') {
            return number();
        }
        throw error("expected a value, found " + describe(c));
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == '}') {
            pos++;
            return m;
        }
        while (true) {
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != '"') {
                throw error("expected a key in quotes, found " + found());
            }
            int keyAt = pos;
            String key = string();
            if (m.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key \"" + printable(key) + "\"");
            }
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != ':') {
                throw error("expected ':' after a key, found " + found());
            }
            pos++;
            m.put(key, value());
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
            } else if (pos < text.length() && text.charAt(pos) == '}') {
                pos++;
                return m;
            } else {
                throw error("expected ',' or '}' in an object, found " + found());
            }
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        pos++;
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == ']') {
            pos++;
            return l;
        }
        while (true) {
            l.add(value());
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
            } else if (pos < text.length() && text.charAt(pos) == ']') {
                pos++;
                return l;
            } else {
                throw error("expected ',' or ']' in an array, found " + found());
            }
        }
    }

    private String found() {
        return pos >= text.length() ? "the end of the text" : describe(text.charAt(pos));
    }

    private String string() {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("control character " + describe(c) + " inside a string (write it as an escape)");
            }
            pos++;
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    int code = 0;
                    for (int k = 0; k < 4; k++) {
                        int digit = pos < text.length() ? Character.digit(text.charAt(pos), 16) : -1;
                        if (digit < 0) {
                            throw error("expected 4 hex digits after \\u, found " + found());
                        }
                        code = code * 16 + digit;
                        pos++;
                    }
                    sb.append((char) code);
                }
                default -> {
                    pos--;
                    throw error("unknown escape " + describe(e) + " after a backslash (expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
                }
            }
        }
        throw error("unterminated string");
    }

    /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, and finite as a double. */
    private Double number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("expected a digit in a number, found " + found());
        }
        if (peek() == '.') {
            pos++;
            if (!digits()) {
                throw error("expected a digit after the decimal point, found " + found());
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("expected a digit in the exponent, found " + found());
            }
        }
        double d = Double.parseDouble(text.substring(start, pos));
        if (!Double.isFinite(d)) {
            pos = start;
            throw error("number " + printable(text.substring(start, Math.min(start + 40, text.length())))
                    + " is too large for a double");
        }
        return d;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    /** Skips one or more digits; false when there were none. */
    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private String printable(String s) {
        return Printable.cut(s, 40);
    }
}
