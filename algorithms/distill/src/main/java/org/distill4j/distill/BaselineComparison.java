package org.distill4j.distill;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.data.Dataset;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Generator;

/**
 * The paper's comparison (Wang et al. 2018, Table 1): a distilled set against random real images,
 * class-mean images, k-means centroids and any selections of real examples, each replayed with the
 * same rates and step order on the same networks, and trained on the ordinary way.
 *
 * <pre>{@code
 * DistilledSet set = DistilledSet.read(Path.of("distilled"));
 * List<BaselineComparison.Row> rows = BaselineComparison.run(lenet, data.train(), data.test(),
 *         BaselineComparison.Schedule.of(set, 0), new BaselineComparison.Config(20, 50, 30), set, Map.of(),
 *         BaselineComparison.Listener.NONE);
 * }</pre>
 */
public final class BaselineComparison {
    /**
     * The layout and schedule every set is replayed with: {@code ipc} images per class in each of
     * {@code steps} steps, rates {@code lrs} (a multiple of {@code steps} of them), the networks'
     * init, and the seed of the baselines, initialisations and ordinary training.
     */
    public record Schedule(int ipc, int steps, double[] lrs, DistillConfig.Init init, long seed) {
        public Schedule {
            if (ipc < 1 || steps < 1) {
                throw new IllegalArgumentException("ipc and steps must be >= 1, got " + ipc + " and " + steps);
            }
            if (lrs.length == 0 || lrs.length % steps != 0) {
                throw new IllegalArgumentException(lrs.length + " learning rates for " + steps + " steps: expected a positive multiple");
            }
            lrs = lrs.clone();
        }

        /** Every one of {@code steps x epochs} steps at rate {@code lr}. */
        public static Schedule fixedRate(int ipc, int steps, int epochs, double lr, DistillConfig.Init init, long seed) {
            if (epochs < 1 || !(lr > 0)) {
                throw new IllegalArgumentException("epochs must be >= 1 and lr positive, got " + epochs + " and " + lr);
            }
            double[] lrs = new double[steps * epochs];
            Arrays.fill(lrs, lr);
            return new Schedule(ipc, steps, lrs, init, seed);
        }

        /** A distilled set's own layout, learned rates and init; its seed, or {@code seed} where it records none. */
        public static Schedule of(DistilledSet set, long seed) {
            return new Schedule(set.ipc(), set.steps(), set.lrs(), set.init(), set.seed().orElse(seed));
        }

        public boolean fixedInit() {
            return init == DistillConfig.Init.FIXED;
        }

        @Override
        public double[] lrs() {
            return lrs.clone();
        }
    }

    /**
     * @param models           random initialisations each set is evaluated on (a fixed-init schedule uses the kept one)
     * @param trainEpochs      epochs of ordinary SGD training on each set's images
     * @param kmeansIterations Lloyd iterations of the k-means baseline
     */
    public record Config(int models, int trainEpochs, int kmeansIterations) {
        public Config {
            if (models < 1 || trainEpochs < 0 || kmeansIterations < 0) {
                throw new IllegalArgumentException("models must be >= 1, trainEpochs and kmeansIterations >= 0, got "
                        + models + ", " + trainEpochs + " and " + kmeansIterations);
            }
        }
    }

    /** One set's figures: its name in the table and its evaluation. */
    public record Row(String method, DistilledEvaluation.Result result) {
        /** As results record it ({@link DistilledEvaluation.Result#toMap}). */
        public java.util.Map<String, Object> toMap() {
            return result.toMap(method);
        }
    }

    /** Told before each set is evaluated (progress). */
    public interface Listener {
        void onSet(String method, int networks);

        Listener NONE = (method, networks) -> { };
    }

    /** The name of the distilled set's row. */
    public static final String DISTILLED = "dataset distillation";

    private BaselineComparison() {
    }

    /** The networks every set is evaluated on: the kept one for fixed init, {@code models} unseen ones otherwise. */
    public static Params[] inits(Model model, Schedule s, Config cfg) {
        return DistilledEvaluation.evaluationInits(model, s.fixedInit(), s.seed(), s.fixedInit() ? 1 : cfg.models(), DType.F32);
    }

    /**
     * Rows, in order: the distilled set (when not null), random real images, class-mean images,
     * k-means centroids, then each of {@code selections} (name to training-set indices).
     */
    public static List<Row> run(Model model, Dataset train, Dataset test, Schedule s, Config cfg, DistilledSet distilled,
                                Map<String, int[]> selections, Listener listener) {
        Models.checkInput(model, train.imageShape());
        Params[] inits = inits(model, s, cfg);
        Generator gen = new Generator(s.seed()).fork(20);
        double[] lrs = s.lrs();
        Map<String, DistilledSet> sets = new LinkedHashMap<>();
        if (distilled != null) {
            sets.put(DISTILLED, distilled);
        }
        sets.put("random real images", Baselines.randomReal(train, s.ipc(), s.steps(), lrs, gen.fork(0)));
        sets.put("class-mean images", Baselines.classMeans(train, s.ipc(), s.steps(), lrs));
        sets.put("k-means centroids", Baselines.kMeans(train, s.ipc(), s.steps(), lrs, gen.fork(1), cfg.kmeansIterations()));
        for (Map.Entry<String, int[]> e : selections.entrySet()) {
            sets.put(e.getKey(), Baselines.fromIndices("selection", train, e.getValue(), s.ipc(), s.steps(), lrs));
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, DistilledSet> e : sets.entrySet()) {
            listener.onSet(e.getKey(), inits.length);
            rows.add(new Row(e.getKey(), DistilledEvaluation.evaluate(model, e.getValue(), test, inits, cfg.trainEpochs(), s.seed())));
        }
        return rows;
    }
}
