package org.distill4j.coreset.submodular;

import java.util.PriorityQueue;

/**
 * Lazy greedy (Minoux 1978, "Accelerated greedy algorithms for maximizing submodular set
 * functions"): by submodularity a gain computed earlier is an upper bound on the gain now, so
 * elements wait in a priority queue under stale bounds and only the top one is re-evaluated;
 * when the top bound is fresh (computed at this step) it beats every other bound, hence every
 * other gain. With the queue ordered by bound, then lower index, the result is exactly
 * {@link NaiveGreedy}'s, ties included, for any function whose computed gains never grow
 * (all of this package's functions).
 */
public final class LazyGreedy implements Greedy {
    private record Entry(double bound, int element, int step) {
    }

    @Override
    public Result maximize(SetFunction f, int k) {
        int n = f.size();
        Greedy.checkBudget(k, n);
        int[] order = new int[k];
        double[] gains = new double[k];
        if (k == 0) {
            return new Result(order, gains);
        }
        PriorityQueue<Entry> queue = new PriorityQueue<>(Math.max(1, n),
                (a, b) -> Greedy.better(a.bound, a.element, b.bound, b.element) ? -1 : a.element == b.element ? 0 : 1);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        double[] first = f.gains(all);
        for (int i = 0; i < n; i++) {
            queue.add(new Entry(first[i], i, 0));
        }
        for (int step = 0; step < k; step++) {
            while (true) {
                Entry top = queue.poll();
                if (top.step == step) {
                    order[step] = top.element;
                    gains[step] = top.bound;
                    f.add(top.element);
                    break;
                }
                double fresh = f.gains(new int[]{top.element})[0];
                queue.add(new Entry(fresh, top.element, step));
            }
        }
        return new Result(order, gains);
    }
}
