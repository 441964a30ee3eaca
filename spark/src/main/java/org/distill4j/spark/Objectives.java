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
                double v = 0;
                for (Map.Entry<Integer, float[][]> e : chosen.entrySet()) {
                    v += submodular(method, e.getKey(), e.getValue(), counts);
                }
                return new Objective.Value(method, v, true);
            }
        }
    }

    /** The value of {@code method} for the set {@code s} (feature rows) within group {@code g}. */
    double submodular(String method, int g, float[][] s, int[] counts) {
        if (method.equals("log-determinant")) {
            // f(S) = log det(S's similarity + lambda I): nothing but S.
            org.distill4j.tensor.Tensor x = Composable.features(List.of(s));
            int[] all = new int[s.length];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return Composable.submodular(method).objective(
                    Composable.oneClass(x, 0), all).value();
        }
        float[][] unit = normalised(s);
        boolean bal = balance;
        int group = g;
        if (method.equals("facility-location")) {
            Broadcast<float[][]> b = JavaSparkContext.fromSparkContext(rows.context()).broadcast(unit);
            double v = orderedSum(rows.mapPartitionsWithIndex((p, it) -> {
                double sum = 0;
                while (it.hasNext()) {
                    Example e = it.next();
                    if (bal && e.label != group) {
                        continue;
                    }
                    float[] x = unitRow(e.features);
                    double best = 0;
                    for (float[] c : b.value()) {
                        best = Math.max(best, 0.5 + 0.5 * dot(x, c));
                    }
                    sum += best;
                }
                return List.of(new Tuple2<>(p, new double[]{sum})).iterator();
            }, true).collect())[0];
            b.destroy();
            return v;
        }
        // Graph cut: sum_{j in S} colsum_j - lambda sum_{i, j in S} s_ij, colsum_j = n/2 + <sum_i x_i, x_j>/2 on unit rows.
        double[] total = orderedSum(rows.mapPartitionsWithIndex((p, it) -> {
            double[] t = null;
            while (it.hasNext()) {
                Example e = it.next();
                if (bal && e.label != group) {
                    continue;
                }
                float[] x = unitRow(e.features);
                if (t == null) {
                    t = new double[x.length + 1];
                }
                for (int j = 0; j < x.length; j++) {
                    t[j] += x[j];
                }
                t[x.length]++;
            }
            return t == null ? java.util.Collections.emptyIterator() : List.of(new Tuple2<>(p, t)).iterator();
        }, true).collect());
        int d = unit[0].length;
        double n = total[d];
        Similarity within = Similarity.of(Composable.features(List.of(s)), Similarity.Kernel.COSINE);
        double v = 0;
        for (int j = 0; j < s.length; j++) {
            double self = dot(unit[j], unit[j]);
            double dotTotal = 0;
            for (int k = 0; k < d; k++) {
                dotTotal += unit[j][k] * total[k];
            }
            v += 0.5 * n + 0.5 * dotTotal - (0.5 + 0.5 * self) + within.diagonal(j);
            float[] col = within.column(j);
            for (int i = 0; i < s.length; i++) {
                v -= GraphCut.DEFAULT_LAMBDA * col[i];
            }
        }
        return v;
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
