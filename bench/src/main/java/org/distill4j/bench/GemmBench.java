package org.distill4j.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.kernels.cpu.Gemm;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * A quick GEMM benchmark without JMH, for {@code distill4j bench gemm}: the single-core FMA peak,
 * our SGEMM at n = 512 and 1024 on 1 and 2 threads, and EJML at the same sizes, all in one run so
 * that the fractions and ratios compare numbers taken under the same conditions. Each figure is
 * warmed up, then timed over several repetitions; the result keeps the best and the median.
 */
public final class GemmBench {
    public static final int[] SIZES = {512, 1024};
    public static final int[] THREADS = {1, 2};

    private static final double WARMUP_SECONDS = 0.6;
    private static final double REP_SECONDS = 0.15;
    private static final int REPS = 7;

    /** GFLOPS over the timed repetitions. */
    public record Rate(double best, double median) {
    }

    /** Everything one run measured, keyed by size and thread count. */
    public record Result(Rate peak, Map<Integer, Map<Integer, Rate>> sgemm, Map<Integer, Rate> ejml) {
        /**
         * {@code {"peak_gflops": P, "sgemm": {"512": {"1": g, "2": g}, ...}, "ejml": {"512": g, ...}}},
         * best rates, in GFLOPS.
         */
        public String toJson() {
            StringBuilder sb = new StringBuilder("{\"peak_gflops\": ").append(number(peak.best())).append(", \"sgemm\": {");
            String sep = "";
            for (Map.Entry<Integer, Map<Integer, Rate>> size : sgemm.entrySet()) {
                sb.append(sep).append('"').append(size.getKey()).append("\": {");
                String inner = "";
                for (Map.Entry<Integer, Rate> t : size.getValue().entrySet()) {
                    sb.append(inner).append('"').append(t.getKey()).append("\": ").append(number(t.getValue().best()));
                    inner = ", ";
                }
                sb.append('}');
                sep = ", ";
            }
            sb.append("}, \"ejml\": {");
            sep = "";
            for (Map.Entry<Integer, Rate> size : ejml.entrySet()) {
                sb.append(sep).append('"').append(size.getKey()).append("\": ").append(number(size.getValue().best()));
                sep = ", ";
            }
            return sb.append("}}").toString();
        }

        private static String number(double v) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
    }

    private GemmBench() {
    }

    /** Runs every measurement; {@code progress} hears what is being measured (the caller decides where to show it). */
    public static Result run(Consumer<String> progress) {
        progress.accept("FMA peak, 1 thread");
        Rate peak = measurePeak();
        Map<Integer, Map<Integer, Rate>> sgemm = new LinkedHashMap<>();
        Map<Integer, Rate> ejml = new LinkedHashMap<>();
        for (int n : SIZES) {
            SplittableRandom rng = new SplittableRandom(n);
            float[] a = Matrices.random(rng, n * n);
            float[] b = Matrices.random(rng, n * n);
            float[] c = new float[n * n];
            double flops = 2.0 * n * n * n;
            Map<Integer, Rate> byThreads = new LinkedHashMap<>();
            for (int threads : THREADS) {
                progress.accept("SGEMM n=" + n + ", " + threads + (threads == 1 ? " thread" : " threads"));
                try (ComputeContext ignored = ComputeContext.cpu().threads(threads).open()) {
                    byThreads.put(threads, measure(flops,
                            () -> Gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n)));
                }
            }
            sgemm.put(n, byThreads);
            progress.accept("EJML n=" + n);
            FMatrixRMaj ea = new FMatrixRMaj(n, n, true, a);
            FMatrixRMaj eb = new FMatrixRMaj(n, n, true, b);
            FMatrixRMaj ec = new FMatrixRMaj(n, n);
            ejml.put(n, measure(flops, () -> CommonOps_FDRM.mult(ea, eb, ec)));
        }
        return new Result(peak, sgemm, ejml);
    }

    private static Rate measurePeak() {
        long iterations = 1 << 18;
        float[] sink = new float[1];
        return measure(iterations * FmaPeak.flopsPerIteration(), () -> sink[0] += FmaPeak.run(iterations, 1f + sink[0] * 0f));
    }

    /** Warms {@code call} up, then times {@link #REPS} repetitions of at least {@link #REP_SECONDS} each. */
    static Rate measure(double flopsPerCall, Runnable call) {
        long warmupEnd = System.nanoTime() + (long) (WARMUP_SECONDS * 1e9);
        int warmupCalls = 0;
        long start = System.nanoTime();
        while (warmupCalls < 2 || System.nanoTime() < warmupEnd) {
            call.run();
            warmupCalls++;
        }
        double secondsPerCall = (System.nanoTime() - start) / 1e9 / warmupCalls;
        int callsPerRep = (int) Math.max(1, Math.ceil(REP_SECONDS / secondsPerCall));
        double[] gflops = new double[REPS];
        for (int r = 0; r < REPS; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < callsPerRep; i++) {
                call.run();
            }
            gflops[r] = flopsPerCall * callsPerRep / (System.nanoTime() - t0);
        }
        Arrays.sort(gflops);
        return new Rate(gflops[REPS - 1], gflops[REPS / 2]);
    }
}
