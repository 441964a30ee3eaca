package org.distill4j.spark;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.distill4j.coreset.Selection;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;

/**
 * The main class of {@code spark/target/distill4j-spark-submit.jar}, for a cluster:
 * <pre>
 * spark-submit --master spark://host:7077 spark/target/distill4j-spark-submit.jar \
 *     --data /shared/rows --method facility-location --budget 100000 --partitions 640 --out selection.csv
 * </pre>
 * The flags are {@code select}'s: {@code --data} (NumPy folder(s) or Parquet, on storage every
 * executor reads), {@code --method}, {@code --budget N} or {@code --fraction F}, {@code --seed},
 * {@code --partitions}, {@code --no-balance}, {@code --out} (written by the driver, as
 * {@code select} writes it). Bad input is one line on stderr and exit code 2.
 */
public final class SparkSelect {
    private SparkSelect() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (RuntimeException | java.io.IOException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            System.err.println("distill4j-spark: error: " + m.lines().findFirst().orElse(""));
            System.exit(2);
        }
    }

    static int run(String[] args) throws java.io.IOException {
        Map<String, String> flags = new HashMap<>();
        boolean balance = true;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--no-balance")) {
                balance = false;
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                flags.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "' in " + Arrays.toString(args));
            }
        }
        for (String required : new String[]{"--data", "--method", "--out"}) {
            if (!flags.containsKey(required)) {
                throw new IllegalArgumentException("missing " + required + " (flags: --data PATH --method NAME --budget N|--fraction F"
                        + " --out FILE [--seed S] [--partitions P] [--no-balance])");
            }
        }
        int budget = Integer.parseInt(flags.getOrDefault("--budget", "0"));
        double fraction = Double.parseDouble(flags.getOrDefault("--fraction", "NaN"));
        if ((budget > 0) == !Double.isNaN(fraction)) {
            throw new IllegalArgumentException("give exactly one of --budget and --fraction");
        }
        long seed = Long.parseLong(flags.getOrDefault("--seed", "0"));
        int partitions = Integer.parseInt(flags.getOrDefault("--partitions", "0"));
        SparkSelector.Config cfg = new SparkSelector.Config(flags.get("--method"), budget, fraction, balance, seed, partitions,
                0.1, org.distill4j.coreset.CoverageStrata.DEFAULT_STRATA, 10);
        Output target = Output.check(Path.of(flags.get("--out")), OutputKinds.SELECTION_CSV, false);
        SparkSession spark = SparkSession.builder().appName("distill4j select").getOrCreate();
        try {
            SparkInput in = SparkEngine.read(spark, Path.of(flags.get("--data")), partitions);
            SparkSelector.Result r = SparkErrors.unwrap(() -> SparkSelector.select(in.rows(), cfg));
            Map<String, Object> more = new LinkedHashMap<>();
            more.put("dataset", flags.get("--data"));
            more.put("budget", r.selection().size());
            more.put("seed", seed);
            more.put("features", "input");
            Selection s = r.selection().withSettings(more);
            s.writeCsv(target, in.record(), r.labels());
            System.out.printf(Locale.ROOT, "selected %,d of %,d rows by %s on spark -> %s%s%n", s.size(), in.record().examples(),
                    s.method(), flags.get("--out"), r.objective() == null ? ""
                            : "; objective " + r.objective().name() + " " + r.objective().value());
            return 0;
        } finally {
            spark.stop();
        }
    }
}
