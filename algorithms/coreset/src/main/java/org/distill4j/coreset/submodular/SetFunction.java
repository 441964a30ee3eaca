package org.distill4j.coreset.submodular;

/**
 * A set function {@code f} over the ground set {@code {0, ..., size() - 1}} together with the set
 * {@code A} chosen so far (initially empty), in the form greedy maximisers use: marginal gains
 * of candidates given {@code A}, and adding one element to {@code A}.
 */
public interface SetFunction {
    /** The size of the ground set. */
    int size();

    /**
     * {@code f(A + e) - f(A)} for each candidate {@code e}, none of which may be in {@code A}. A gain
     * depends only on {@code A} and {@code e}, never on which other candidates are asked with it.
     */
    double[] gains(int[] candidates);

    /** Adds {@code e} (not yet in {@code A}) to {@code A}. */
    void add(int e);

    /** {@code f(A)}. */
    double value();

    /**
     * Candidates whose gains now cost little beside {@code e}'s: for a function that reads a
     * similarity in column blocks, the rest of {@code e}'s block when that block is not in memory
     * (computing it is what {@code e}'s gain costs; the others' gains are then a read each). A lazy
     * greedy may re-evaluate them together with {@code e}; the list may hold {@code e} and members of
     * {@code A}, which the caller skips. Default: none.
     */
    default int[] companions(int e) {
        return NO_COMPANIONS;
    }

    /** The empty list of {@link #companions}. */
    int[] NO_COMPANIONS = new int[0];
}
