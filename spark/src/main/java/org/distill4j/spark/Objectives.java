package org.distill4j.spark;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.distill4j.coreset.Objective;
import org.distill4j.coreset.submodular.GraphCut;
import org.distill4j.coreset.submodular.Similarity;
import scala.Tuple2;

/**
 * Each method's objective over all the rows, computed with Spark, defined as the single-machine
 * {@link Objective}s define it (per class with balance): facility location and graph cut sum over
 * every row (partial sums merged in partition order), the k-center radius is a maximum, the
 * log-determinant and the herding moment distance need only the selection and the class means.
 */
final class Objectives {
    private final JavaRDD<Example> rows;
    private final boolean balance;

    Objectives(JavaRDD<Example> rows, boolean balance) {
        this.rows = rows;
        this.balance = balance;
    }

    Objective.Value of(String method, Map<Integer, float[][]> chosen, double[][] means, int[] counts) {
        switch (method) {
            case "kcenter": {
                Broadcast<Map<Integer, float[][]>> b = JavaSparkContext.fromSparkContext(rows.context()).broadcast(chosen);
                boolean bal = balance;
                double r2 = rows.map(e -> {
                    float[][] centers = b.value().get(bal ? e.label : 0);
                    double best = Double.POSITIVE_INFINITY;
                    if (centers == null) {
                        return 0.0; // a class with no budget is not measured, as on one machine
                    }
                    for (float[] c : centers) {
                        double d = 0;
                        for (int j = 0; j < c.length; j++) {
                            double v = (double) e.features[j] - c[j];
                            d += v * v;
                        }
                        best = Math.min(best, d);
                    }
                    return best;
                }).reduce(Math::max);
                b.destroy();
                return new Objective.Value("radius", Math.sqrt(r2), false);
            }
            case "herding": {
                double sum = 0;
                long counted = 0;
                for (Map.Entry<Integer, float[][]> e : chosen.entrySet()) {
                    int g = e.getKey();
                    float[][] s = e.getValue();
                    int n = balance ? counts[g] : java.util.Arrays.stream(counts).sum();
                    double d2 = 0;
                    for (int j = 0; j < means[g].length; j++) {
                        double m = 0;
                        for (float[] row : s) {
                            m += row[j];
                        }
                        double diff = m / s.length - means[g][j];
                        d2 += diff * diff;
                    }
                    sum += n * d2;
                    counted += n;
                }
                return new Objective.Value("moment-distance", Math.sqrt(sum / counted), false);
            }
            default: {
                List<float[][]> sets = new java.util.ArrayList<>(chosen.values());
                int[] groupOf = chosen.keySet().stream().mapToInt(Integer::intValue).toArray();
                double v = 0;
                for (double x : submodular(method, sets, groupOf)) {
                    v += x;
                }
                return new Objective.Value(method, v, true);
            }
        }
    }

