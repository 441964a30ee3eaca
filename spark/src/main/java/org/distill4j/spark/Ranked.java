package org.distill4j.spark;

import java.io.Serializable;

/**
 * A row's place in a distributed ranking: ascending by group, then by {@code primary} (a score,
 * negated when higher ranks first), then {@code secondary} (a tie-break key), then id. Sorting by it
 * and numbering the sorted rows gives every row its exact global rank in its group, whatever the
 * partitioning.
 */
final class Ranked implements Comparable<Ranked>, Serializable {
    private static final long serialVersionUID = 1L;

    final int group;
    final double primary;
    final long secondary;
    final long id;
    final int label;
    final double score;

    Ranked(int group, double primary, long secondary, long id, int label, double score) {
        this.group = group;
        this.primary = primary;
        this.secondary = secondary;
        this.id = id;
        this.label = label;
        this.score = score;
    }

    /** A pseudo-random key compared as unsigned, as a signed long that sorts the same way. */
    static long unsignedOrder(long key) {
        return key ^ Long.MIN_VALUE;
    }

    @Override
    public int compareTo(Ranked o) {
        int c = Integer.compare(group, o.group);
        if (c == 0) {
            c = Double.compare(primary, o.primary);
        }
        if (c == 0) {
            c = Long.compare(secondary, o.secondary);
        }
        return c != 0 ? c : Long.compare(id, o.id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ranked r && compareTo(r) == 0;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }
}
