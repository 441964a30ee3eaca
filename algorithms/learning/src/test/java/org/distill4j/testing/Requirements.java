package org.distill4j.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A test that needs a tool or a data set this machine may lack: skipped (with the reason) where it
 * is missing, unless {@code DISTILL4J_REQUIRE_ALL=1}, which {@code .ci/run} sets so that CI cannot
 * pass green without running it. Each test module has its own copy of this file, because Maven
 * does not share test classes between modules.
 */
public final class Requirements {
    /** The switch; Surefire's forked JVM inherits Maven's environment. */
    public static final String SWITCH = "DISTILL4J_REQUIRE_ALL";

    private Requirements() {
    }

    /** True when skips for missing tools and data sets must fail instead. */
    public static boolean required() {
        return "1".equals(System.getenv(SWITCH));
    }

    /** Goes on when {@code present}; otherwise skips the test, or fails it under the switch. */
    public static void assumeOrFail(boolean present, String what) {
        assumeOrFail(present, what, required());
    }

    static void assumeOrFail(boolean present, String what, boolean required) {
        if (present) {
            return;
        }
        if (required) {
            Assertions.fail(what + "; " + SWITCH + "=1 (set by .ci/run) turns this skip into a failure");
        }
        Assumptions.assumeTrue(false, what);
    }
}
