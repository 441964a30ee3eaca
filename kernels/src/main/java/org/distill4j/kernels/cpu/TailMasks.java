package org.distill4j.kernels.cpu;

import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The masks of partial vectors, made once per species instead of at every tail. On JDK 17
 * {@code species.indexInRange(from, to)} is built from an index vector ({@code addIndex}, a
 * compare, {@code andNot}) that C2 does not compile to vector code in these kernels: in the LeNet
 * training loop's steady state its Java fallback was 7% of the execution samples (JFR, issue 17).
 * A mask read from a table is one load.
 */
final class TailMasks<E> {
    /** {@code first[n]}: lanes {@code 0 .. n-1} set, for {@code 0 <= n <= L}. */
    private final VectorMask<E>[] first;
    /** {@code from[k]}: lanes {@code k .. L-1} set, for {@code 0 <= k <= L}. */
    private final VectorMask<E>[] from;

    @SuppressWarnings("unchecked")
    TailMasks(VectorSpecies<E> species) {
        int l = species.length();
        first = new VectorMask[l + 1];
        from = new VectorMask[l + 1];
        for (int n = 0; n <= l; n++) {
            boolean[] lo = new boolean[l];
            boolean[] hi = new boolean[l];
            for (int i = 0; i < l; i++) {
                lo[i] = i < n;
                hi[i] = i >= n;
            }
            first[n] = VectorMask.fromArray(species, lo, 0);
            from[n] = VectorMask.fromArray(species, hi, 0);
        }
    }

    /** Lanes below {@code n} ({@code 0 <= n <= L}): {@code indexInRange(0, n)}. */
    VectorMask<E> first(int n) {
        return first[n];
    }

    /** Lanes {@code i} with {@code offset + i < limit}, for {@code offset <= limit}: {@code indexInRange(offset, limit)}. */
    VectorMask<E> upTo(int offset, int limit) {
        return first[Math.min(first.length - 1, limit - offset)];
    }

    /** Lanes at or above {@code k} ({@code 0 <= k <= L}). */
    VectorMask<E> from(int k) {
        return from[k];
    }
}
