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
}
