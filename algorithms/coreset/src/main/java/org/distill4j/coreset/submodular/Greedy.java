package org.distill4j.coreset.submodular;

/**
 * A greedy maximiser of a set function under a cardinality constraint: exactly {@code k}
 * distinct elements, even where gains are zero or negative (the coreset budget is exact). Ties
 * go to the lower element index.
 */
public interface Greedy {
    /** The elements in the order they were chosen, and each one's marginal gain when it was chosen. */
    record Result(int[] order, double[] gains) {
    }

    /** Chooses {@code k} elements of {@code f}'s ground set, adding each one to {@code f}. */
    Result maximize(SetFunction f, int k);

    /** Refuses {@code k} outside {@code [0, n]}. */
    static void checkBudget(int k, int n) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("greedy budget " + k + " is outside [0, " + n + "]");
        }
    }

    /** Whether gain {@code a} of element {@code i} beats gain {@code b} of element {@code j}: larger, then lower index; NaN loses. */
    static boolean better(double a, int i, double b, int j) {
        double x = Double.isNaN(a) ? Double.NEGATIVE_INFINITY : a;
        double y = Double.isNaN(b) ? Double.NEGATIVE_INFINITY : b;
        return x > y || (x == y && i < j);
    }
}
