package org.distill4j.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing requirement skips without the switch and fails with it; a present one does neither. */
class RequirementsTest {
    @Test
    void theSwitchTurnsASkipIntoAFailure() {
        assertDoesNotThrow(() -> Requirements.assumeOrFail(true, "g++ not found", true));
        assertDoesNotThrow(() -> Requirements.assumeOrFail(true, "g++ not found", false));
        TestAbortedException skip = assertThrows(TestAbortedException.class,
                () -> Requirements.assumeOrFail(false, "g++ not found", false));
        assertEquals("Assumption failed: g++ not found", skip.getMessage());
        AssertionFailedError fail = assertThrows(AssertionFailedError.class,
                () -> Requirements.assumeOrFail(false, "g++ not found", true));
        assertEquals("g++ not found; DISTILL4J_REQUIRE_ALL=1 (set by .ci/run) turns this skip into a failure", fail.getMessage());
    }

    /** Under CI the switch must reach this (forked) JVM, or every governed skip would pass unnoticed. */
    @Test
    void underCiTheSwitchReachesTheTests() {
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(Requirements.required(), "CI=true but DISTILL4J_REQUIRE_ALL=1 did not reach the test JVM");
        }
    }
}
