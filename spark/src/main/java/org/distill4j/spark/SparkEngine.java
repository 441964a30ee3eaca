package org.distill4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.distill4j.coreset.SelectionEngine;

/**
 * The {@code spark} engine of {@code distill4j select --engine spark}, found by the command line
 * through {@link java.util.ServiceLoader}: reads the data (NumPy files or Parquet), runs
 * {@link SparkSelector} and hands back what {@code select} writes. Spark's own stage progress bar
 * shows on the console while it runs; its log is kept to warnings.
 */
public final class SparkEngine implements SelectionEngine {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public List<String> methods() {
        return SparkSelector.METHODS;
    }

    @Override
    public Result select(Request r, Consumer<String> progress) throws IOException {
        SparkSelector.Config cfg = new SparkSelector.Config(r.method(), r.budget(), r.fraction(), r.balance(), r.seed(),
                r.partitions(), 0.1, org.distill4j.coreset.CoverageStrata.DEFAULT_STRATA, 10);
        if (!Files.exists(r.data())) {
            throw new IllegalArgumentException(r.data() + ": not found; expected a folder of images.npy and labels.npy, a"
                    + " folder of such folders, or Parquet");
        }
        // A session the program already runs (a test's, a notebook's) is used and left running; one made here is stopped.
        boolean running = SparkSession.getDefaultSession().isDefined();
        SparkSession spark = session(r.master());
        try {
            progress.accept("spark " + spark.version() + " on " + spark.sparkContext().master() + ", "
                    + spark.sparkContext().defaultParallelism() + " cores");
            return readAndSelect(spark, r, progress);
        } finally {
            if (!running) {
                spark.stop();
            }
        }
    }

    /** The selection on a session the caller owns (and stops). */
    static Result readAndSelect(SparkSession spark, Request r, Consumer<String> progress) throws IOException {
        SparkSelector.Config cfg = new SparkSelector.Config(r.method(), r.budget(), r.fraction(), r.balance(), r.seed(),
                r.partitions(), 0.1, org.distill4j.coreset.CoverageStrata.DEFAULT_STRATA, 10);
        SparkInput in = read(spark, r.data(), r.partitions());
        SparkSelector.Result res = SparkErrors.unwrap(() -> SparkSelector.select(in.rows(), cfg));
        return new Result(res.selection(), in.record(), res.labels(), res.classCounts().length, res.perClass(),
                res.objective());
    }

    /** A folder holding images.npy (or subfolders that do) is NumPy; anything else is read as Parquet. */
    static SparkInput read(SparkSession spark, Path data, int partitions) throws IOException {
        boolean npy = Files.isRegularFile(data.resolve("images.npy"));
        if (!npy && Files.isDirectory(data)) {
            try (var s = Files.list(data)) {
                npy = s.anyMatch(p -> Files.isRegularFile(p.resolve("images.npy")));
            }
        }
        if (npy) {
            return SparkInput.npy(JavaSparkContext.fromSparkContext(spark.sparkContext()), data, partitions);
        }
        return SparkErrors.unwrap(() -> SparkInput.parquet(spark, data));
    }

    /** A session on {@code master} (local[*] when null) with warnings only in its log and the console progress bar on. */
    static SparkSession session(String master) {
        // Before Spark's first log line: its default log4j2 setup logs every INFO line to the console.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:org/distill4j/spark/log4j2-select.properties");
        }
        String m = master == null ? "local[*]" : master;
        SparkSession.Builder b = SparkSession.builder().appName("distill4j select").master(m)
                .config("spark.ui.enabled", "false")
                // Stage progress on a terminal; in a pipe or a log it would only be noise around the result.
                .config("spark.ui.showConsoleProgress", Boolean.toString(System.console() != null));
        if (m.startsWith("local")) {
            // Everything runs in this JVM: the driver's ports listen on loopback only.
            b = b.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1");
        }
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }
}
