package org.distill4j.coreset;

import java.util.ArrayList;
import java.util.List;

/** Where a method runs: inside each class on that class's share of the budget, or over the whole set. */
final class Groups {
    /** Positions (ascending) into the data set and how many of them to select; {@code label} is -1 for the whole set. */
    record Group(int label, int[] positions, int budget) {
    }

    private Groups() {
    }

    /**
     * One group per class with a non-zero budget ({@link SelectionContext#classBudgets}) when the
     * context balances classes, else the whole set as one group.
     *
     * @throws IllegalArgumentException if {@code budget} is outside {@code [1, N]}
     */
    static List<Group> of(SelectionContext ctx, int budget) {
        int n = ctx.data().size();
        Budget.check(budget, n);
        List<Group> groups = new ArrayList<>();
        if (!ctx.balance()) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            groups.add(new Group(-1, all, budget));
            return groups;
        }
        int[] budgets = ctx.classBudgets(budget);
        for (int c = 0; c < budgets.length; c++) {
            if (budgets[c] > 0) {
                groups.add(new Group(c, ctx.classIndices(c), budgets[c]));
            }
        }
        return groups;
    }

    /**
     * The groups an {@link Objective} is measured over, each as its positions (ascending) and the
     * positions of {@code selected} among them: every class with at least one selected example
     * when the context balances classes (a class whose share of the budget was 0 is not counted),
     * else the whole set as one group.
     */
    static List<int[][]> membersAndPicks(SelectionContext ctx, int[] selected) {
        int n = ctx.data().size();
        for (int i : selected) {
            if (i < 0 || i >= n) {
                throw new IllegalArgumentException("selected index " + i + " is outside [0, " + n + ")");
            }
        }
        List<int[][]> out = new ArrayList<>();
        if (!ctx.balance()) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            out.add(new int[][]{all, selected.clone()});
            return out;
        }
        for (int c = 0; c < ctx.classes(); c++) {
            int[] members = ctx.classIndices(c);
            int[] local = new int[selected.length];
            int k = 0;
            for (int i : selected) {
                int p = java.util.Arrays.binarySearch(members, i);
                if (p >= 0) {
                    local[k++] = p;
                }
            }
            if (k > 0) {
                out.add(new int[][]{members, java.util.Arrays.copyOf(local, k)});
            }
        }
        return out;
    }

    /**
     * The {@code k} best of {@code scores} (one per candidate): highest first or lowest first; ties
     * go to the smaller {@code tieBreak} value when one is given, then to the earlier candidate.
     * Returns candidate numbers (0-based positions into {@code scores}) in rank order.
     */
    static int[] top(double[] scores, int k, boolean highestFirst, double[] tieBreak) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> {
            int c = highestFirst ? Double.compare(scores[y], scores[x]) : Double.compare(scores[x], scores[y]);
            if (c == 0 && tieBreak != null) {
                c = Double.compare(tieBreak[x], tieBreak[y]);
            }
            return c != 0 ? c : Integer.compare(x, y);
        });
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** {@code values} at {@code positions}. */
    static double[] at(double[] values, int[] positions) {
        double[] out = new double[positions.length];
        for (int i = 0; i < positions.length; i++) {
            out[i] = values[positions[i]];
        }
        return out;
    }
}
