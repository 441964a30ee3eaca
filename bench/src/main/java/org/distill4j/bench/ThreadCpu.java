package org.distill4j.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU seconds used so far by this JVM's threads, in three groups: the JIT compilers, the garbage
 * collector (with the VM thread that runs its pauses), and everything else (the kernels' threads).
 * Read from Linux's {@code /proc/self/task}; zeros elsewhere. On a busy machine wall-clock epochs
 * move with the neighbours' load, CPU seconds far less, and the groups say what epoch 1 pays for.
 */
final class ThreadCpu {
    /** Clock ticks per second of {@code /proc}'s utime and stime (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    private ThreadCpu() {
    }

    /** Reads one of this JVM's threads ({@code /proc/self/task/<tid>}); may throw once the thread has ended. */
    @FunctionalInterface
    private interface TaskReader {
        void read(Path task) throws IOException;
    }

    /** Runs {@code reader} on every thread of this JVM; threads that end meanwhile are skipped. Nothing off Linux. */
    private static void eachTask(TaskReader reader) {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
            for (Path t : ds) {
                try {
                    reader.read(t);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile (or a file is missing)
                }
            }
        } catch (IOException e) {
            // no threads to read
        }
    }

    /** {@code {jit, gc, other}} CPU seconds so far. */
    static double[] now() {
        double[] out = new double[3];
        eachTask(t -> {
            String stat = Files.readString(t.resolve("stat"));
            int close = stat.lastIndexOf(')');
            String comm = stat.substring(stat.indexOf('(') + 1, close);
            String[] f = stat.substring(close + 2).split(" ");
            // Fields after the name: state is f[0], so utime (field 14) is f[11] and stime f[12].
            out[group(comm)] += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
        });
        return out;
    }

    static int group(String comm) {
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            return 0;
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("VM Thread")) {
            return 1;
        }
        return 2;
    }

    static double[] minus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    /**
     * {@code {minor page faults, system CPU seconds}} of the whole process so far, from
     * {@code /proc/self/stat}; zeros off Linux. A run with 4 KB heap pages took 265,000-605,000
     * faults in 4 MLP epochs, and their bursts made epochs 3-5x slower (real-loop.md, twelfth session).
     */
    static double[] faultsAndSystem() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // As in now(): state is f[0], so minflt (field 10) is f[7] and stime (field 15) f[12].
            return new double[]{Long.parseLong(f[7]), Long.parseLong(f[12]) / TICKS};
        } catch (IOException | RuntimeException e) {
            return new double[2];
        }
    }

    /**
     * {@code {main run, main waiting, helpers run, helpers waiting}} seconds so far, from
     * {@code /proc/self/task/<tid>/schedstat}: time on a CPU and time runnable but waiting for one, of
     * Java's main thread (the training loop, the caller of every parallel region) and of
     * the kernel pool's helpers ({@code ForkJoinPool-*}). On a shared machine the waiting time says
     * whether the second core was there to be had. Zeros where schedstat is missing.
     */
    static double[] mainAndHelpers() {
        double[] out = new double[4];
        String pid = String.valueOf(ProcessHandle.current().pid());
        eachTask(t -> {
            String comm = Files.readString(t.resolve("comm")).trim();
            // Java's main thread keeps the launcher's name, "java", and is not the process's first task.
            boolean main = comm.equals("java") && !t.getFileName().toString().equals(pid);
            int at = main ? 0 : comm.startsWith("ForkJoinPool") ? 2 : -1;
            if (at >= 0) {
                String[] f = Files.readString(t.resolve("schedstat")).trim().split(" ");
                out[at] += Long.parseLong(f[0]) / 1e9;
                out[at + 1] += Long.parseLong(f[1]) / 1e9;
            }
        });
        return out;
    }
}
