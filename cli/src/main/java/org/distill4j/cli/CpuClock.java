package org.distill4j.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** The JVM process's CPU time, where the platform reports it. */
final class CpuClock {
    private CpuClock() {
    }

    /** CPU seconds this process has used, all threads together; NaN where the JVM does not say. */
    static double processSeconds() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long ns = sun.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }
}
