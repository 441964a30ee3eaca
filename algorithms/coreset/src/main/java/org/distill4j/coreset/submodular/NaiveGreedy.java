package org.distill4j.coreset.submodular;

import java.util.Arrays;

/**
 * The plain greedy algorithm (Nemhauser, Wolsey and Fisher 1978): at each of the {@code k} steps,
 * evaluate the gain of every remaining element and take the best. {@code O(n k)} gain
 * evaluations; the reference that {@link LazyGreedy} must reproduce exactly.
 */
public final class NaiveGreedy implements Greedy {
    @Override
    public Result maximize(SetFunction f, int k) {
        int n = f.size();
        Greedy.checkBudget(k, n);
        int[] remaining = new int[n];
        for (int i = 0; i < n; i++) {
            remaining[i] = i;
        }
        int left = n;
        int[] order = new int[k];
        double[] gains = new double[k];
        for (int step = 0; step < k; step++) {
            double[] g = f.gains(Arrays.copyOf(remaining, left));
            int best = 0;
            for (int c = 1; c < left; c++) {
                if (Greedy.better(g[c], remaining[c], g[best], remaining[best])) {
                    best = c;
                }
            }
            order[step] = remaining[best];
            gains[step] = g[best];
            f.add(remaining[best]);
            // Keep the remaining elements in ascending order.
            System.arraycopy(remaining, best + 1, remaining, best, left - best - 1);
            left--;
        }
        return new Result(order, gains);
    }
}
