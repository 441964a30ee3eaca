package org.distill4j.coreset.submodular;

import java.util.List;

/**
 * The sum of set functions over disjoint ground sets, laid end to end: element {@code e} of part
 * {@code p} is {@code offset(p) + e}. This is the function of a block-diagonal similarity (zero
 * between parts), e.g. CRAIG's per-class gradient similarity: one greedy over the sum lets the
 * gains decide how the budget splits across the parts, and no similarity between parts is ever
 * computed. Sums of (monotone) submodular functions stay (monotone) submodular.
 */
public final class DisjointSum implements SetFunction {
    private final List<? extends SetFunction> parts;
    private final int[] offsets;

    public DisjointSum(List<? extends SetFunction> parts) {
        this.parts = List.copyOf(parts);
        this.offsets = new int[parts.size() + 1];
        for (int p = 0; p < parts.size(); p++) {
            offsets[p + 1] = offsets[p] + parts.get(p).size();
        }
    }

    @Override
    public int size() {
        return offsets[offsets.length - 1];
    }

    /** Where part {@code p}'s elements start. */
    public int offset(int p) {
        return offsets[p];
    }

    /** The part that element {@code e} belongs to. */
    public int part(int e) {
        if (e < 0 || e >= size()) {
            throw new IndexOutOfBoundsException("element " + e + " of a sum over " + size() + " elements");
        }
        int p = java.util.Arrays.binarySearch(offsets, e);
        // An exact hit may be the end of empty parts: take the last part that starts at e.
        if (p >= 0) {
            while (p + 1 < offsets.length - 1 && offsets[p + 1] == e) {
                p++;
            }
            return p;
        }
        return -p - 2;
    }

    @Override
    public double[] gains(int[] candidates) {
        double[] out = new double[candidates.length];
        // Group the candidates by part, keeping their order, and ask each part once.
        int[] count = new int[parts.size()];
        int[] partOf = new int[candidates.length];
        for (int c = 0; c < candidates.length; c++) {
            partOf[c] = part(candidates[c]);
            count[partOf[c]]++;
        }
        for (int p = 0; p < parts.size(); p++) {
            if (count[p] == 0) {
                continue;
            }
            int[] local = new int[count[p]];
            int[] where = new int[count[p]];
            for (int c = 0, j = 0; c < candidates.length; c++) {
                if (partOf[c] == p) {
                    local[j] = candidates[c] - offsets[p];
                    where[j++] = c;
                }
            }
            double[] g = parts.get(p).gains(local);
            for (int j = 0; j < g.length; j++) {
                out[where[j]] = g[j];
            }
        }
        return out;
    }

    @Override
    public void add(int e) {
        int p = part(e);
        parts.get(p).add(e - offsets[p]);
    }

    @Override
    public double value() {
        double v = 0;
        for (SetFunction f : parts) {
            v += f.value();
        }
        return v;
    }
}
