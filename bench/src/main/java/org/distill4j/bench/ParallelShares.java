package org.distill4j.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.distill4j.kernels.cpu.Parallel;

/**
 * Who did the parallel work of an epoch: the calling thread or the pool's helper, per kernel call
 * site, from {@link Parallel#stats()} (a JVM started with {@code -Ddistill4j.parallel.stats=true};
 * prints nothing otherwise). Says whether the second core idles because regions are single chunks,
 * because the helper arrives late, or because the caller works outside regions.
 */
final class ParallelShares {
    private ParallelShares() {
    }

    static void print(PrintWriter err, int epoch, double epochSeconds, double[] runWait) {
        Map<String, long[]> st = Parallel.stats();
        if (st.isEmpty()) {
            return;
        }
        Parallel.resetStats();
        long[] sum = new long[12];
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(st.entrySet());
        for (Map.Entry<String, long[]> e : rows) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += e.getValue()[i];
            }
        }
        rows.sort((a, b) -> Long.compare(work(b.getValue()), work(a.getValue())));
        double inRegions = (sum[5] + sum[6]) / 1e9;
        err.printf(Locale.ROOT, "parallel epoch %d: wall %.2f s, caller in regions %.2f s (parallel %.2f, inline %.2f),"
                        + " outside regions %.2f s; chunk seconds caller %.2f, helper %.2f (helper share %.1f%% of parallel regions),"
                        + " caller waiting %.2f s; %d parallel regions (%d chunks, helper joined after %.1f us on average), %d inline%n",
                epoch, epochSeconds, inRegions, sum[5] / 1e9, sum[6] / 1e9, epochSeconds - inRegions,
                sum[7] / 1e9, sum[8] / 1e9, 100.0 * sum[8] / Math.max(1, sum[7] + sum[8]), sum[9] / 1e9,
                sum[0], sum[2] - sum[1], sum[10] / 1e3 / Math.max(1, sum[11]), sum[1]);
        if (runWait != null) {
            err.printf(Locale.ROOT, "  threads' scheduler time in the training pass: main ran %.2f s, waited for a CPU %.2f s;"
                    + " helpers ran %.2f s, waited %.2f s%n", runWait[0], runWait[1], runWait[2], runWait[3]);
        }
        err.printf(Locale.ROOT, "  %-48s %7s %7s %8s %8s %8s %8s %8s %6s%n", "site (caller of forRange)", "regions", "inline", "chunks",
                "caller s", "helper s", "inline s", "wait s", "helper%");
        for (int i = 0; i < Math.min(18, rows.size()); i++) {
            long[] v = rows.get(i).getValue();
            String name = rows.get(i).getKey();
            err.printf(Locale.ROOT, "  %-48s %7d %7d %8d %8.3f %8.3f %8.3f %8.3f %6.1f%n", name, v[0], v[1], v[2],
                    v[7] / 1e9, v[8] / 1e9, v[6] / 1e9, v[9] / 1e9, 100.0 * v[8] / Math.max(1, v[7] + v[6] + v[8]));
        }
        err.flush();
    }

    private static long work(long[] v) {
        return v[6] + v[7] + v[8];
    }
}
