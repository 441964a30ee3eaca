package org.distill4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.data.GaussianMixture;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.CorrectnessLog;

/** One local Spark session for the module's tests, and a small labelled mixture both engines select from. */
final class SparkTestData {
    private static SparkSession spark;

    /** local[2, 2]: two cores, and a failed task is tried once more (the failure test needs that). */
    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().appName("distill4j-spark tests").master("local[2,2]")
                    .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1").getOrCreate();
            spark.sparkContext().setLogLevel("ERROR");
        }
        return spark;
    }

    static JavaSparkContext sc() {
        return JavaSparkContext.fromSparkContext(spark().sparkContext());
    }

    final int n;
    final int dim;
    final int classes;
    final float[] features;
    final int[] labels;
    final float[] probabilities;
    final double[] scores;

    SparkTestData(int n, int dim, int classes, long seed) {
        this.n = n;
        this.dim = dim;
        this.classes = classes;
        GaussianMixture g = new GaussianMixture(seed, classes, dim, 1.0);
        features = new float[n * dim];
        labels = new int[n];
        probabilities = new float[n * classes];
        scores = new double[n];
        for (int i = 0; i < n; i++) {
            g.row(i, features, i * dim);
            labels[i] = g.label(i);
            g.posterior(features, i * dim, probabilities, i * classes);
            // Few distinct values, so ties are common and their order is tested.
            scores[i] = Math.round(10 * (1 - probabilities[i * classes + labels[i]])) / 10.0;
        }
    }

    float[] row(int i) {
        float[] r = new float[dim];
        System.arraycopy(features, i * dim, r, 0, dim);
        return r;
    }

    List<Example> examples() {
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] p = new float[classes];
            System.arraycopy(probabilities, i * classes, p, 0, classes);
            out.add(new Example(i, labels[i], row(i), scores[i], p));
        }
        return out;
    }

    /** The rows in {@code slices} input partitions (the selection's own partitioning is separate). */
    JavaRDD<Example> rdd(int slices) {
        return sc().parallelize(examples(), slices);
    }

    SelectionContext context(boolean balance, long seed) {
        Tensor x = Tensor.fromFloats(features, n, dim);
        org.distill4j.data.Dataset d = new org.distill4j.data.Dataset("mixture", x.reshape(n, dim, 1, 1), labels, classes);
        return SelectionContext.precomputed(d, x, Tensor.fromFloats(probabilities, n, classes), (CorrectnessLog) null, seed,
                balance);
    }
}
