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
}