    /**
     * The value of {@code method} for each set (feature rows), set {@code s} measured on the rows of
     * group {@code groupOf[s]}: one pass over the data for all of them (none for log-determinant,
     * whose value depends on the set alone).
     */
    double[] submodular(String method, List<float[][]> sets, int[] groupOf) {
        int n = sets.size();
        double[] out = new double[n];
        if (method.equals("log-determinant")) {
            for (int s = 0; s < n; s++) {
                int[] all = new int[sets.get(s).length];
                for (int i = 0; i < all.length; i++) {
                    all[i] = i;
                }
                out[s] = Composable.submodular(method).objective(Composable.oneClass(Composable.features(List.of(sets.get(s))), 0),
                        all).value();
            }
            return out;
        }
        List<float[][]> unit = sets.stream().map(Objectives::normalised).toList();
        boolean bal = balance;
        if (method.equals("facility-location")) {
            // f(S) = sum over the group's rows of max_{j in S} (1/2 + 1/2 cos(x, x_j)).
            Broadcast<List<float[][]>> b = JavaSparkContext.fromSparkContext(rows.context()).broadcast(unit);
            double[] v = orderedSum(rows.mapPartitionsWithIndex((p, it) -> {
                double[] sum = new double[n];
                while (it.hasNext()) {
                    Example e = it.next();
                    float[] x = unitRow(e.features);
                    int g = bal ? e.label : 0;
                    for (int s = 0; s < n; s++) {
                        if (groupOf[s] != g) {
                            continue;
                        }
                        double best = 0;
                        for (float[] c : b.value().get(s)) {
                            best = Math.max(best, 0.5 + 0.5 * dot(x, c));
                        }
                        sum[s] += best;
                    }
                }
                return List.of(new Tuple2<>(p, sum)).iterator();
            }, true).collect());
            b.destroy();
            return v;
        }
        // Graph cut: sum_{j in S} colsum_j - lambda sum_{i, j in S} s_ij, colsum_j = n/2 + <sum_i x_i, x_j>/2 on unit rows
        // (with the exact diagonal): the groups' sums of unit rows, in one pass, are all the data it needs.
        int groups = java.util.Arrays.stream(groupOf).max().orElse(0) + 1;
        int d = unit.get(0)[0].length;
        double[] totals = orderedSum(rows.mapPartitionsWithIndex((p, it) -> {
            double[] t = new double[groups * (d + 1)];
            while (it.hasNext()) {
                Example e = it.next();
                int g = bal ? e.label : 0;
                if (g >= groups) {
                    continue;
                }
                float[] x = unitRow(e.features);
                for (int j = 0; j < d; j++) {
                    t[g * (d + 1) + j] += x[j];
                }
                t[g * (d + 1) + d]++;
            }
            return List.of(new Tuple2<>(p, t)).iterator();
        }, true).collect());
        for (int s = 0; s < n; s++) {
            float[][] u = unit.get(s);
            int g = groupOf[s];
            double rowsInGroup = totals[g * (d + 1) + d];
            Similarity within = Similarity.of(Composable.features(List.of(sets.get(s))), Similarity.Kernel.COSINE);
            double v = 0;
            for (int j = 0; j < u.length; j++) {
                double dotTotal = 0;
                for (int k = 0; k < d; k++) {
                    dotTotal += u[j][k] * totals[g * (d + 1) + k];
                }
                v += 0.5 * rowsInGroup + 0.5 * dotTotal - (0.5 + 0.5 * dot(u[j], u[j])) + within.diagonal(j);
                float[] col = within.column(j);
                for (int i = 0; i < u.length; i++) {
                    v -= GraphCut.DEFAULT_LAMBDA * col[i];
                }
            }
            out[s] = v;
        }
        return out;
    }

    /** Per-partition partial sums added in partition order (the same bits for any task timing). */
    static double[] orderedSum(List<Tuple2<Integer, double[]>> partial) {
        double[] out = null;
        for (Tuple2<Integer, double[]> t : partial.stream().sorted(Comparator.comparingInt(Tuple2::_1)).toList()) {
            if (out == null) {
                out = new double[t._2.length];
            }
            for (int j = 0; j < out.length; j++) {
                out[j] += t._2[j];
            }
        }
        return out == null ? new double[1] : out;
    }

    static float[][] normalised(float[][] s) {
        float[][] out = new float[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = unitRow(s[i]);
        }
        return out;
    }

    /** The row divided by its norm (zero rows stay zero: cosine 0 with everything), as the cosine kernel does. */
    static float[] unitRow(float[] x) {
        double sq = 0;
        for (float v : x) {
            sq += (double) v * v;
        }
        float[] out = new float[x.length];
        if (sq > 0) {
            double inv = 1 / Math.sqrt(sq);
            for (int j = 0; j < x.length; j++) {
                out[j] = (float) (x[j] * inv);
            }
        }
        return out;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (double) a[j] * b[j];
        }
        return s;
    }
}
