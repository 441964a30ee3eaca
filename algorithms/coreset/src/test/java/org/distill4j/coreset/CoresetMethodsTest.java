package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoresetMethodsTest {
    @Test
    void namesAreInTheDocumentedOrder() {
        assertEquals(List.of("uniform", "full", "herding", "kcenter", "contextual-diversity", "least-confidence", "entropy",
                "margin", "forgetting", "grand", "el2n", "importance", "deepfool", "cal", "craig", "gradmatch", "glister",
                "facility-location", "graph-cut", "log-determinant", "aum", "ccs", "moderate", "d2-pruning", "prototypes"),
                CoresetMethods.NAMES);
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CoresetMethods.byName("kcentre"));
        assertTrue(e.getMessage().startsWith("unknown coreset method 'kcentre'; known: uniform, full, herding"), e.getMessage());
    }

    @Test
    void everyNameGivesANewMethodOfThatName() {
        for (String name : CoresetMethods.NAMES) {
            assertTrue(CoresetMethods.available(name), name);
            CoresetMethod m = CoresetMethods.byName(name);
            assertEquals(name, m.name());
            assertNotSame(m, CoresetMethods.byName(name), name + ": each call makes a new instance");
        }
        assertFalse(CoresetMethods.available("kcentre"));
    }
}
