package org.distill4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsNestedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"quoted\"\nline");
        m.put("n", 3);
        m.put("x", 0.25);
        m.put("list", List.of(1, "two", true));
        m.put("none", null);
        m.put("shape", new int[]{2, 3});
        String text = Json.write(m);
        assertEquals("{\"name\": \"a \\\"quoted\\\"\\nline\", \"n\": 3, \"x\": 0.25, \"list\": [1, \"two\", true], "
                + "\"none\": null, \"shape\": [2, 3]}", text);
        Map<String, Object> back = Json.parseObject(text);
        assertEquals("a \"quoted\"\nline", back.get("name"));
        assertEquals(3.0, back.get("n"));
        assertEquals(List.of(1.0, "two", true), back.get("list"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": }"));
        assertTrue(e.getMessage().contains("character"), e.getMessage());
    }

    @Test
    void numbersAreTheShortestDecimalOfTheValueComputed() {
        // A float is written as that float, not as its widening to double (0.09910000115633011). JDK 17 prints
        // 8.589973E9f as 8.5899735E9; 8.589973E9 and 8.589974E9 both read back, and the nearer is taken.
        assertEquals("[0.0991, 3, 1.0E-10, 8.589974E9, 1.4E-45, -2.5, 16777216, null]",
                Json.write(List.of(0.0991f, 3f, 1.0e-10f, 8.589973E9f, Float.MIN_VALUE, -2.5f, 16777216f, Float.NaN)));
        assertEquals("[0.0991, 0.5]", Json.write(new float[]{0.0991f, 0.5f}));
        // JDK 17 prints these three with too many digits.
        assertEquals("[1.0E23, 2.82879384806159E17, -1.0E23]", Json.write(List.of(1.0E23, 2.82879384806159E17, -1.0E23)));
        // Already shortest: Double.toString's text, unchanged.
        assertEquals("[0.30000000000000004, 4.9E-324, 1.0E-5, 0.001, 1.0E15, 1234567.5, 1.23456785E7, 1.7976931348623157E308]",
                Json.write(List.of(0.1 + 0.2, Double.MIN_VALUE, 1e-5, 0.001, 1e15, 1234567.5, 12345678.5, Double.MAX_VALUE)));
        assertEquals("[0.09910000000000001, null, null]",
                Json.write(List.of(0.09910000000000001, Double.POSITIVE_INFINITY, Double.NaN)));
    }

    @Test
    void shortestDecimalsReadBackExactlyAndAreValidJsonNumbers() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(15);
        java.util.regex.Pattern json = java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?(E-?[0-9]+)?");
        for (int i = 0; i < 20_000; i++) {
            // Every other value a random bit pattern (any exponent), the others like accuracies and rates.
            double d = i % 2 == 0 ? Double.longBitsToDouble(rng.nextLong()) : rng.nextDouble();
            float f = i % 2 == 0 ? Float.intBitsToFloat(rng.nextInt()) : (float) rng.nextDouble();
            if (Double.isFinite(d)) {
                String s = ShortestDecimal.of(d);
                assertEquals(d, Double.parseDouble(s), s);
                assertTrue(json.matcher(s).matches(), s);
                assertTrue(ShortestDecimal.significantDigits(s) <= ShortestDecimal.significantDigits(Double.toString(d)), s);
            }
            if (Float.isFinite(f)) {
                String s = ShortestDecimal.of(f);
                assertEquals(f, Float.parseFloat(s), s);
                assertTrue(json.matcher(s).matches(), s);
                assertTrue(ShortestDecimal.significantDigits(s) <= 9, s);
            }
        }
    }
}
