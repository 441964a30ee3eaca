package org.distill4j.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The single-core FP32 peak of this machine as Java reaches it: independent chains of vector FMAs,
 * enough of them (12) to cover the FMA latency times the number of FMA pipes (4 x 2 on current
 * x86 cores), so the loop is bound by FMA throughput alone. It uses the vector width the SGEMM
 * kernels use, so "fraction of peak" compares like with like.
 */
public final class FmaPeak {
    /** The kernels' width (256 or 512 bits, see the kernels' VectorWidth): one vector shape per JVM. */
    static final VectorSpecies<Float> S = VectorSpecies.of(float.class,
            VectorShape.forBitSize(Float.SIZE * org.distill4j.kernels.cpu.VectorSupport.floatLanes()));
    private static final int CHAINS = 12;

    private FmaPeak() {
    }

    /** Floating-point operations (an FMA is two) done by one {@link #run} iteration. */
    public static long flopsPerIteration() {
        return 2L * CHAINS * S.length();
    }

    /**
     * Runs {@code iterations} rounds of {@code CHAINS} dependent-per-chain FMAs; returns a value
     * derived from every chain so the JIT cannot drop any of them.
     */
    public static float run(long iterations, float seed) {
        FloatVector a = FloatVector.broadcast(S, 1f - 1e-7f * seed);
        FloatVector b = FloatVector.broadcast(S, 1e-7f * seed);
        FloatVector c0 = FloatVector.broadcast(S, seed), c1 = c0.add(1), c2 = c0.add(2), c3 = c0.add(3);
        FloatVector c4 = c0.add(4), c5 = c0.add(5), c6 = c0.add(6), c7 = c0.add(7);
        FloatVector c8 = c0.add(8), c9 = c0.add(9), c10 = c0.add(10), c11 = c0.add(11);
        for (long i = 0; i < iterations; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
