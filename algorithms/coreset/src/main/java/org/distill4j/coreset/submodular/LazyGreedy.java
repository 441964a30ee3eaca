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
 *
 * <p>When the top element's gain costs a computation that also serves others
 * ({@link SetFunction#companions}: facility location computes a block of similarity columns to
 * read one), the stale companions are re-evaluated with it and go back into the queue under their
 * fresh gains; their older entries stay in the queue and are skipped when they come up. A fresh
 * gain is as valid a bound as a stale one, so the picks are the same; only fewer blocks are
 * computed again (at 10^5 elements a class, the cache holds a few thousand of its columns, and
 * re-evaluating one candidate at a time recomputed a block of 41 columns to read one).
 */
public final class LazyGreedy implements Greedy {
    private record Entry(double bound, int element, int step) {
    }

    /**
     * By bound, then lower element (as {@link Greedy#better}), then newer step: a total order, also
     * among one element's entries (ordering those by step alone, whatever their bounds, made the
     * order cyclic with a third element's entry between their bounds, and the heap lost its order).
     */
    private static int compare(Entry a, Entry b) {
        if (Greedy.better(a.bound, a.element, b.bound, b.element)) {
            return -1;
        }
        if (Greedy.better(b.bound, b.element, a.bound, a.element)) {
            return 1;
        }
        return Integer.compare(b.step, a.step);
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
        PriorityQueue<Entry> queue = new PriorityQueue<>(Math.max(1, n), LazyGreedy::compare);
        // The step of each element's newest entry (the only one that counts); -1 once chosen.
        int[] latest = new int[n];
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
                if (latest[top.element] != top.step) {
                    continue; // superseded by a newer entry, or chosen
                }
                if (top.step == step) {
                    order[step] = top.element;
                    gains[step] = top.bound;
                    latest[top.element] = -1;
                    f.add(top.element);
                    break;
                }
                int[] companions = f.companions(top.element);
                int[] batch = new int[1 + companions.length];
                batch[0] = top.element;
                int size = 1;
                for (int c : companions) {
                    if (c != top.element && latest[c] >= 0 && latest[c] != step) {
                        batch[size++] = c;
                    }
                }
                int[] now = size == batch.length ? batch : java.util.Arrays.copyOf(batch, size);
                double[] fresh = f.gains(now);
                for (int i = 0; i < now.length; i++) {
                    latest[now[i]] = step;
                    queue.add(new Entry(fresh[i], now[i], step));
                }
            }
        }
        return new Result(order, gains);
    }
}
