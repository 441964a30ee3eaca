package org.distill4j.coreset.submodular;

import org.distill4j.tensor.Generator;

/**
 * Stochastic greedy (Mirzasoleiman, Badanidiyuru, Karbasi, Vondrak and Krause 2015, "Lazier
 * than lazy greedy"): at each step, evaluate only a uniform sample (without replacement) of
 * {@code s = ceil((n / k) log(1 / epsilon))} remaining elements and take the best of them.
 * {@code O(n log(1/epsilon))} evaluations in all, and {@code (1 - 1/e - epsilon)} of the optimum
 * in expectation for monotone submodular functions. The sample is drawn from the seeded
 * generator, so the same seed gives the same set.
 */
public final class StochasticGreedy implements Greedy {
    public static final double DEFAULT_EPSILON = 0.01;

    private final Generator gen;
    private final double epsilon;

    public StochasticGreedy(Generator gen, double epsilon) {
        if (!(epsilon > 0 && epsilon < 1)) {
            throw new IllegalArgumentException("stochastic greedy epsilon must be in (0, 1), got " + epsilon);
        }
        this.gen = gen;
        this.epsilon = epsilon;
    }

    /** The sample size for choosing {@code k} of {@code n} elements. */
    public static int sampleSize(int n, int k, double epsilon) {
        if (k == 0) {
            return 0;
        }
        return (int) Math.min(n, Math.max(1, Math.ceil((double) n / k * Math.log(1 / epsilon))));
    }

    @Override
    public Result maximize(SetFunction f, int k) {
        int n = f.size();
        Greedy.checkBudget(k, n);
        int s = sampleSize(n, k, epsilon);
        int[] remaining = new int[n];
        for (int i = 0; i < n; i++) {
            remaining[i] = i;
        }
        int left = n;
        int[] order = new int[k];
        double[] gains = new double[k];
        for (int step = 0; step < k; step++) {
            int m = Math.min(s, left);
            // Partial Fisher-Yates: the first m slots become a uniform sample of the remaining elements.
            for (int i = 0; i < m; i++) {
                int j = i + gen.nextInt(left - i);
                int t = remaining[i];
                remaining[i] = remaining[j];
                remaining[j] = t;
            }
            int[] sample = java.util.Arrays.copyOf(remaining, m);
            double[] g = f.gains(sample);
            int best = 0;
            for (int c = 1; c < m; c++) {
                if (Greedy.better(g[c], sample[c], g[best], sample[best])) {
                    best = c;
                }
            }
            order[step] = sample[best];
            gains[step] = g[best];
            f.add(sample[best]);
            remaining[best] = remaining[left - 1];
            left--;
        }
        return new Result(order, gains);
    }
}
