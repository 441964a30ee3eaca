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
}
