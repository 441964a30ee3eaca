package org.distill4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
    @Test
    void groupsAndSchedulerTimesAreReadFromProcAndGrowWithWork() {
        assertEquals(0, ThreadCpu.group("C2 CompilerThre"));
        assertEquals(1, ThreadCpu.group("GC Thread#0"));
        assertEquals(2, ThreadCpu.group("ForkJoinPool-1-"));
        double[] before = ThreadCpu.now();
        double[] sched = ThreadCpu.mainAndHelpers();
        for (double v : before) {
            assertTrue(v >= 0, java.util.Arrays.toString(before));
        }
        for (double v : sched) {
            assertTrue(v >= 0, java.util.Arrays.toString(sched));
        }
        if (!Files.isDirectory(Path.of("/proc/self/task"))) {
            return; // not Linux: zeros
        }
        // About 0.3 s of work on this thread shows in the "other" group (ticks of 10 ms).
        long end = System.nanoTime() + 300_000_000L;
        double sink = 0;
        while (System.nanoTime() < end) {
            sink += Math.sqrt(sink + 1);
        }
        double[] after = ThreadCpu.now();
        assertTrue(after[2] - before[2] >= 0.1, "other CPU grew by " + (after[2] - before[2]) + " (" + sink + ")");
    }

    @Test
    void pageFaultsAreCountedWhenFreshMemoryIsTouched() {
        double[] before = ThreadCpu.faultsAndSystem();
        if (!Files.isRegularFile(Path.of("/proc/self/stat"))) {
            assertEquals(0, before[0]);
            return; // not Linux: zeros
        }
        assertTrue(before[0] > 0 && before[1] >= 0, java.util.Arrays.toString(before));
        // 64 MB touched for the first time, outside the Java heap so no earlier collection has
        // touched it: one fault per 4 KB page, or per 2 MB with huge pages, at least 32 either way.
        java.nio.ByteBuffer fresh = java.nio.ByteBuffer.allocateDirect(64 << 20);
        for (int i = 0; i < fresh.capacity(); i += 4096) {
            fresh.put(i, (byte) 1);
        }
        double[] after = ThreadCpu.faultsAndSystem();
        assertTrue(after[0] - before[0] >= 32, "faults grew by " + (after[0] - before[0]));
        assertTrue(after[1] >= before[1], "system seconds went back: " + before[1] + " -> " + after[1]);
    }
}
