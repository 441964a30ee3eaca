package org.distill4j.coreset;

import java.util.Locale;

/** How many examples a selection takes, in all and per class. */
public final class Budget {
    private Budget() {
    }

    /**
     * Per-class budgets {@code round(budget * n_c / n)}, fixed up so that they sum exactly to
     * {@code budget} and none exceeds {@code n_c}: a shortfall goes one by one to the classes with
     * the largest remainders {@code budget * n_c / n - b_c} (ties to the lower class), an excess is
     * taken from the classes with the smallest remainders (ties to the lower class).
     *
     * @throws IllegalArgumentException if {@code budget < 1} or {@code budget > n}
     */
    public static int[] perClass(int[] classCounts, int budget) {
        long n = 0;
        for (int c = 0; c < classCounts.length; c++) {
            if (classCounts[c] < 0) {
                throw new IllegalArgumentException("class " + c + " has a negative count " + classCounts[c]);
            }
            n += classCounts[c];
        }
        check(budget, n);
        int classes = classCounts.length;
        int[] b = new int[classes];
        double[] remainder = new double[classes];
        long sum = 0;
        for (int c = 0; c < classes; c++) {
            double exact = (double) budget * classCounts[c] / n;
            b[c] = (int) Math.min(classCounts[c], Math.round(exact));
            remainder[c] = exact - b[c];
            sum += b[c];
        }
        // Each pass moves at most one unit per class; budget <= n guarantees the loop ends.
        while (sum != budget) {
            boolean grow = sum < budget;
            Integer[] order = new Integer[classes];
            for (int c = 0; c < classes; c++) {
                order[c] = c;
            }
            java.util.Arrays.sort(order, (x, y) -> {
                int byRemainder = grow ? Double.compare(remainder[y], remainder[x]) : Double.compare(remainder[x], remainder[y]);
                return byRemainder != 0 ? byRemainder : Integer.compare(x, y);
            });
            for (int c : order) {
                if (sum == budget) {
                    break;
                }
                if (grow && b[c] < classCounts[c]) {
                    b[c]++;
                    remainder[c] -= 1;
                    sum++;
                } else if (!grow && b[c] > 0) {
                    b[c]--;
                    remainder[c] += 1;
                    sum--;
                }
            }
        }
        return b;
    }

    /**
     * {@code round(fraction * n)}, at least 1.
     *
     * @throws IllegalArgumentException if {@code fraction} is not in {@code (0, 1]}
     */
    public static int fromFraction(double fraction, int n) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        if (n < 1) {
            throw new IllegalArgumentException("cannot take a fraction of an empty set (n = " + n + ")");
        }
        return (int) Math.max(1, Math.round(fraction * n));
    }

    /** Refuses a budget outside {@code [1, n]}. */
    static void check(int budget, long n) {
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be at least 1, got " + budget);
        }
        if (budget > n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "budget %d is larger than the data set (%d examples)", budget, n));
        }
    }
}
