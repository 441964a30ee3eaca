package org.distill4j.coreset.adaptive;

import java.util.Arrays;
import java.util.List;
import org.distill4j.data.Dataset;
import org.distill4j.nn.Model;
import org.distill4j.tensor.Generator;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainListener;
import org.distill4j.train.TrainResult;
import org.distill4j.train.Trainer;

/**
 * Training with adaptive subset selection, end to end, as CORDS's {@code train_sl.py} runs it: hold
 * out a validation split of the training set, train a fresh model for the configured epochs with
 * an {@link AdaptiveSelection} choosing each epoch's subset, and report test accuracy and the time
 * of the training passes with the selections inside them (CORDS's {@code timing}: what a subset
 * saves against full training, selection included).
 *
 * <pre>{@code
 * AdaptiveTraining.Result r = AdaptiveTraining.run(Models.lenet(shape, 10), data.train(), data.test(),
 *         AdaptiveSettings.of(AdaptiveMethod.GRADMATCH_PB, 0.1).withSelectEvery(5),
 *         new TrainConfig("sgd", 0.01, 0.9, 5e-4, true, 20, 128, "cosine", 0, false), TrainListener.NONE);
 * r.training().finalTestAccuracy();  r.training().trainSeconds();  r.selectionSeconds();
 * }</pre>
 */
public final class AdaptiveTraining {
    private AdaptiveTraining() {
    }

    /** The training set split in two: what is trained on and selected from, and the held-out validation split. */
    public record Split(Dataset train, Dataset validation) {
    }

    /**
     * One run: the training result (its {@code trainSeconds} are the training passes, selections
     * included; test passes are not), the settings, the split sizes, the examples asked for per
     * subset epoch, and every (re-)selection with its seconds.
     */
    public record Result(TrainResult training, AdaptiveSettings settings, int trainExamples, int validationExamples,
                         int budget, List<AdaptiveSelection.Reselection> reselections) {
        public Result {
            reselections = List.copyOf(reselections);
        }

        /** Seconds spent selecting, in all. */
        public double selectionSeconds() {
            return reselections.stream().mapToDouble(AdaptiveSelection.Reselection::seconds).sum();
        }

        /** The process's CPU seconds during the selections (all threads; NaN if the JVM does not report it). */
        public double selectionCpuSeconds() {
            return reselections.stream().mapToDouble(AdaptiveSelection.Reselection::cpuSeconds).sum();
        }

        /** The selections' share of the training time (0 for full training). */
        public double selectionShare() {
            return training.trainSeconds() > 0 ? selectionSeconds() / training.trainSeconds() : 0;
        }

        /** As a run reports it: the settings, split sizes, budget, selection seconds, and each selection (epochs from 1). */
        public java.util.Map<String, Object> toMap() {
            java.util.Map<String, Object> o = new java.util.LinkedHashMap<>(settings.toMap());
            o.put("train_examples", trainExamples);
            o.put("validation_examples", validationExamples);
            o.put("budget", budget);
            o.put("selection_seconds", selectionSeconds());
            o.put("selection_cpu_seconds", selectionCpuSeconds());
            List<java.util.Map<String, Object>> sel = new java.util.ArrayList<>();
            for (AdaptiveSelection.Reselection x : reselections) {
                java.util.Map<String, Object> s = new java.util.LinkedHashMap<>();
                s.put("epoch", x.epoch() + 1);
                s.put("how", x.how());
                s.put("examples", x.examples());
                s.put("seconds", x.seconds());
                s.put("cpu_seconds", x.cpuSeconds());
                s.put("padded", x.padded());
                sel.add(s);
            }
            o.put("selections", sel);
            return o;
        }
    }

    /**
     * Holds out {@code round(valSplit * N)} examples of {@code train}, drawn uniformly with
     * {@code seed} (CORDS's {@code random_split}; not per class); both parts keep the set's order.
     */
    public static Split split(Dataset train, double valSplit, long seed) {
        if (!(valSplit > 0 && valSplit <= 0.5)) {
            throw new IllegalArgumentException("validation split must be in (0, 0.5] of the training set, got " + valSplit);
        }
        int n = train.size();
        int v = (int) Math.round(valSplit * n);
        if (v < 1 || v >= n) {
            throw new IllegalArgumentException("a validation split of " + valSplit + " of " + n + " examples leaves "
                    + (v < 1 ? "no validation example" : "nothing to train on"));
        }
        int[] perm = new Generator(seed).fork(77).permutation(n);
        int[] val = Arrays.copyOf(perm, v);
        int[] rest = Arrays.copyOfRange(perm, v, n);
        Arrays.sort(val);
        Arrays.sort(rest);
        return new Split(rename(train.subset(rest), train.name()), rename(train.subset(val), train.name() + " (validation)"));
    }

    private static Dataset rename(Dataset d, String name) {
        return new Dataset(name, d.images(), d.labels(), d.classes());
    }

    /**
     * Splits {@code train} ({@link #split}, seeded by {@code cfg.seed()}), then trains a fresh
     * {@code model} (initialised from {@code cfg.seed()}) for {@code cfg.epochs()} epochs on what
     * the method selects from the training split, testing on {@code test} (may be null) after each
     * epoch that trains.
     *
     * @throws IllegalArgumentException if the settings cannot run on this data (a class left without a share, ...)
     */
    public static Result run(Model model, Dataset train, Dataset test, AdaptiveSettings s, TrainConfig cfg,
                             TrainListener listener) {
        return prepare(model, train, s, cfg).run(test, listener);
    }

    /**
     * The split and the plan of a run, made and checked before any training: what {@link #run}
     * does first, for a caller that reports bad settings before it starts.
     *
     * @throws IllegalArgumentException if the settings cannot run on this data (a class left without a share, ...)
     */
    public static Prepared prepare(Model model, Dataset train, AdaptiveSettings s, TrainConfig cfg) {
        Split split = split(train, s.valSplit(), cfg.seed());
        AdaptiveSelection plan = new AdaptiveSelection(s.method(), model, split.train(), split.validation(),
                AdaptiveSchedule.of(s, cfg.epochs()), cfg.batchSize(), cfg.learningRate(), cfg.seed());
        return new Prepared(model, split, plan, s, cfg);
    }

    /** A run ready to start: its split and plan. Run it once. */
    public static final class Prepared {
        private final Model model;
        private final Split split;
        private final AdaptiveSelection plan;
        private final AdaptiveSettings settings;
        private final TrainConfig cfg;

        private Prepared(Model model, Split split, AdaptiveSelection plan, AdaptiveSettings settings, TrainConfig cfg) {
            this.model = model;
            this.split = split;
            this.plan = plan;
            this.settings = settings;
            this.cfg = cfg;
        }

        public Split split() {
            return split;
        }

        /** Examples per subset epoch asked for. */
        public int budget() {
            return plan.budget();
        }

        /** Trains, testing on {@code test} (may be null) after each epoch that trains. */
        public Result run(Dataset test, TrainListener listener) {
            TrainResult r = Trainer.train(model, split.train(), test, cfg, listener == null ? TrainListener.NONE : listener, plan);
            return new Result(r, settings, split.train().size(), split.validation().size(), plan.budget(), plan.reselections());
        }
    }
}
