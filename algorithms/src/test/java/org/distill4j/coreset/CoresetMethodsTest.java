package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoresetMethodsTest {
    @Test
    void namesAreInTheDocumentedOrder() {
        assertEquals(List.of("uniform", "full", "herding", "kcenter", "contextual-diversity", "least-confidence", "entropy",
                "margin", "forgetting", "grand", "el2n", "importance", "deepfool", "cal", "craig", "gradmatch", "glister",
                "facility-location", "graph-cut", "log-determinant"), CoresetMethods.NAMES);
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CoresetMethods.byName("kcentre"));
        assertTrue(e.getMessage().startsWith("unknown coreset method 'kcentre'; known: uniform, full, herding"), e.getMessage());
    }

    @Test
    void everyAvailableNameGivesAMethodOfThatName() {
        for (String name : CoresetMethods.NAMES) {
            if (CoresetMethods.available(name)) {
                assertEquals(name, CoresetMethods.byName(name).name());
            } else {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CoresetMethods.byName(name));
                assertEquals("method " + name + " is not available in this build", e.getMessage());
            }
        }
    }
}
