package org.distill4j.cuda;

import org.junit.jupiter.api.Test;

/** {@link BackendThreadsTest}'s checks on the emulated device, at a small size, in every build. */
class EmulatedThreadsTest {

    @Test
    void fourThreadsOneOfThemFreshComputeTheSameAsAlone() throws Exception {
        BackendThreadsTest.fourThreads(EmulatedKernelsTest.backend(), 2, 1_000);
    }

    @Test
    void aBadIndexIsReportedToTheThreadThatMadeItOnly() throws Exception {
        BackendThreadsTest.badIndexReportedToItsThreadOnly(EmulatedKernelsTest.backend());
    }
}
