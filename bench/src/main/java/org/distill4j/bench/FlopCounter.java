package org.distill4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH secondary result that counts floating-point operations: with an output time unit of
 * nanoseconds it is reported as {@code <benchmark>:flops} in ops/ns, which is GFLOPS.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class FlopCounter {
    public double flops;

    @Setup(Level.Iteration)
    public void reset() {
        flops = 0;
    }
}
