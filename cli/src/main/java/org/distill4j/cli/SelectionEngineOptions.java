package org.distill4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.distill4j.coreset.CoresetMethod;
import org.distill4j.coreset.CoresetMethods;
import org.distill4j.coreset.SelectionOptions;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.coreset.SelectionEngine;
import org.distill4j.coreset.submodular.Similarity;
import org.distill4j.coreset.submodular.StochasticGreedy;
import org.distill4j.coreset.submodular.SubmodularSelection;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.tensor.Tensor;
import picocli.CommandLine.Option;

/**
 * {@code select}'s options for what the selection is computed on and where: the data's own feature
 * vectors instead of a selection model's ({@code --features input}), and a distributed engine
 * ({@code --engine spark}) found on the classpath at run time, so that this module never depends
 * on Spark.
 */
public final class SelectionEngineOptions {
    /** The methods that need nothing but feature vectors and labels. */
    static final List<String> FEATURE_METHODS = List.of("uniform", "herding", "kcenter", "importance",
            "facility-location", "graph-cut", "log-determinant");

    static final String SPARK_HINT = "the spark engine is not on the classpath: build it with `mvn -B -pl spark -am package"
            + " -DskipTests` (./distill4j then adds spark/target to the classpath), or spark-submit the spark module's jar";

    @Option(names = "--features", paramLabel = "model|input",
            description = "What the methods measure: model trains the selection model and uses its embeddings (the default "
                    + "with --engine local); input uses the data set's own feature vectors (rows of images.npy [N, D], or "
                    + "flattened images), with no model (the only choice with --engine spark).")
    String features;

    @Option(names = "--engine", defaultValue = "local", paramLabel = "local|spark",
            description = "Where to select: local, in this JVM; spark, as Spark jobs (needs the spark module on the classpath).")
    String engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark's master with --engine spark, e.g. local[2] or spark://host:7077 (default: local[*]).")
    String master;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "P",
            description = "With --engine spark: parts the data are split into (0: Spark's choice).")
    int partitions;

    /** Refuses bad values and combinations before any data is loaded. */
    void check(String method) {
        if (!engine.equals("local") && !engine.equals("spark")) {
            throw new IllegalArgumentException("--engine must be local or spark, got '" + engine + "'");
        }
        if (features != null && !features.equals("model") && !features.equals("input")) {
            throw new IllegalArgumentException("--features must be model or input, got '" + features + "'");
        }
        if (spark() && "model".equals(features)) {
            throw new IllegalArgumentException("--engine spark selects on the data's own features (--features input);"
                    + " it trains no selection model");
        }
        if (!spark() && (master != null || partitions != 0)) {
            throw new IllegalArgumentException("--master and --partitions need --engine spark");
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be >= 0, got " + partitions);
        }
        if (fromInput() && !spark() && !FEATURE_METHODS.contains(method)) {
            throw new IllegalArgumentException("--features input serves the methods that need only feature vectors ("
                    + String.join(", ", FEATURE_METHODS) + "); " + method + " needs a selection model");
        }
    }

    boolean spark() {
        return engine.equals("spark");
    }

    /** Whether the methods run on the data's own features (no selection model). */
    boolean fromInput() {
        return spark() || "input".equals(features);
    }

    /** The engine asked for, from the classpath. */
    SelectionEngine sparkEngine(String method) {
        SelectionEngine e = SelectionEngine.find("spark").orElseThrow(() -> new IllegalStateException(SPARK_HINT));
        if (!e.methods().contains(method)) {
            throw new IllegalArgumentException("--engine spark runs " + String.join(", ", e.methods()) + "; not " + method);
        }
        return e;
    }

    /** The data set's training split as it is stored (not normalised), its rows flattened to feature vectors; all finite. */
    static Dataset loadFeatures(String dataset, Path dataDir) throws IOException {
        Dataset d = DataSets.load(dataset, true, dataDir);
        float[] x = d.images().toFloatArray();
        int dim = x.length / Math.max(1, d.size());
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: feature %d of row %d is %s; features must be finite",
                        dataset, i % dim, i / dim, x[i]));
            }
        }
        return d;
    }

    /** A context over {@code d}'s rows as feature vectors, with no model. */
    static SelectionContext context(Dataset d, long seed, boolean balance) {
        Tensor rows = d.images().reshape(d.size(), d.images().size() / d.size());
        return SelectionContext.ofFeatures(rows, d.labels(), d.classes(), seed, balance);
    }

    /** The method called {@code name}, measuring similarities between the features themselves where it can measure others. */
    static CoresetMethod featureMethod(String name, SelectionOptions options) {
        if (SubmodularSelection.FUNCTIONS.contains(name)) {
            SelectionOptions.Submodular sub = options.submodular();
            return new SubmodularSelection(name, SubmodularSelection.Features.EMBEDDINGS, sub.similarity(), sub.optimizer(),
                    sub.lambda(), StochasticGreedy.DEFAULT_EPSILON);
        }
        return CoresetMethods.byName(name, options);
    }
}
