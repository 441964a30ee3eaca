package org.distill4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed JSON of every kind ends in one IllegalArgumentException of one line, never anything else. */
class JsonFuzzTest {
    @TempDir
    Path dir;

    /** A meta.json as the distiller writes it: nested objects, arrays, strings with escapes, numbers of each layout. */
    static String metaJson() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("lr_images", 0.1);
        settings.put("decay", 1.0E-5);
        settings.put("alpha", 0.0991f);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", "distill4j-distilled/1");
        meta.put("dataset", "fashion-mnist \"small\"\n\ttab \u0001");
        meta.put("classes", 10);
        meta.put("image_shape", new int[]{1, 28, 28});
        meta.put("normalization", Map.of("mean", List.of(0.2860), "std", List.of(0.3530)));
        meta.put("soft_labels", false);
        meta.put("seed", -3L);
        meta.put("settings", settings);
        meta.put("results", Map.of("loss", 2.0E22, "acc", 0.8125, "none", Double.NaN));
        return Json.write(meta);
    }

    @Test
    void deepNestingIsOneLineNotAStackOverflow() {
        for (String open : new String[]{"[", "{\"a\": ", "[{\"k\": "}) {
            String deep = open.repeat(200_000);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep), open);
            assertTrue(e.getMessage().contains("nesting deeper than 512") && e.getMessage().contains("at character"),
                    e.getMessage());
            Mutations.assertOneLine(e.getMessage(), open);
        }
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertTrue(Json.parse(ok) instanceof List<?>, "512 levels are still read");
        String over = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(over));
        assertTrue(e.getMessage().endsWith("at character " + Json.MAX_DEPTH), e.getMessage());
    }

    @Test
    void eachSyntaxErrorNamesThePositionAndWhatWasExpected() {
        String[][] cases = {
                {"", "expected a value, found the end of the text at character 0"},
                {"{\"a\" 1}", "expected ':' after a key, found '1' at character 5"},
                {"{\"a\": 1,}", "expected a key in quotes, found '}' at character 8"},
                {"[1 2]", "expected ',' or ']' in an array, found '2' at character 3"},
                {"{\"a\": 1 \"b\": 2}", "expected ',' or '}' in an object, found '\"' at character 8"},
                {"[1,]", "expected a value, found ']' at character 3"},
                {"01", "expected the end of the text, found '1' at character 1"},
                {"1.", "expected a digit after the decimal point, found the end of the text at character 2"},
                {"-", "expected a digit in a number, found the end of the text at character 1"},
                {"1e+", "expected a digit in the exponent, found the end of the text at character 3"},
                {"+1", "expected a value, found '+' at character 0"},
                {".5", "expected a value, found '.' at character 0"},
                {"NaN", "expected a value, found 'N' at character 0"},
                {"1e400", "number 1e400 is too large for a double at character 0"},
                {"\"\\u12G4\"", "expected 4 hex digits after \\u, found 'G' at character 5"},
                {"\"\\x\"", "unknown escape 'x' after a backslash"},
                {"\"a\nb\"", "control character U+000A inside a string"},
                {"\"abc", "unterminated string at character 4"},
                {"{\"a\": 1, \"a\": 2}", "duplicate key \"a\" at character 9"},
                {"tru", "expected a value, found 't' at character 0"},
                {"[true false]", "expected ',' or ']' in an array, found 'f' at character 6"},
                {"\u00a0[]", "expected a value, found U+00A0 at character 0"},
                {"[] x", "expected the end of the text, found 'x' at character 3"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(c[0]), c[0]);
            assertEquals(IllegalArgumentException.class, e.getClass(), c[0]);
            assertTrue(e.getMessage().startsWith("JSON: ") && e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
            Mutations.assertOneLine(e.getMessage(), c[0]);
        }
        IllegalArgumentException notObject = assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
        assertEquals("JSON: expected an object {...}, found an array", notObject.getMessage());
    }

    @Test
    void validJsonOfEveryKindStillReads() {
        Object v = Json.parse(" {\"a\": [1, -0, 2.5e-3, 1E+2, -12.75], \"s\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\", "
                + "\"t\": true, \"f\": false, \"n\": null, \"o\": {}} \r\n");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(1.0, -0.0, 0.0025, 100.0, -12.75), m.get("a"));
        assertEquals("\"\\/\b\f\n\r\t\u00e9", m.get("s"));
        assertEquals(Map.of(), m.get("o"));
        assertTrue(m.containsKey("n") && m.get("n") == null);
        assertEquals(Json.parse(metaJson()), Json.parse(Json.write(Json.parse(metaJson()))), "write(parse(x)) reads back the same");
    }

    @Test
    void mutatedMetaJsonNeverThrowsAnythingButOneLine() {
        byte[] valid = metaJson().getBytes(StandardCharsets.UTF_8);
        List<Mutations.Mutant> inputs = Mutations.of(valid, 15, Integer.MAX_VALUE, 20_000);
        int accepted = Mutations.assertOnlyCleanFailures(inputs,
                b -> Json.parseObject(new String(b, StandardCharsets.UTF_8)));
        // Some mutants stay valid JSON (a flipped digit, a changed letter in a string): the reader must take those.
        assertTrue(accepted > 100 && accepted < inputs.size() / 2, accepted + " of " + inputs.size() + " accepted");
    }

    @Test
    void readObjectNamesTheFileForEveryFault() throws IOException {
        Path f = dir.resolve("meta.json");
        byte[] valid = metaJson().getBytes(StandardCharsets.UTF_8);
        List<Mutations.Mutant> inputs = Mutations.of(valid, 16, 50, 500);
        Mutations.assertOnlyCleanFailures(inputs, b -> {
            Files.write(f, b);
            try {
                Json.readObject(f);
            } catch (IOException e) {
                assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
                throw e;
            }
        });
        Files.write(f, new byte[]{'{', '"', (byte) 0xC3, '"', ':', '1', '}'});
        IOException e = assertThrows(IOException.class, () -> Json.readObject(f));
        assertEquals(f + ": not UTF-8 text, so not JSON", e.getMessage());
        Files.writeString(f, "\uFEFF{\"a\": 1}");
        assertEquals(Map.of("a", 1.0), Json.readObject(f), "a byte-order mark is skipped");
        Path huge = dir.resolve("huge.json");
        try (RandomAccessFile r = new RandomAccessFile(huge.toFile(), "rw")) {
            r.setLength(Json.MAX_FILE_BYTES + 1);
        }
        e = assertThrows(IOException.class, () -> Json.readObject(huge));
        assertTrue(e.getMessage().contains("16777217 bytes, more than the 16777216"), e.getMessage());
    }
}
